import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DeltaTable, DuckDbEngine, isDeltaError } from '@strata/delta';
import { LocalObjectStore } from '@strata/storage';
import { GOLDEN_DIR } from './golden.ts';
import { tempDir } from './temp.ts';

/** Writes to copies of tables written by the reference implementation, using their features. */
describe('writing to tables written by the reference implementation', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await engine.close();
  });
  const copy = async (name: string) => {
    const dir = join(tempDir(), name);
    cpSync(join(GOLDEN_DIR, name, 'delta'), dir, { recursive: true });
    return DeltaTable.open(new LocalObjectStore({ directory: dir }), { engine });
  };

  it('appends to and deletes from a column-mapped table using physical names', async () => {
    const t = await copy('table-with-columnmapping-mode-name');
    const before = await t.read();
    const snapshot = await t.snapshot();
    const first = snapshot.schema.fields[0];
    assert.ok(first);
    await t.write(`SELECT * FROM (${await t.scanSql()}) LIMIT 1`);
    const after = await t.read();
    assert.equal(after.length, before.length + 1);
    const latest = await t.snapshot();
    const added = latest.files.find((f) => !snapshot.files.some((g) => g.path === f.path));
    assert.ok(added);
    const [cols] = await engine.query<{ names: string[] }>(
      `SELECT list(name) AS names FROM parquet_schema('${join(t.store.localPath('') as string, decodeURIComponent(added.path))}')`,
    );
    const physical = first.metadata['delta.columnMapping.physicalName'] as string;
    assert.ok(cols?.names.includes(physical), `data file uses physical name ${physical}: ${cols?.names.join(',')}`);
    assert.equal(cols?.names.includes(first.name) && first.name !== physical, false);
  });

  it('deletes from a table with deletion vectors, keeping rows the vectors already deleted out', async () => {
    const t = await copy('dv-partitioned-with-checkpoint');
    const before = await t.read();
    const col = (await t.snapshot()).schema.fields[0]?.name as string;
    const sample = before[0]?.[col];
    const r = await t.delete(`"${col}" = ${typeof sample === 'string' ? `'${sample}'` : String(sample)}`);
    assert.equal(r.committed, true);
    const after = await t.read();
    assert.equal(after.length, before.length - before.filter((x) => x[col] === sample).length);
    assert.equal(await t.optimize().then((o) => o.committed), true, 'files with deletion vectors are rewritten by optimize');
    assert.equal((await t.read()).length, after.length);
    assert.ok((await t.snapshot()).files.every((f) => !f.deletionVector));
  });

  it('writes a v2 checkpoint for tables with the v2Checkpoint feature', async () => {
    const t = await copy('v2-checkpoint-json');
    const rows = (await t.read()).length;
    await t.write(`SELECT * FROM (${await t.scanSql()}) LIMIT 2`);
    const cp = await t.checkpoint();
    assert.match(cp.key, /\.checkpoint\.[0-9a-f-]{36}\.json$/);
    const fresh = await DeltaTable.open(t.store, { engine });
    const s = await fresh.snapshot();
    assert.equal(s.segment.checkpoint?.version, cp.version);
    assert.equal((await fresh.read()).length, rows + 2);
  });

  it('reads time-travel versions across schema and partitioning changes', async () => {
    const t = await copy('time-travel-start-start20-start40');
    const counts = [];
    for (let v = 0; v <= (await t.snapshot()).version; v++) counts.push((await t.read({ version: v })).length);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'each append adds rows');
    assert.ok((counts[0] ?? 0) > 0);
    await assert.rejects(() => t.read({ version: 99 }), (e: unknown) => isDeltaError(e, 'DELTA_VERSION_NOT_FOUND'));
  });

  it('refuses to write to a table that needs an unsupported writer feature, naming it', async () => {
    const t = await copy('basic-decimal-table');
    const log = join(t.store.localPath('') as string, '_delta_log');
    const { readdirSync, writeFileSync } = await import('node:fs');
    const next = readdirSync(log).filter((f) => /^\d{20}\.json$/.test(f)).length;
    writeFileSync(
      join(log, `${String(next).padStart(20, '0')}.json`),
      `${JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['rowTracking'] } })}\n`,
    );
    assert.ok((await t.read()).length > 0, 'reading still works');
    await assert.rejects(
      async () => t.write(`SELECT * FROM (${await t.scanSql()}) LIMIT 1`),
      (e: unknown) => isDeltaError(e, 'DELTA_UNSUPPORTED_FEATURE') && /rowTracking/.test(e.message),
    );
  });
});
