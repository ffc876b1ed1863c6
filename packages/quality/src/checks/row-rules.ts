import { normalizeType, typeKind } from './column-types.ts';
import { timeMs } from './definition.ts';
import type { RowLevelCheck } from './resolve.ts';
import { fromItem, ident, str } from './sql.ts';

/** A row-level check as SQL over the relation's columns. */
export interface RowRule {
  /** TRUE for a failing row, never NULL. Contains a window function when `window` is set (unique). */
  readonly fails: string;
  /** VARCHAR `<check name>: <what is wrong>`, meaningful for a failing row. */
  readonly reason: string;
  /** Columns the check reads (the ones a sample shows); empty for expressions. */
  readonly columns: readonly string[];
  readonly window: boolean;
}

type RangeCheck = Extract<RowLevelCheck, { type: 'range' }>;

/** The pieces of a range check: the value as the bounds' kind, and the conditions that fail it. */
export interface RangeSql {
  readonly kind: 'number' | 'time';
  /** The column as a number or a timestamp; NULL when it cannot be read so. */
  readonly value: string;
  /** TRUE for a non-NULL value that cannot be read as the bounds' kind ('NA' in a text column). */
  readonly notCastable: string;
  readonly below?: string;
  readonly above?: string;
  /** `amount < 0 (min 0)` */
  readonly belowText?: string;
  readonly aboveText?: string;
}

/**
 * A range check as SQL. Without the column's type, the column is converted (TRY_CAST) to DOUBLE or
 * TIMESTAMPTZ. With it, a column already of the bounds' kind is compared as it is, which spares a
 * conversion per row (TIMESTAMP to TIMESTAMPTZ is costly); both forms select the same rows, as
 * the engine reads TIMESTAMP values as UTC.
 */
export function rangeSql(check: RangeCheck, columnType?: string): RangeSql {
  const kind = typeof (check.min ?? check.max) === 'number' ? 'number' : 'time';
  const c = ident(check.column);
  const type = columnType === undefined ? undefined : normalizeType(columnType);
  const timestamptz = (b: number | string) => `TIMESTAMPTZ ${str(String(b).trim())}`;
  // exact: the column is of the bounds' kind, so every non-NULL value can be compared.
  let [value, lit, exact] = [`TRY_CAST(${c} AS TIMESTAMPTZ)`, timestamptz, false];
  if (kind === 'number') {
    exact = type !== undefined && typeKind(type) === 'number';
    [value, lit] = [exact ? c : `TRY_CAST(${c} AS DOUBLE)`, (b) => `CAST(${b} AS DOUBLE)`];
  } else if (type === 'TIMESTAMP WITH TIME ZONE') {
    [value, exact] = [c, true];
  } else if (type !== undefined && typeKind(type) === 'time') {
    value = type === 'TIMESTAMP' ? c : `CAST(${c} AS TIMESTAMP)`;
    lit = (b) => `TIMESTAMP ${str(new Date(timeMs(String(b))).toISOString().replace('T', ' ').replace('Z', ''))}`;
    exact = true;
  }
  const out: { -readonly [K in keyof RangeSql]: RangeSql[K] } = { kind, value, notCastable: exact ? 'FALSE' : `(${c} IS NOT NULL AND ${value} IS NULL)` };
  if (check.min !== undefined) {
    out.below = `${value} ${check.min_inclusive ? '<' : '<='} ${lit(check.min)}`;
    out.belowText = check.min_inclusive ? `${check.column} < ${check.min} (min ${check.min})` : `${check.column} <= ${check.min} (must be above ${check.min})`;
  }
  if (check.max !== undefined) {
    out.above = `${value} ${check.max_inclusive ? '>' : '>='} ${lit(check.max)}`;
    out.aboveText = check.max_inclusive ? `${check.column} > ${check.max} (max ${check.max})` : `${check.column} >= ${check.max} (must be below ${check.max})`;
  }
  return out;
}

const MAX_LISTED_VALUES = 10;

/** The values of an accepted_values check as SQL, and as words for reasons and messages. */
export function acceptedValues(check: Extract<RowLevelCheck, { type: 'accepted_values' }>): { sql: string; text: string } {
  const sql = check.values.map((v) => (check.quote ? str(String(v)) : String(v))).join(', ');
  const shown = check.values.slice(0, MAX_LISTED_VALUES).map((v) => (check.quote ? `'${String(v)}'` : String(v)));
  return { sql, text: `${shown.join(', ')}${check.values.length > MAX_LISTED_VALUES ? ', …' : ''}` };
}

