import type { Add } from '../actions/index.ts';
import type { ParquetColumnStats, WrittenParquetFile } from '../engine/index.ts';
import type { DataType, StructType } from '../schema/index.ts';
import { isDecimal } from '../schema/index.ts';

/** Parsed `add.stats`. Column keys are physical names; nested columns are nested objects. */
export interface FileStats {
  readonly numRecords?: number;
  readonly minValues?: Record<string, unknown>;
  readonly maxValues?: Record<string, unknown>;
  readonly nullCount?: Record<string, unknown>;
  readonly tightBounds?: boolean;
}

const cache = new WeakMap<Add, FileStats | null>();

/** The file's statistics, or undefined when it has none or they cannot be parsed (then nothing is skipped). */
export function fileStats(add: Add): FileStats | undefined {
  const hit = cache.get(add);
  if (hit !== undefined) return hit ?? undefined;
  let parsed: FileStats | null = null;
  if (add.stats) {
    try {
      parsed = JSON.parse(add.stats) as FileStats;
    } catch {
      parsed = null;
    }
  }
  cache.set(add, parsed);
  return parsed ?? undefined;
}

/** Options for which columns get min/max statistics, from the table configuration. */
export interface StatsColumns {
  /** `delta.dataSkippingStatsColumns`: explicit list of (physical) column paths. */
  readonly explicit?: readonly string[];
  /** `delta.dataSkippingNumIndexedCols`: the first N leaf columns (default 32; -1 for all). */
  readonly numIndexed: number;
}

export function statsColumnsFromConfig(configuration: Readonly<Record<string, string>>): StatsColumns {
  const explicit = configuration['delta.dataSkippingStatsColumns'];
  const n = Number(configuration['delta.dataSkippingNumIndexedCols'] ?? '32');
  return {
    explicit: explicit ? explicit.split(',').map((s) => s.trim().replace(/`/g, '')) : undefined,
    numIndexed: Number.isInteger(n) ? n : 32,
  };
}

/**
 * Builds the `add.stats` JSON of a written file from the engine's Parquet statistics. `schema` uses
 * physical names (the names in the file). Timestamps are written with millisecond precision, as
 * Delta does; readers widen the max by one millisecond when skipping.
 */
export function buildStats(file: WrittenParquetFile, schema: StructType, which: StatsColumns): string {
  const minValues: Record<string, unknown> = {};
  const maxValues: Record<string, unknown> = {};
  const nullCount: Record<string, unknown> = {};
  let leafIndex = 0;
  const visit = (
    fields: StructType['fields'],
    prefix: string[],
    mins: Record<string, unknown>,
    maxs: Record<string, unknown>,
    nulls: Record<string, unknown>,
  ) => {
    for (const f of fields) {
      const path = [...prefix, f.name];
      if (typeof f.type === 'object' && f.type.type === 'struct') {
        const m: Record<string, unknown> = {};
        const x: Record<string, unknown> = {};
        const n: Record<string, unknown> = {};
        visit(f.type.fields, path, m, x, n);
        if (Object.keys(m).length) mins[f.name] = m;
        if (Object.keys(x).length) maxs[f.name] = x;
        if (Object.keys(n).length) nulls[f.name] = n;
        continue;
      }
      const indexed = which.explicit
        ? which.explicit.includes(path.join('.'))
        : which.numIndexed < 0 || leafIndex < which.numIndexed;
      leafIndex++;
      if (!indexed) continue;
      const s = file.columnStats.get(path.join('\u0000'));
      if (typeof f.type === 'object') {
        // Arrays and maps: only a null count is meaningful, and Parquet stats count leaf values.
        continue;
      }
      if (s?.nullCount !== undefined) nulls[f.name] = s.nullCount;
      else if (file.rowCount === 0) nulls[f.name] = 0;
      const lo = statValue(s, 'min', f.type);
      const hi = statValue(s, 'max', f.type);
      if (lo !== undefined && hi !== undefined) {
        mins[f.name] = lo;
        maxs[f.name] = hi;
      }
    }
  };
  visit(schema.fields, [], minValues, maxValues, nullCount);
  return JSON.stringify({ numRecords: file.rowCount, minValues, maxValues, nullCount, tightBounds: true });
}

const MAX_STRING_PREFIX = 32;

function statValue(s: ParquetColumnStats | undefined, which: 'min' | 'max', type: DataType): unknown {
  const raw = s?.[which];
  if (raw === undefined) return undefined;
  if (isDecimal(type)) return finite(Number(raw));
  switch (type) {
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'float':
    case 'double':
      return finite(Number(raw));
    case 'string':
      if (raw.length <= MAX_STRING_PREFIX) return raw;
      // A truncated prefix is a valid lower bound; an upper bound would need a successor string.
      return which === 'min' ? raw.slice(0, MAX_STRING_PREFIX) : undefined;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : undefined;
    case 'timestamp':
    case 'timestamp_ntz':
      return timestampStat(raw, type === 'timestamp');
    default:
      return undefined;
  }
}

function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

/** '2021-01-01 10:00:00.123456+00' → '2021-01-01T10:00:00.123Z' (ntz: no zone suffix). */
function timestampStat(raw: string, utc: boolean): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:([+-]\d{2})(?::?(\d{2}))?)?$/.exec(raw);
  if (!m) return undefined;
  const millis = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  const local = `${m[1]}T${m[2]}.${millis}`;
  if (!utc) return local;
  const offsetHours = Number(m[4] ?? '0');
  const offsetMinutes = Number(m[5] ?? '0') * Math.sign(offsetHours || 1);
  if (offsetHours === 0 && offsetMinutes === 0) return `${local}Z`;
  const ms = Date.parse(`${local}Z`) - (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(ms).toISOString();
}
