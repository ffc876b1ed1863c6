import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DeltaTable, DuckDbEngine } from '@strata/delta';
import { s3TestStore } from '@strata/storage/testing';

/**
 * The `strata table …` commands, run as a user runs them: the real bin in a child process, from the
 * repository root, on temporary tables. Outputs are checked by reading exported Parquet with DuckDB.
 * Tables that a test only needs as a starting point are made in-process with `DeltaTable`, which is
 * much cheaper than a process start; what the test is about always goes through the bin.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/strata.js');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Row {
  readonly id: number;
  readonly p: string;
  readonly v: string;
}

/** Runs `strata table <args>`; `env` is added to this process's environment. */
function strata(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'table', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const show = (r: Run) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

/** Runs a command that must succeed silently on stderr; returns its stdout lines. */
async function ok(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<string[]> {
  const r = await strata(args, env);
  assert.equal(r.code, 0, show(r));
  assert.equal(r.stderr, '', show(r));
  return lines(r.stdout);
}

/** Runs a command that must fail: non-zero exit, nothing on stdout, exactly one stderr line `[CODE] …`. */
async function fails(args: readonly string[], code: string, env?: Readonly<Record<string, string>>): Promise<string> {
  const r = await strata(args, env);
  assert.notEqual(r.code, 0, show(r));
  assert.equal(r.stdout, '', show(r));
  const err = lines(r.stderr);
  assert.equal(err.length, 1, show(r));
  const line = err[0] as string;
  assert.ok(line.startsWith(`[${code}] `), `expected [${code}]: ${show(r)}`);
  return line;
}

const csv = (rows: readonly Row[]) => `id,p,v\n${rows.map((r) => `${r.id},${r.p},${r.v}`).join('\n')}\n`;
const rowsOf = (ids: readonly number[], v = 'v') => ids.map((id) => ({ id, p: id % 2 === 0 ? 'b' : 'a', v: `${v}${id}` }));
const byId = (rows: readonly Row[]) => [...rows].sort((a, b) => a.id - b.id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('strata table (CLI as a child process)', { concurrency: 2 }, () => {
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  let engine: DuckDbEngine;
  let work: string;
  let n = 0;
  const fresh = (label: string) => {
    const dir = join(work, `${label}-${n++}`);
    mkdirSync(dir);
    return dir;
  };
  const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;

  async function query(text: string): Promise<Record<string, unknown>[]> {
    const reader = await conn.runAndReadAll(text);
    return reader
      .getRowObjectsJS()
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  }

  /** Input files in the three formats `write --input` reads. */
  const inputs = {
    csv(dir: string, rows: readonly Row[], name = 'in.csv'): string {
      const file = join(dir, name);
      writeFileSync(file, csv(rows));
      return file;
    },
    json(dir: string, rows: readonly Row[], name = 'in.json'): string {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(rows));
      return file;
    },
    async parquet(dir: string, rows: readonly Row[], name = 'in.parquet'): Promise<string> {
      const file = join(dir, name);
      const values = rows.map((r) => `(${r.id}::BIGINT, ${sql(r.p)}, ${sql(r.v)})`).join(', ');
      await conn.run(`COPY (SELECT * FROM (VALUES ${values}) AS t(id, p, v)) TO ${sql(file)} (FORMAT parquet)`);
      return file;
    },
  };

  /** Exports the table with `strata table export` and returns the Parquet file's rows ordered by id. */
  async function exported(table: string, extra: readonly string[] = [], env?: Readonly<Record<string, string>>) {
    const out = join(work, `export-${n++}.parquet`);
    const [line] = await ok(['export', table, out, ...extra], env);
    const m = /^exported (\d+) rows of version (\d+) to /.exec(line ?? '');
    assert.ok(m, `export output: ${line}`);
    const rows = await query(`SELECT * FROM read_parquet(${sql(out)}) ORDER BY id`);
    assert.equal(rows.length, Number(m[1]), 'the row count printed is the row count written');
    return { version: Number(m[2]), rows };
  }

  async function historyJson(table: string, env?: Readonly<Record<string, string>>) {
    const out = await strata(['history', table, '--json'], env);
    assert.equal(out.code, 0, show(out));
    return JSON.parse(out.stdout) as {
      version: number;
      timestamp: number;
      operation?: string;
      operationParameters?: Record<string, unknown>;
      operationMetrics?: Record<string, string>;
    }[];
  }

  async function describeJson(table: string, extra: readonly string[] = []) {
    const out = await ok(['describe', table, '--json', ...extra]);
    return JSON.parse(out.join('\n')) as {
      version: number;
      partitionColumns: string[];
      numFiles: number;
      numRecords?: number;
      schema: { fields: { name: string; type: unknown }[] };
      protocol: { minReaderVersion: number; minWriterVersion: number };
    };
  }

  /** Data files (not the log) under a local table, relative to it. */
  function dataFiles(table: string): string[] {
    return (readdirSync(table, { recursive: true }) as string[])
      .map((f) => relative(table, join(table, f)).split('\\').join('/'))
      .filter((f) => f.endsWith('.parquet') && !f.startsWith('_delta_log'))
      .sort();
  }

  /** True when the local table has a commit file for this version. */
  const committed = (table: string, version: number) => existsSync(join(table, '_delta_log', `${String(version).padStart(20, '0')}.json`));

  /** The commitInfo of one commit of a local table, read from its log file. */
  function commitInfo(table: string, version: number): { operation?: string; operationParameters?: Record<string, unknown>; operationMetrics?: Record<string, string> } {
    const text = readFileSync(join(table, '_delta_log', `${String(version).padStart(20, '0')}.json`), 'utf8');
    const actions = lines(text).map((l) => JSON.parse(l) as { commitInfo?: ReturnType<typeof commitInfo> });
    const info = actions.find((a) => a.commitInfo)?.commitInfo;
    assert.ok(info, `commit ${version} has a commitInfo`);
    return info;
  }

  /** Makes a local table in-process: one commit per step (append, or a delete predicate). */
  async function seed(table: string, steps: readonly (readonly Row[] | { delete: string })[], partitionBy?: readonly string[]) {
    const t = await DeltaTable.open(table, { engine });
    for (const step of steps) {
      if ('delete' in step) await t.delete(step.delete);
      else await t.write(`SELECT * FROM (VALUES ${step.map((r) => `(${r.id}::BIGINT, ${sql(r.p)}, ${sql(r.v)})`).join(', ')}) AS t(id, p, v)`, { partitionBy });
    }
    return table;
  }

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'strata-cli-test-'));
    db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
    engine = await DuckDbEngine.create({ threads: 1 });
  });
  after(async () => {
    await engine.close();
    conn.closeSync();
    db.closeSync();
    rmSync(work, { recursive: true, force: true });
  });

  describe('writes', { concurrency: 2 }, () => {
    it('creates a table from CSV, then appends Parquet and JSON', async () => {
      const dir = fresh('formats');
      const t = join(dir, 't');
      assert.match((await ok(['write', t, '--input', inputs.csv(dir, rowsOf([1, 2]))]))[0] ?? '', /^wrote 2 rows in \d+ files as version 0$/);
      assert.match((await ok(['write', t, '--input', await inputs.parquet(dir, rowsOf([3, 4]))]))[0] ?? '', /^wrote 2 rows in \d+ files as version 1$/);
      assert.match((await ok(['write', t, '--input', inputs.json(dir, rowsOf([5]))]))[0] ?? '', /^wrote 1 rows in 1 files as version 2$/);
      assert.deepEqual(await exported(t), { version: 2, rows: rowsOf([1, 2, 3, 4, 5]) });
      assert.deepEqual(
        [0, 1, 2].map((v) => [commitInfo(t, v).operation, commitInfo(t, v).operationParameters?.mode]),
        [
          ['CREATE TABLE AS SELECT', 'Append'],
          ['WRITE', 'Append'],
          ['WRITE', 'Append'],
        ],
      );
    });

    it('--mode overwrite replaces every row', async () => {
      const dir = fresh('overwrite');
      const t = await seed(join(dir, 't'), [rowsOf([1, 2, 3])]);
      await ok(['write', t, '--input', inputs.json(dir, rowsOf([7, 8], 'new')), '--mode', 'overwrite']);
      assert.deepEqual(await exported(t), { version: 1, rows: rowsOf([7, 8], 'new') });
      const info = commitInfo(t, 1);
      assert.equal(info.operationParameters?.mode, 'Overwrite');
      assert.equal(info.operationMetrics?.numRemovedFiles, '1');
    });

    it("--mode overwrite --where \"p = 'a'\" replaces only the matching rows", async () => {
      const dir = fresh('replace-where');
      const t = await seed(join(dir, 't'), [rowsOf([1, 2, 3, 4])], ['p']);
      const replacement = [{ id: 11, p: 'a', v: 'r11' }];
      await ok(['write', t, '--input', inputs.csv(dir, replacement, 'a.csv'), '--mode', 'overwrite', '--where', "p = 'a'"]);
      assert.deepEqual(await exported(t), { version: 1, rows: byId([...rowsOf([2, 4]), ...replacement]) });
      // Rows outside the predicate are refused, and nothing is committed.
      const line = await fails(
        ['write', t, '--input', inputs.csv(dir, [{ id: 12, p: 'b', v: 'x' }], 'b.csv'), '--mode', 'overwrite', '--where', "p = 'a'"],
        'DELTA_INVALID_ARGUMENT',
      );
      assert.match(line, /do not match replaceWhere/);
      await fails(['write', t, '--input', inputs.csv(dir, replacement, 'c.csv'), '--where', "p = 'a'"], 'CLI_USAGE');
      assert.equal(committed(t, 2), false);
    });

    it('--mode merge --key id updates matching rows and inserts the others', async () => {
      const dir = fresh('merge');
      const t = await seed(join(dir, 't'), [rowsOf([1, 2, 3])]);
      const source = [
        { id: 2, p: 'b', v: 'updated2' },
        { id: 3, p: 'a', v: 'updated3' },
        { id: 4, p: 'b', v: 'new4' },
      ];
      assert.deepEqual(await ok(['write', t, '--input', await inputs.parquet(dir, source), '--mode', 'merge', '--key', 'id']), [
        'merged into version 1: 1 inserted, 2 updated, 0 deleted',
      ]);
      assert.deepEqual(await exported(t), { version: 1, rows: [{ id: 1, p: 'a', v: 'v1' }, ...source] });
      await fails(['write', t, '--input', inputs.csv(dir, source), '--mode', 'merge'], 'CLI_USAGE');
      assert.equal(committed(t, 2), false);
    });

    it('--partition-by lays out files per partition; export keeps the partition column', async () => {
      const dir = fresh('partition');
      const t = join(dir, 't');
      await ok(['write', t, '--input', inputs.csv(dir, rowsOf([1, 2, 3])), '--partition-by', 'p']);
      assert.deepEqual(
        dataFiles(t).map((f) => f.split('/')[0]),
        ['p=a', 'p=b'],
      );
      await ok(['write', t, '--input', inputs.json(dir, rowsOf([4, 5]))]);
      assert.equal(dataFiles(t).filter((f) => f.startsWith('p=b/')).length, 2, 'appends go to the partition folders too');
      const got = await exported(t);
      assert.deepEqual(got, { version: 1, rows: rowsOf([1, 2, 3, 4, 5]) });
      assert.ok(Object.keys(got.rows[0] ?? {}).includes('p'));
      assert.match(
        await fails(['write', t, '--input', inputs.csv(dir, rowsOf([6]), 'x.csv'), '--partition-by', 'v'], 'DELTA_SCHEMA_MISMATCH'),
        /partitioned by \[p\]/,
      );
    });

    it('adds new input columns with --evolve-schema and refuses them without it', async () => {
      const dir = fresh('evolve');
      const t = await seed(join(dir, 't'), [rowsOf([1, 2])]);
      const wider = join(dir, 'wider.csv');
      writeFileSync(wider, 'id,p,v,w\n3,a,v3,extra\n');
      assert.match(await fails(['write', t, '--input', wider], 'DELTA_SCHEMA_MISMATCH'), /"w"/, 'the message names the new column');
      assert.equal(committed(t, 1), false, 'the refused write committed nothing');
      await ok(['write', t, '--input', wider, '--evolve-schema']);
      assert.deepEqual(await exported(t), {
        version: 1,
        rows: [
          { id: 1, p: 'a', v: 'v1', w: null },
          { id: 2, p: 'b', v: 'v2', w: null },
          { id: 3, p: 'a', v: 'v3', w: 'extra' },
        ],
      });
    });

    it('delete --where removes the matching rows', async () => {
      const dir = fresh('delete');
      const t = await seed(join(dir, 't'), [rowsOf([1, 2, 3, 4, 5, 6])], ['p']);
      assert.deepEqual(await ok(['delete', t, '--where', 'id > 4']), ['deleted 2 rows as version 1']);
      assert.deepEqual(await ok(['delete', t, '--where', "p = 'a' AND id = 1"]), ['deleted 1 rows as version 2']);
      assert.deepEqual(await ok(['delete', t, '--where', 'id > 100']), ['no row matched; nothing committed']);
      assert.equal(committed(t, 3), false);
      assert.deepEqual(await exported(t), { version: 2, rows: rowsOf([2, 3, 4]) });
      assert.equal(commitInfo(t, 2).operation, 'DELETE');
      assert.equal(commitInfo(t, 2).operationMetrics?.numDeletedRows, '1');
    });
  });

  describe('reading one table of three versions', { concurrency: 2 }, () => {
    // v0: rows 1-3 partitioned by p; v1: rows 4-5 appended; v2: rows 1-2 deleted.
    let t: string;
    let afterV0: string;
    let afterV1: string;
    before(async () => {
      t = join(fresh('sales'), 't');
      await seed(t, [rowsOf([1, 2, 3])], ['p']);
      await sleep(20);
      afterV0 = new Date().toISOString();
      await sleep(20);
      await seed(t, [rowsOf([4, 5])]);
      await sleep(20);
      afterV1 = new Date().toISOString();
      await sleep(20);
      await seed(t, [{ delete: 'id <= 2' }]);
    });

    it('history lists the commits newest first, as text and as JSON', async () => {
      const h = await historyJson(t);
      assert.deepEqual(
        h.map((e) => [e.version, e.operation]),
        [
          [2, 'DELETE'],
          [1, 'WRITE'],
          [0, 'CREATE TABLE AS SELECT'],
        ],
      );
      assert.equal(h[0]?.operationMetrics?.numDeletedRows, '2');
      assert.equal(h[1]?.operationMetrics?.numOutputRows, '2');
      assert.equal(h[2]?.operationMetrics?.numOutputRows, '3');
      for (let i = 1; i < h.length; i++) assert.ok((h[i - 1]?.timestamp ?? 0) > (h[i]?.timestamp ?? 0), 'newer commits have later timestamps');
      const text = await ok(['history', t]);
      assert.deepEqual(
        text.map((l) => l.trim().split(/\s+/).slice(0, 3)),
        [
          ['2', new Date(h[0]?.timestamp ?? 0).toISOString(), 'DELETE'],
          ['1', new Date(h[1]?.timestamp ?? 0).toISOString(), 'WRITE'],
          ['0', new Date(h[2]?.timestamp ?? 0).toISOString(), 'CREATE'],
        ],
      );
    });

    it('describe --json shows version, schema, partitioning, protocol and size', async () => {
      const d = await describeJson(t);
      assert.equal(d.version, 2);
      assert.deepEqual(d.partitionColumns, ['p']);
      assert.deepEqual(
        d.schema.fields.map((f) => [f.name, f.type]),
        [
          ['id', 'long'],
          ['p', 'string'],
          ['v', 'string'],
        ],
      );
      assert.equal(d.numRecords, 3);
      assert.equal(d.numFiles, 3, 'p=a rewritten by the delete, and the two files of the append');
      assert.deepEqual([d.protocol.minReaderVersion, d.protocol.minWriterVersion], [1, 2]);
      const v1 = await describeJson(t, ['--version', '1']);
      assert.deepEqual([v1.version, v1.numRecords, v1.numFiles], [1, 5, 4]);
    });

    it('export writes the rows at the latest version, at --version N and at --timestamp ISO', async () => {
      const latest = await exported(t);
      assert.deepEqual(latest, { version: 2, rows: rowsOf([3, 4, 5]) });
      assert.deepEqual(Object.keys(latest.rows[0] ?? {}).sort(), ['id', 'p', 'v'], 'the partition column is in the file');
      assert.deepEqual(await exported(t, ['--version', '0']), { version: 0, rows: rowsOf([1, 2, 3]) });
      assert.deepEqual(await exported(t, ['--timestamp', afterV0]), { version: 0, rows: rowsOf([1, 2, 3]) });
      assert.deepEqual(await exported(t, ['--timestamp', afterV1]), { version: 1, rows: rowsOf([1, 2, 3, 4, 5]) });
      const out = join(work, 'never.parquet');
      assert.match(await fails(['export', t, out, '--timestamp', '2000-01-01T00:00:00Z'], 'DELTA_VERSION_NOT_FOUND'), /2000-01-01/);
      assert.match(await fails(['export', t, out, '--version', '99'], 'DELTA_VERSION_NOT_FOUND'), /version 99/);
      assert.equal(existsSync(out), false);
    });

    it('export --timestamp at the commit time that history prints selects that commit', async () => {
      const [, v1] = await ok(['history', t, '--limit', '2']);
      const printed = v1?.trim().split(/\s+/)[1] ?? '';
      assert.match(printed, /^\d{4}-\d\d-\d\dT/);
      assert.equal((await exported(t, ['--timestamp', printed])).version, 1, `history printed ${printed} for version 1`);
    });

    it('a bad predicate fails with DELTA_INVALID_ARGUMENT and commits nothing', async () => {
      assert.match(await fails(['delete', t, '--where', 'id = = 1'], 'DELTA_INVALID_ARGUMENT'), /id = = 1/);
      assert.match(await fails(['delete', t, '--where', 'nope > 1'], 'DELTA_INVALID_ARGUMENT'), /"nope"/);
      assert.equal(committed(t, 3), false);
    });

    it('stops quietly when the reader closes its end of the pipe', async () => {
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'table', 'history', t], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        // Closed before the command prints anything, like `strata table history t | head -0`.
        child.stdout.destroy();
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
      assert.deepEqual(result, { code: 0, stderr: '' });
    });
  });

  describe('maintenance', { concurrency: 2 }, () => {
    it('vacuum --dry-run lists the files an overwrite removed; vacuum --retain-hours 0 deletes them', async () => {
      const dir = fresh('vacuum');
      const t = await seed(join(dir, 't'), [rowsOf([1, 2, 3, 4])], ['p']);
      const old = dataFiles(t);
      assert.equal(old.length, 2);
      await ok(['write', t, '--input', inputs.csv(dir, rowsOf([5, 7], 'new')), '--mode', 'overwrite']);
      const current = dataFiles(t).filter((f) => !old.includes(f));
      assert.equal(current.length, 1);

      assert.deepEqual(await ok(['vacuum', t, '--dry-run']), ['would delete 0 files'], 'the default retention keeps recent files');
      assert.deepEqual(await ok(['vacuum', t, '--dry-run', '--retain-hours', '0']), [...old, 'would delete 2 files']);
      assert.deepEqual(dataFiles(t), [...old, ...current].sort(), 'a dry run deletes nothing');

      assert.deepEqual(await ok(['vacuum', t, '--retain-hours', '0']), [...old, 'deleted 2 files']);
      assert.deepEqual(dataFiles(t), current);
      assert.deepEqual(await exported(t), { version: 1, rows: rowsOf([5, 7], 'new') });
    });

    it('optimize compacts several small appends into fewer files with the same rows', async () => {
      const t = await seed(join(fresh('optimize'), 't'), [0, 1, 2, 3, 4].map((i) => rowsOf([10 + 2 * i, 11 + 2 * i])));
      const before = dataFiles(t);
      assert.equal(before.length, 5, 'one file per append');
      const [line] = await ok(['optimize', t]);
      const m = /^compacted (\d+) files into (\d+) as version 5$/.exec(line ?? '');
      assert.ok(m, line);
      assert.equal(Number(m[1]), before.length);
      const after = Number(m[2]);
      // DuckDB writes one file per thread, so a compaction may yield a few files rather than one.
      assert.ok(after >= 1 && after < before.length, line);
      assert.equal(commitInfo(t, 5).operation, 'OPTIMIZE');
      const d = await describeJson(t);
      assert.deepEqual([d.numFiles, d.numRecords], [after, 10]);
      assert.deepEqual(await exported(t), { version: 5, rows: rowsOf([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]) });
    });

    it('checkpoint writes _delta_log/…checkpoint.parquet and _last_checkpoint, from which the table reads', async () => {
      const dir = fresh('checkpoint');
      const t = await seed(join(dir, 't'), [rowsOf([1, 2, 3]), rowsOf([4]), { delete: 'id = 1' }], ['p']);
      assert.deepEqual(await ok(['checkpoint', t]), ['wrote checkpoint for version 2']);
      const log = join(t, '_delta_log');
      const checkpoint = join(log, '00000000000000000002.checkpoint.parquet');
      assert.ok(existsSync(checkpoint));
      assert.equal((JSON.parse(readFileSync(join(log, '_last_checkpoint'), 'utf8')) as { version: number }).version, 2);
      const [counts] = await query(
        `SELECT count(add) AS adds, count(metaData) AS meta, count(protocol) AS protocol FROM read_parquet(${sql(checkpoint)})`,
      );
      assert.deepEqual(counts, { adds: 3, meta: 1, protocol: 1 }, 'one add per live file: p=a rewritten, p=b, the appended file');
      // The checkpoint alone must carry the whole state: drop the commits it replaces.
      for (const v of [0, 1, 2]) unlinkSync(join(log, `0000000000000000000${v}.json`));
      assert.deepEqual(await exported(t), { version: 2, rows: rowsOf([2, 3, 4]) });
      assert.deepEqual(await ok(['write', t, '--input', inputs.csv(dir, rowsOf([5]))]), ['wrote 1 rows in 1 files as version 3']);
    });
  });

  describe('failures: non-zero exit and one `[CODE] message` line on stderr', { concurrency: 2 }, () => {
    /** A table whose only commit carries this protocol action. */
    function handWritten(label: string, protocol: Record<string, unknown>): string {
      const t = join(fresh(label), 't');
      mkdirSync(join(t, '_delta_log'), { recursive: true });
      const schema = { type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }] };
      const actions = [
        { commitInfo: { timestamp: 1_700_000_000_000, operation: 'CREATE TABLE' } },
        { protocol },
        {
          metaData: {
            id: 'b2c5a1e0-0000-4000-8000-000000000000',
            format: { provider: 'parquet', options: {} },
            schemaString: JSON.stringify(schema),
            partitionColumns: [],
            configuration: {},
            createdTime: 1_700_000_000_000,
          },
        },
      ];
      writeFileSync(join(t, '_delta_log', '00000000000000000000.json'), `${actions.map((a) => JSON.stringify(a)).join('\n')}\n`);
      return t;
    }

    it('a missing table: DELTA_TABLE_NOT_FOUND', async () => {
      const dir = fresh('missing');
      const t = join(dir, 'nothing-here');
      const out = join(dir, 'o.parquet');
      for (const args of [
        ['export', t, out],
        ['describe', t],
        ['write', t, '--input', inputs.csv(dir, rowsOf([1])), '--mode', 'merge', '--key', 'id'],
      ]) {
        assert.match(await fails(args, 'DELTA_TABLE_NOT_FOUND'), /nothing-here/);
      }
      assert.equal(existsSync(out), false);
    });

    it('history of a missing table: DELTA_TABLE_NOT_FOUND', async () => {
      const t = join(fresh('missing-history'), 'nothing-here');
      await fails(['history', t], 'DELTA_TABLE_NOT_FOUND');
    });

    it('a log with a gap: DELTA_VERSIONS_NOT_CONTIGUOUS', async () => {
      const dir = fresh('gap');
      const t = await seed(join(dir, 't'), [rowsOf([1]), rowsOf([2]), rowsOf([3])]);
      unlinkSync(join(t, '_delta_log', '00000000000000000001.json'));
      for (const args of [['export', t, join(dir, 'o.parquet')], ['write', t, '--input', inputs.csv(dir, rowsOf([9]))]]) {
        assert.match(await fails(args, 'DELTA_VERSIONS_NOT_CONTIGUOUS'), /00000000000000000001\.json/);
      }
      assert.equal(committed(t, 3), false, 'nothing was committed past the gap');
    });

    it('a protocol needing reader version 99: DELTA_INVALID_PROTOCOL', async () => {
      const t = handWritten('reader-99', { minReaderVersion: 99, minWriterVersion: 7 });
      for (const args of [['describe', t], ['write', t, '--input', inputs.json(join(t, '..'), rowsOf([1]))]]) {
        assert.match(await fails(args, 'DELTA_INVALID_PROTOCOL'), /reader version 99/);
      }
      assert.equal(committed(t, 1), false);
    });

    it('an unknown reader feature: DELTA_UNSUPPORTED_FEATURE naming it', async () => {
      const t = handWritten('feature', { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['fooBar'], writerFeatures: ['fooBar'] });
      writeFileSync(join(t, 'stray.parquet'), 'not referenced by the log');
      for (const args of [['export', t, join(t, '..', 'o.parquet')], ['vacuum', t, '--retain-hours', '0']]) {
        assert.match(await fails(args, 'DELTA_UNSUPPORTED_FEATURE'), /fooBar/);
      }
      assert.ok(existsSync(join(t, 'stray.parquet')), 'vacuum deleted nothing');
    });

    it('bad usage and unreadable input: CLI_USAGE and CLI_INPUT', async () => {
      const dir = fresh('usage');
      const t = join(dir, 't');
      await fails(['write', t], 'CLI_USAGE');
      assert.match(await fails(['write', t, '--input', join(dir, 'absent.csv')], 'CLI_INPUT'), /absent\.csv/);
      await fails(['write', t, '--input', inputs.csv(dir, rowsOf([1])), '--mode', 'upsert'], 'CLI_USAGE');
      await fails(['export', t, join(dir, 'o.parquet'), '--timestamp', 'yesterday'], 'CLI_USAGE');
      assert.equal(existsSync(t), false, 'no table was created');
    });
  });

  describe('on S3 (s3://bucket/prefix)', () => {
    it('writes, exports and lists the history of a table under a prefix', async () => {
      const s3 = await s3TestStore('cli-table');
      const env = s3.env;
      const t = `${s3.uri}/lake/sales`;
      const dir = fresh('s3');
      await ok(['write', t, '--input', inputs.csv(dir, rowsOf([1, 2, 3])), '--partition-by', 'p'], env);
      await ok(['write', t, '--input', await inputs.parquet(dir, rowsOf([4, 5]))], env);
      assert.deepEqual(await exported(t, [], env), { version: 1, rows: rowsOf([1, 2, 3, 4, 5]) });
      assert.deepEqual(await exported(t, ['--version', '0'], env), { version: 0, rows: rowsOf([1, 2, 3]) });
      assert.deepEqual(
        (await historyJson(t, env)).map((h) => [h.version, h.operation]),
        [
          [1, 'WRITE'],
          [0, 'CREATE TABLE AS SELECT'],
        ],
      );
      const keys = (await s3.store.list('lake/sales/')).map((o) => o.key);
      assert.ok(keys.includes('lake/sales/_delta_log/00000000000000000001.json'), keys.join('\n'));
      assert.ok(keys.some((k) => k.startsWith('lake/sales/p=a/') && k.endsWith('.parquet')), keys.join('\n'));
      assert.match(await fails(['export', `${s3.uri}/lake/absent`, join(dir, 'o.parquet')], 'DELTA_TABLE_NOT_FOUND', env), /lake\/absent/);
    });
  });
});
