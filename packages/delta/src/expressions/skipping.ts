import type { Add } from '../actions/index.ts';
import type { DataType, StructField } from '../schema/index.ts';
import { findField, isDecimal } from '../schema/index.ts';
import type { ColumnMappingMode } from '../schema/index.ts';
import { physicalName } from '../schema/index.ts';
import { fileStats } from '../stats/file-stats.ts';
import type { Literal, Predicate } from './predicate.ts';

type Comparable = number | string | boolean;

interface ColumnView {
  readonly min?: Comparable;
  readonly max?: Comparable;
  /** Rows where the column is null; undefined when unknown. */
  readonly nulls?: number;
  readonly rows?: number;
}

export interface SkippingContext {
  readonly fields: readonly StructField[];
  readonly partitionColumns: readonly string[];
  readonly mapping: ColumnMappingMode;
}

/**
 * True unless the file's partition values and statistics prove that no row can satisfy the
 * predicate. Sound by construction: anything not understood answers "may match".
 */
export function mayMatch(p: Predicate, add: Add, ctx: SkippingContext): boolean {
  switch (p.kind) {
    case 'and':
      return p.children.every((c) => mayMatch(c, add, ctx));
    case 'or':
      return p.children.some((c) => mayMatch(c, add, ctx));
    case 'unknown':
      return true;
    case 'null': {
      const v = view(p.column, add, ctx);
      if (!v || v.nulls === undefined) return true;
      return p.negated ? v.rows === undefined || v.nulls < v.rows : v.nulls > 0;
    }
    case 'in':
      return p.values.some((value) => mayMatch({ kind: 'cmp', op: '=', column: p.column, value }, add, ctx));
    case 'cmp': {
      const field = findField({ type: 'struct', fields: ctx.fields }, p.column);
      const v = view(p.column, add, ctx);
      if (!field || !v) return true;
      if (v.rows !== undefined && v.nulls === v.rows) return false; // all null: no comparison is true
      const lit = coerce(p.value, field.type);
      if (lit === undefined || v.min === undefined || v.max === undefined) return true;
      const { min, max } = v;
      switch (p.op) {
        case '=':
          return !(min > lit || max < lit);
        case '!=':
          return !(min === lit && max === lit);
        case '<':
          return min < lit;
        case '<=':
          return min <= lit;
        case '>':
          return max > lit;
        case '>=':
          return max >= lit;
      }
    }
  }
}

function view(column: string, add: Add, ctx: SkippingContext): ColumnView | undefined {
  const field = findField({ type: 'struct', fields: ctx.fields }, column);
  if (!field) return undefined;
  const phys = physicalName(field, ctx.mapping);
  const stats = fileStats(add);
  const rows = stats?.numRecords;
  if (ctx.partitionColumns.includes(field.name)) {
    const raw = add.partitionValues[phys] ?? add.partitionValues[field.name] ?? null;
    if (raw === null || (raw === '' && field.type !== 'string')) return { nulls: rows ?? 1, rows: rows ?? 1 };
    const value = partitionValue(raw, field.type);
    return value === undefined ? undefined : { min: value, max: value, nulls: 0, rows };
  }
  if (!stats) return undefined;
  const nulls = stats.nullCount?.[phys];
  let min = fromStat(stats.minValues?.[phys], field.type);
  let max = fromStat(stats.maxValues?.[phys], field.type);
  // Timestamp statistics are truncated to milliseconds: the true maximum may be up to 999 µs later.
  if (typeof max === 'number' && (field.type === 'timestamp' || field.type === 'timestamp_ntz')) max += 999;
  if (typeof min !== typeof max) min = max = undefined;
  return { min, max, nulls: typeof nulls === 'number' ? nulls : undefined, rows };
}

function isNumeric(t: DataType): boolean {
  return isDecimal(t) || t === 'long' || t === 'integer' || t === 'short' || t === 'byte' || t === 'float' || t === 'double';
}

/**
 * Microseconds since the epoch for an ISO-like timestamp ('2024-01-01 10:00:00.123456', optional
 * 'T', optional zone 'Z', '+00', '+05:30'); no zone means UTC. Undefined when unparsable.
 */
export function epochMicros(s: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(s.trim());
  if (!m) return undefined;
  const base = Date.parse(`${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}Z`);
  if (Number.isNaN(base)) return undefined;
  const micros = Number((m[5] ?? '').padEnd(6, '0').slice(0, 6));
  let offsetMinutes = 0;
  const zone = m[6];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (!z) return undefined;
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? '0'));
  }
  return (base - offsetMinutes * 60_000) * 1000 + micros;
}

function fromStat(v: unknown, t: DataType): Comparable | undefined {
  if (v === undefined || v === null) return undefined;
  if (isNumeric(t)) return typeof v === 'number' ? v : undefined;
  if (t === 'string' || t === 'date') return typeof v === 'string' ? v.slice(0, t === 'date' ? 10 : undefined) : undefined;
  if (t === 'timestamp' || t === 'timestamp_ntz') return typeof v === 'string' ? epochMicros(v) : undefined;
  return undefined;
}

function partitionValue(raw: string, t: DataType): Comparable | undefined {
  if (isNumeric(t)) {
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  }
  if (t === 'string' || t === 'date') return raw;
  if (t === 'boolean') return raw === 'true';
  if (t === 'timestamp' || t === 'timestamp_ntz') return epochMicros(raw);
  return undefined;
}

function coerce(lit: Literal, t: DataType): Comparable | undefined {
  const v = lit.value;
  if (v === null) return undefined;
  if (isNumeric(t)) {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  if (t === 'string') return typeof v === 'string' ? v : undefined;
  if (t === 'date') return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined;
  if (t === 'boolean') return typeof v === 'boolean' ? v : undefined;
  if (t === 'timestamp' || t === 'timestamp_ntz') return typeof v === 'string' ? epochMicros(v) : undefined;
  return undefined;
}
