import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceBatch } from '../source.ts';
import { coalesce } from './batching.ts';

const page = (n: number, size: number, columns?: Record<string, string>): SourceBatch => ({
  data: { kind: 'records', records: Array.from({ length: size }, (_, i) => ({ id: n * size + i })) },
  state: { page: n + 1 },
  label: `page ${n}`,
  ...(columns ? { columns } : {}),
});

describe('coalesce', () => {
  it('groups pages into batches of at least minRows, each with the state of its last page', async () => {
    const events: string[] = [];
    async function* source(): AsyncIterable<SourceBatch> {
      for (let n = 0; n < 7; n++) {
        events.push(`pull ${n}`);
        yield page(n, 300);
      }
      events.push('pull sql');
      yield { data: { kind: 'sql', sql: 'SELECT 1 AS id' }, label: 'file' };
      events.push('after sql');
      yield page(7, 300, { _parent_park_id: '1' });
      yield page(8, 300, { _parent_park_id: '2' });
    }
    const out: SourceBatch[] = [];
    for await (const b of coalesce(source(), 1000)) {
      events.push(`write ${b.label}`);
      out.push(b);
    }
    assert.deepEqual(
      out.map((b) => [b.data.kind === 'records' ? b.data.records.length : 'sql', JSON.stringify(b.state ?? null)]),
      [
        [1200, '{"page":4}'],
        [900, '{"page":7}'],
        ['sql', 'null'],
        [300, '{"page":8}'],
        [300, '{"page":9}'],
      ],
    );
    assert.equal((out[0]?.data as unknown as { records: { id: number }[] }).records.map((r) => r.id).join(), Array.from({ length: 1200 }, (_, i) => i).join());
    // The next page is fetched before a group is written; the source is resumed after an SQL batch only once it was written.
    assert.ok(events.indexOf('pull 4') < events.indexOf('write page 0 … page 1 … page 2 … page 3'));
    assert.ok(events.indexOf('write file') < events.indexOf('after sql'));
  });

  it('passes a source failure on to the reader, after the batches read before it', async () => {
    async function* source(): AsyncIterable<SourceBatch> {
      yield page(0, 10);
      yield page(1, 10);
      throw new Error('network down');
    }
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const b of coalesce(source(), 100)) seen.push((b.data as unknown as { records: unknown[] }).records.length);
    }, /network down/);
    assert.deepEqual(seen, [20], 'the pages read before the failure are passed on together');
  });
});
