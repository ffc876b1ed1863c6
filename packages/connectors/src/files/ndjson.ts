import type { Engine } from '@strata/delta';
import type { RejectedRecord } from '../source.ts';
import type { FileClient, LocalFile } from './client.ts';
import { causeMessage, filesError } from './errors.ts';
import { nonObjectReason, nonObjects, typeRecords } from './json-records.ts';
import { csvReason, rejectedLines } from './rejects.ts';
import { literal } from './sql.ts';
import { TempTables } from './staged.ts';
import type { StagedFile } from './staged.ts';

/**
 * Stages newline-delimited JSON: one record per line, blank lines ignored. The lines are read by
 * DuckDB's CSV reader as a single JSON column (no delimiter, no quoting), so that a line that is
 * not valid JSON fails its cast and is rejected with its text and `path:line`; the valid lines are
 * then typed together (see `typeRecords`). A line holding JSON that is not an object is rejected too.
 */
export async function stageNdjson(engine: Engine, client: FileClient, file: LocalFile): Promise<StagedFile> {
  const path = file.entry.path;
  const tables = new TempTables(engine);
  const raw = tables.create('ndjson');
  const errors = tables.create('ndjson_errors');
  const scans = tables.create('ndjson_scans');
  try {
    // chr(1) as the delimiter: it cannot appear unescaped in valid JSON, so a line is one field.
    // Not strict: files mixing \n and \r\n line ends are read line by line all the same.
    await engine.exec(
      `CREATE TEMP TABLE ${raw.ref} AS SELECT j FROM read_csv(${literal(file.localPath)}, columns = {'j': 'JSON'}, header = false,
        auto_detect = false, delim = chr(1), quote = '', escape = '', encoding = 'utf-8', strict_mode = false,
        store_rejects = true, rejects_table = ${literal(errors.name)}, rejects_scan = ${literal(scans.name)})`,
    );
    const unparsable = (await rejectedLines(engine, errors.ref, scans.ref))
      .filter((l) => l.raw.trim() !== '')
      .map((l) => ({ line: l.line, record: { raw: l.raw, reason: lineReason(l), location: `${path}:${l.line}` } }));
    const rejected = [...unparsable, ...(await rejectNonObjects(engine, client, file, raw.ref))]
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
      .map((r) => r.record);
    const { data, rows } = await typeRecords(engine, tables, raw.ref);
    return { data, rejected, rows, release: () => tables.dropAll() };
  } catch (e) {
    await tables.dropAll();
    throw filesError(`cannot read ${client.display(path)} as NDJSON: ${causeMessage(e, file.localPath, path)}`, e, false);
  }
}

function lineReason(line: Parameters<typeof csvReason>[0]): string {
  // A cast failure or a second field (a raw control character) means the line is not JSON;
  // JavaScript's parser says where, in plain words.
  if (line.errors.every((e) => e.type === 'CAST' || e.type === 'TOO MANY COLUMNS')) {
    try {
      JSON.parse(line.raw);
    } catch (e) {
      return `not valid JSON: ${(e as Error).message}`;
    }
    return 'not valid JSON';
  }
  return csvReason(line, 'UTF-8');
}

async function rejectNonObjects(
  engine: Engine,
  client: FileClient,
  file: LocalFile,
  raw: string,
): Promise<{ line: number | undefined; record: RejectedRecord }[]> {
  const values = await nonObjects(engine, raw);
  if (values.length === 0) return [];
  // The engine does not keep line numbers of the rows it read: find these few lines in the file.
  const lines = await client.lineNumbers(file, new Set(values.map((v) => v.text.trim())));
  const used = new Map<string, number>();
  return values.map((v) => {
    const key = v.text.trim();
    const i = used.get(key) ?? 0;
    used.set(key, i + 1);
    const line = lines.get(key)?.[i];
    const location = line === undefined ? file.entry.path : `${file.entry.path}:${line}`;
    return { line, record: { raw: v.text, reason: nonObjectReason(v.type), location } };
  });
}
