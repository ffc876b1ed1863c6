/** What a file in `_delta_log/` is, from its name alone. */
export type LogFile =
  | { readonly kind: 'commit'; readonly version: number }
  | { readonly kind: 'checkpoint'; readonly version: number; readonly part: number; readonly parts: number; readonly format: 'parquet' | 'json'; readonly uuid?: string }
  | { readonly kind: 'other' };

const COMMIT = /^(\d{20})\.json$/;
const CLASSIC_CHECKPOINT = /^(\d{20})\.checkpoint\.parquet$/;
const MULTIPART_CHECKPOINT = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;
const UUID_CHECKPOINT = /^(\d{20})\.checkpoint\.([0-9a-fA-F-]{36})\.(json|parquet)$/;

export const LOG_DIR = '_delta_log';

/** Classifies a file name (the last path segment) found in `_delta_log/`. */
export function classifyLogFile(name: string): LogFile {
  let m = COMMIT.exec(name);
  if (m) return { kind: 'commit', version: Number(m[1]) };
  m = CLASSIC_CHECKPOINT.exec(name);
  if (m) return { kind: 'checkpoint', version: Number(m[1]), part: 1, parts: 1, format: 'parquet' };
  m = MULTIPART_CHECKPOINT.exec(name);
  if (m) return { kind: 'checkpoint', version: Number(m[1]), part: Number(m[2]), parts: Number(m[3]), format: 'parquet' };
  m = UUID_CHECKPOINT.exec(name);
  if (m) return { kind: 'checkpoint', version: Number(m[1]), part: 1, parts: 1, format: m[3] as 'json' | 'parquet', uuid: m[2] };
  return { kind: 'other' };
}

/** Zero-pads a version to the 20 digits of log file names. */
export const padVersion = (v: number): string => String(v).padStart(20, '0');
export const commitKey = (v: number): string => `${LOG_DIR}/${padVersion(v)}.json`;
export const classicCheckpointKey = (v: number): string => `${LOG_DIR}/${padVersion(v)}.checkpoint.parquet`;
export const lastCheckpointKey = `${LOG_DIR}/_last_checkpoint`;
