import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalObjectStore } from '@strata/storage';
import type { DeletionVectorDescriptor } from './descriptor.ts';
import { deletionVectorFilePath, deletionVectorUniqueId } from './descriptor.ts';
import { readDeletionVector } from './read.ts';

/** Tables written by Delta Lake on Spark (see the folder's README). */
const GOLDEN = process.env.STRATA_DELTA_GOLDEN ?? '/work/shared/conformance/delta-golden';

interface FileAction {
  readonly path: string;
  readonly stats?: string;
  readonly deletionVector?: DeletionVectorDescriptor | null;
}

interface DvAction {
  readonly commit: string;
  readonly kind: 'add' | 'remove';
  readonly action: FileAction & { readonly deletionVector: DeletionVectorDescriptor };
}

function commitFiles(table: string): string[] {
  const log = join(table, '_delta_log');
  return existsSync(log) ? readdirSync(log).filter((f) => /^\d{20}\.json$/.test(f)).sort() : [];
}

/** Every add and remove with a deletion vector in the table's JSON commits, in log order. */
function dvActions(table: string): DvAction[] {
  const out: DvAction[] = [];
  for (const commit of commitFiles(table)) {
    for (const line of readFileSync(join(table, '_delta_log', commit), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const parsed = JSON.parse(line) as { add?: FileAction; remove?: FileAction };
      for (const kind of ['add', 'remove'] as const) {
        const action = parsed[kind];
        const deletionVector = action?.deletionVector;
        if (action !== undefined && deletionVector != null) {
          out.push({ commit, kind, action: { ...action, deletionVector } });
        }
      }
    }
  }
  return out;
}

function numRecords(action: FileAction): number | undefined {
  if (action.stats == null) return undefined;
  return (JSON.parse(action.stats) as { numRecords?: number }).numRecords;
}

function mentionsDeletionVectors(table: string): boolean {
  const log = join(table, '_delta_log');
  return commitFiles(table).some((c) => readFileSync(join(log, c), 'utf8').includes('"deletionVector"'));
}

const tables = readdirSync(GOLDEN)
  .map((name) => ({ name, dir: join(GOLDEN, name, 'delta') }))
  .filter(({ dir }) => mentionsDeletionVectors(dir));

describe('deletion vectors of the golden tables', () => {
  it('finds the tables that use deletion vectors', () => {
    const names = tables.map((t) => t.name);
    assert.ok(names.includes('dv-partitioned-with-checkpoint'), names.join());
    assert.ok(names.includes('log-replay-dv-key-cases'), names.join());
  });

  for (const { name, dir } of tables) {
    it(`${name}: every DV decodes to its cardinality, within the file's rows`, async () => {
      const store = new LocalObjectStore({ directory: dir });
      const actions = dvActions(dir);
      assert.ok(actions.length > 0);
      for (const { commit, kind, action } of actions) {
        const d = action.deletionVector;
        const label = `${commit} ${kind} ${action.path} ${deletionVectorUniqueId(d)}`;
        const file = deletionVectorFilePath(d);
        if (d.storageType === 'u') assert.ok(file !== undefined && existsSync(join(dir, file)), label);
        const rows = await readDeletionVector(store, d);
        assert.equal(rows.length, d.cardinality, label);
        for (let i = 1; i < rows.length; i++) assert.ok((rows[i] ?? 0) > (rows[i - 1] ?? 0), label);
        const records = numRecords(action);
        if (records !== undefined) assert.ok(rows.every((r) => Number.isInteger(r) && r >= 0 && r < records), label);
      }
    });
  }

  it('log-replay-dv-key-cases: each DELETE adds the deleted id to the DV of the one file', async () => {
    const dir = join(GOLDEN, 'log-replay-dv-key-cases', 'delta');
    const store = new LocalObjectStore({ directory: dir });
    // The file holds ids 0..49 in row order; commits 1-3 delete id 0, then 7, then 14.
    const adds = dvActions(dir).filter((a) => a.kind === 'add');
    const rows = await Promise.all(adds.map((a) => readDeletionVector(store, a.action.deletionVector)));
    assert.deepEqual(rows.map((r) => Array.from(r)), [[0], [0, 7], [0, 7, 14]]);
    // Same data file, three DVs: the unique ids are what tells the logical files apart in replay.
    assert.equal(new Set(adds.map((a) => a.action.path)).size, 1);
    assert.equal(new Set(adds.map((a) => deletionVectorUniqueId(a.action.deletionVector))).size, 3);
    // Each remove names exactly the DV the previous add introduced.
    const removes = dvActions(dir).filter((a) => a.kind === 'remove');
    assert.deepEqual(
      removes.map((r) => deletionVectorUniqueId(r.action.deletionVector)),
      adds.slice(0, 2).map((a) => deletionVectorUniqueId(a.action.deletionVector)),
    );
  });
});
