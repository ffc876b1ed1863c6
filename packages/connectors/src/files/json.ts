import type { Engine } from '@strata/delta';
import type { RejectedRecord } from '../source.ts';
import type { FileClient, LocalFile } from './client.ts';
import { causeMessage, filesError } from './errors.ts';
import { nonObjectReason, nonObjects, typeRecords } from './json-records.ts';
import { literal } from './sql.ts';
import { NO_ROWS, TempTables } from './staged.ts';
import type { StagedFile } from './staged.ts';

/** The largest JSON value DuckDB will read whole (its limit; the default, 16 MB, is too small for a document). */
const MAX_OBJECT_SIZE = 4_294_967_295;
/** How much of an unreadable file's text a rejected record keeps. */
export const MAX_RAW_BYTES = 1 << 20;

/**
 * Stages a JSON document: the records are the elements of its top-level array, of the array at
 * `recordsPath` (a dot path) when the document is an object holding it, or the document itself
 * when it is a single object. Elements that are not objects are rejected one by one (`location`:
 * the file). A file that is not valid JSON, or has no array at `recordsPath`, is rejected whole,
 * as one record holding its text, and the batch has no rows.
 */
export async function stageJson(
  engine: Engine,
  client: FileClient,
  file: LocalFile,
  recordsPath: string | undefined,
): Promise<StagedFile> {
  const path = file.entry.path;
  const tables = new TempTables(engine);
  const raw = tables.create('json_raw');
  const source = `read_json(${literal(file.localPath)}, format = ${recordsPath ? `'unstructured'` : `'auto'`}, records = false,
    columns = {'j': 'JSON'}, maximum_object_size = ${MAX_OBJECT_SIZE})`;
  try {
    if (recordsPath === undefined) {
      await engine.exec(`CREATE TEMP TABLE ${raw.ref} AS SELECT j FROM ${source}`);
    } else {
      const doc = tables.create('json_doc');
      await engine.exec(`CREATE TEMP TABLE ${doc.ref} AS SELECT j FROM ${source}`);
      const pointer = jsonPointer(recordsPath);
      const found = await engine.query<{ t: string | null }>(`SELECT json_type(json_extract(j, ${literal(pointer)})) AS t FROM ${doc.ref}`);
      if (found.length !== 1 || found[0]?.t !== 'ARRAY') {
        const type = found[0]?.t;
        const what = found.length !== 1 ? `${found.length} JSON documents` : type ? `a value of type ${type}` : 'nothing';
        await tables.dropAll();
        return wholeFileRejected(client, file, `no array at records_path ${recordsPath} (found ${what})`);
      }
      await engine.exec(`CREATE TEMP TABLE ${raw.ref} AS SELECT unnest(CAST(json_extract(j, ${literal(pointer)}) AS JSON[])) AS j FROM ${doc.ref}`);
    }
  } catch (e) {
    await tables.dropAll();
    const message = causeMessage(e, file.localPath, path);
    // DuckDB reports malformed JSON as invalid input; anything else (I/O) is a failure to read.
    if (!/^Invalid Input Error/i.test(message)) throw filesError(`cannot read ${client.display(path)} as JSON: ${message}`, e);
    return wholeFileRejected(client, file, `the file is not valid JSON: ${message.replace(/^Invalid Input Error:\s*/i, '')}`);
  }
  try {
    const rejected: RejectedRecord[] = (await nonObjects(engine, raw.ref)).map((v) => ({
      raw: v.text,
      reason: nonObjectReason(v.type),
      location: path,
    }));
    const { data, rows } = await typeRecords(engine, tables, raw.ref);
    return { data, rejected, rows, release: () => tables.dropAll() };
  } catch (e) {
    await tables.dropAll();
    throw filesError(`cannot read ${client.display(path)} as JSON: ${causeMessage(e, file.localPath, path)}`, e, false);
  }
}

/** The whole file as one rejected record (its first MiB when it is larger), and no rows. */
export async function wholeFileRejected(client: FileClient, file: LocalFile, reason: string): Promise<StagedFile> {
  const { text, truncated } = await client.readStart(file, MAX_RAW_BYTES);
  return {
    data: NO_ROWS,
    rejected: [
      { raw: text, reason: truncated ? `${reason} (raw: the file's first ${MAX_RAW_BYTES} bytes)` : reason, location: file.entry.path },
    ],
    rows: 0,
    release: async () => undefined,
  };
}

/** `data.items` → the JSON Pointer `/data/items` (RFC 6901 escapes for `~` and `/`). */
function jsonPointer(dotPath: string): string {
  return dotPath
    .split('.')
    .map((k) => `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`)
    .join('');
}