/** The columns of a not_null or unique check. */
export function keyColumns(check: Extract<RowLevelCheck, { type: 'not_null' | 'unique' }>): readonly string[] {
  return check.columns ?? [check.column as string];
}

/** The parent side of a relationships check: the values of `field` in `to`, NULLs left out. */
export function parentValues(check: Extract<RowLevelCheck, { type: 'relationships' }>, resolveRelation?: (name: string) => string): string {
  const f = `_parent.${ident(check.field)}`;
  return `SELECT ${f} FROM ${fromItem(resolveRelation ? resolveRelation(check.to) : check.to)} AS _parent WHERE ${f} IS NOT NULL`;
}

/** What row rules may use besides the check. */
export interface RuleContext {
  /** Turns a relationships check's `to` into relation SQL (default: `to` is the SQL). */
  readonly resolveRelation?: (name: string) => string;
  /** The DuckDB type of a column of the relation, when known. */
  readonly columnType?: (column: string) => string | undefined;
}

/** The SQL of a row-level check. */
export function rowRule(check: RowLevelCheck, ctx: RuleContext = {}): RowRule {
  const why = (text: string) => str(`${check.name}: ${text}`);
  switch (check.type) {
    case 'not_null': {
      const cols = keyColumns(check);
      const fails = cols.map((c) => `${ident(c)} IS NULL`).join(' OR ');
      const reason =
        cols.length === 1
          ? why(`${cols[0]} is NULL`)
          : `${str(`${check.name}: `)} || concat_ws(', ', ${cols.map((c) => `CASE WHEN ${ident(c)} IS NULL THEN ${str(`${c} is NULL`)} END`).join(', ')})`;
      return { fails: `(${fails})`, reason, columns: cols, window: false };
    }
    case 'unique': {
      const cols = keyColumns(check);
      const notNull = cols.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ');
      const key = cols.length === 1 ? (cols[0] as string) : `(${cols.join(', ')})`;
      return {
        fails: `(${notNull} AND count(*) OVER (PARTITION BY ${cols.map(ident).join(', ')}) > 1)`,
        reason: why(`${key} is duplicated`),
        columns: cols,
        window: true,
      };
    }
    case 'accepted_values': {
      const c = ident(check.column);
      const values = acceptedValues(check);
      return {
        fails: `(${c} IS NOT NULL AND ${c} NOT IN (${values.sql}))`,
        reason: why(`${check.column} is not one of ${values.text}`),
        columns: [check.column],
        window: false,
      };
    }
    case 'range': {
      const r = rangeSql(check, ctx.columnType?.(check.column));
      const c = ident(check.column);
      const bounds = [r.below, r.above].filter((b) => b !== undefined);
      const branches = [
        `WHEN ${r.value} IS NULL THEN ${why(`${check.column} is not a ${r.kind === 'number' ? 'number' : 'date or timestamp'}`)}`,
        ...(r.below ? [`WHEN ${r.below} THEN ${why(r.belowText as string)}`] : []),
        ...(r.above ? [`WHEN ${r.above} THEN ${why(r.aboveText as string)}`] : []),
      ];
      return {
        fails: `(${c} IS NOT NULL AND (${r.value} IS NULL OR ${bounds.join(' OR ')}))`,
        reason: `CASE ${branches.join(' ')} END`,
        columns: [check.column],
        window: false,
      };
    }
    case 'regex': {
      const c = ident(check.column);
      return {
        fails: `(${c} IS NOT NULL AND NOT regexp_full_match(CAST(${c} AS VARCHAR), ${str(check.pattern)}))`,
        reason: why(`${check.column} does not match ${check.pattern}`),
        columns: [check.column],
        window: false,
      };
    }
    case 'relationships': {
      const c = ident(check.column);
      return {
        fails: `(${c} IS NOT NULL AND ${c} NOT IN (${parentValues(check, ctx.resolveRelation)}))`,
        reason: why(`${check.column} has no match in ${check.to}.${check.field}`),
        columns: [check.column],
        window: false,
      };
    }
    case 'expression':
      return {
        // The line break keeps a trailing -- comment in the expression from swallowing the rest.
        fails: `((${check.expression}\n) IS ${check.null_passes ? 'FALSE' : 'NOT TRUE'})`,
        reason: why(`not true: ${check.expression}`),
        columns: [],
        window: false,
      };
  }
}
