import { QualityError } from '../errors.ts';
import { normalizeType, typeKind } from './column-types.ts';
import type { RelationColumns } from './columns.ts';
import type { EvaluateOptions, Finding } from './outcome.ts';
import { isRowLevel } from './resolve.ts';
import type { ResolvedCheck, RowLevelCheck } from './resolve.ts';
import { acceptedValues, keyColumns, rangeSql, rowRule } from './row-rules.ts';
import { ident } from './sql.ts';
import { freshnessFinding, rowCountFinding } from './table-checks.ts';
import { uniqueFinding } from './unique.ts';
import { count, metric, num, rowsHave, rowsThat } from './words.ts';

/** Checks measured by the one aggregate query over the relation: every row-level check, row_count and freshness of a column. */
export type ScanCheck = RowLevelCheck | Extract<ResolvedCheck, { type: 'row_count' | 'freshness' }>;

export function isScanCheck(check: ResolvedCheck): check is ScanCheck {
  return isRowLevel(check) || check.type === 'row_count' || (check.type === 'freshness' && check.column !== undefined);
}

/** What a check adds to the aggregate query (`<aggregate> AS <alias>`) and how it reads its result row. */
export interface ScanPart {
  readonly check: ScanCheck;
  readonly aggregates: readonly string[];
  read(row: Readonly<Record<string, unknown>>): Finding;
}

/**
 * The scan part of a check. `prefix` makes its result columns unique. Column references are
 * checked first (QUALITY_CHECK_ERROR naming the check and the column).
 */
export function scanPart(check: ScanCheck, prefix: string, columns: RelationColumns, options: EvaluateOptions): ScanPart {
  const as = (key: string) => ident(`${prefix}${key}`);
  const at = (row: Readonly<Record<string, unknown>>, key: string) => row[`${prefix}${key}`];
  const failing = (n: number, failMessage: string, passMessage: string, metrics: Record<string, number | string> = {}): Finding =>
    ({ passed: n === 0, failingRows: n, metrics, message: n > 0 ? failMessage : passMessage });
  switch (check.type) {
    case 'not_null': {
      const cols = keyColumns(check).map((c) => columns.require(check.name, c).name);
      const aggregates = [`count(*) AS ${as('rows')}`, ...cols.map((c, i) => `count(${ident(c)}) AS ${as(`set${i}`)}`)];
      if (cols.length > 1) aggregates.push(`count(*) FILTER (WHERE ${rowRule(check).fails}) AS ${as('failing')}`);
      return {
        check,
        aggregates,
        read(row) {
          const total = num(at(row, 'rows'));
          const nulls = cols.map((_, i) => total - num(at(row, `set${i}`)));
          if (cols.length === 1) {
            const n = nulls[0] as number;
            return failing(n, `${rowsHave(n)} ${cols[0]} NULL`, `${cols[0]} has no NULL value`);
          }
          const n = num(at(row, 'failing'));
          const each = cols.map((c, i) => `${c}: ${count(nulls[i] as number)}`).join(', ');
          const metrics = Object.fromEntries(cols.map((c, i) => [`null_${c}`, nulls[i] as number]));
          return failing(n, `${rowsHave(n)} a NULL in ${cols.join(' or ')} (${each})`, `${cols.join(', ')} have no NULL value`, metrics);
        },
      };
    }
    case 'unique': {
      // Whether a key repeats at all costs one DISTINCT count; the details come from measureUnique.
      const cols = keyColumns(check).map((c) => columns.require(check.name, c).name);
      const notNull = cols.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ');
      const aggregates =
        cols.length === 1
          ? [`count(${ident(cols[0] as string)}) AS ${as('keyed')}`, `count(DISTINCT ${ident(cols[0] as string)}) AS ${as('distinct')}`]
          : [`count(*) FILTER (WHERE ${notNull}) AS ${as('keyed')}`, `count(DISTINCT row(${cols.map(ident).join(', ')})) FILTER (WHERE ${notNull}) AS ${as('distinct')}`];
      return {
        check,
        aggregates,
        read(row) {
          const surplus = num(at(row, 'keyed')) - num(at(row, 'distinct'));
          if (surplus === 0) return uniqueFinding(cols, 0, 0);
          return { passed: false, metrics: { surplus_rows: surplus }, message: `${rowsThat(surplus, 'repeats', 'repeat')} a key of ${cols.join(', ')}` };
        },
      };
    }
    case 'relationships': {
      columns.require(check.name, check.column);
      const target = `${check.to}.${check.field}`;
      return {
        check,
        aggregates: [`count(*) FILTER (WHERE ${rowRule(check, { resolveRelation: options.resolveRelation }).fails}) AS ${as('failing')}`],
        read: (row) => {
          const n = num(at(row, 'failing'));
          return failing(n, `${rowsHave(n)} no match for ${check.column} in ${target}`, `every ${check.column} has a match in ${target}`);
        },
      };
    }
    case 'accepted_values': {
      columns.require(check.name, check.column);
      const values = acceptedValues(check).text;
      return {
        check,
        aggregates: [`count(*) FILTER (WHERE ${rowRule(check).fails}) AS ${as('failing')}`],
        read: (row) => {
          const n = num(at(row, 'failing'));
          return failing(n, `${rowsHave(n)} ${check.column} outside the accepted values ${values}`, `every ${check.column} is one of ${values}`);
        },
      };
    }
    case 'range':
      return rangePart(check, columns, as, at, failing);
    case 'regex':
      columns.require(check.name, check.column);
      return {
        check,
        aggregates: [`count(*) FILTER (WHERE ${rowRule(check).fails}) AS ${as('failing')}`],
        read: (row) => {
          const n = num(at(row, 'failing'));
          return failing(n, `${rowsHave(n)} ${check.column} not matching ${check.pattern}`, `every ${check.column} matches ${check.pattern}`);
        },
      };
    case 'expression': {
      const aggregates = [`count(*) FILTER (WHERE ${rowRule(check).fails}) AS ${as('failing')}`];
      if (!check.null_passes) aggregates.push(`count(*) FILTER (WHERE (${check.expression}\n) IS NULL) AS ${as('null')}`);
      return {
        check,
        aggregates,
        read: (row) => {
          const n = num(at(row, 'failing'));
          const nulls = num(at(row, 'null'));
          const why = nulls > 0 ? ` (${count(nulls)} of them because it is NULL)` : '';
          return failing(n, `${rowsThat(n, 'fails', 'fail')} ${check.expression}${why}`, `every row satisfies ${check.expression}`, check.null_passes ? {} : { null_results: nulls });
        },
      };
    }
    case 'row_count':
      return { check, aggregates: [`count(*) AS ${as('rows')}`], read: (row) => rowCountFinding(check, num(at(row, 'rows')), options.previousRowCount) };
    case 'freshness': {
      const column = columns.require(check.name, check.column as string);
      const kind = typeKind(column.type);
      if (kind !== 'time' && kind !== 'text') {
        throw new QualityError('QUALITY_CHECK_ERROR', `check ${check.name}: freshness needs a date or timestamp column, ${column.name} is ${column.type}`);
      }
      // The newest value is found first and converted once, rather than converting every value.
      const c = ident(column.name);
      const newest = kind === 'text' ? `max(TRY_CAST(${c} AS TIMESTAMPTZ))` : `max(${c})`;
      const ms = normalizeType(column.type) === 'TIMESTAMP WITH TIME ZONE' || kind === 'text' ? `epoch_ms(${newest})` : `epoch_ms(CAST(${newest} AS TIMESTAMP))`;
      return {
        check,
        aggregates: [`${ms} AS ${as('ms')}`, `CAST(${newest} AS VARCHAR) AS ${as('text')}`],
        read: (row) => {
          const [ms, text] = [at(row, 'ms'), at(row, 'text')];
          return freshnessFinding(check, { ms: ms == null ? undefined : Number(ms), text: text == null ? undefined : String(text) }, options.now ?? new Date());
        },
      };
    }
  }
}

type RangeCheck = Extract<ScanCheck, { type: 'range' }>;

function rangePart(
  check: RangeCheck,
  columns: RelationColumns,
  as: (key: string) => string,
  at: (row: Readonly<Record<string, unknown>>, key: string) => unknown,
  failing: (n: number, failMessage: string, passMessage: string, metrics?: Record<string, number | string>) => Finding,
): ScanPart {
  const column = columns.require(check.name, check.column);
  const r = rangeSql(check, column.type);
  const kind = typeKind(column.type);
  if (kind !== r.kind && kind !== 'text') {
    const bounds = r.kind === 'number' ? 'numbers' : 'dates or timestamps';
    throw new QualityError('QUALITY_CHECK_ERROR', `check ${check.name}: the bounds are ${bounds} but ${column.name} is ${column.type}`);
  }
  const observed = (fn: 'min' | 'max') => (r.kind === 'number' ? `${fn}(${r.value})` : `CAST(${fn}(${r.value}) AS VARCHAR)`);
  const aggregates = [`${observed('min')} AS ${as('min')}`, `${observed('max')} AS ${as('max')}`];
  if (r.below) aggregates.push(`count(*) FILTER (WHERE ${r.below}) AS ${as('below')}`);
  if (r.above) aggregates.push(`count(*) FILTER (WHERE ${r.above}) AS ${as('above')}`);
  // Values of the bounds' kind always convert; only text can hold values that do not ('NA', 'NULL').
  if (kind === 'text') aggregates.push(`count(*) FILTER (WHERE ${r.notCastable}) AS ${as('uncastable')}`);
  const allowed = [
    ...(check.min === undefined ? [] : [`${check.min_inclusive ? 'at least' : 'above'} ${check.min}`]),
    ...(check.max === undefined ? [] : [`${check.max_inclusive ? 'at most' : 'below'} ${check.max}`]),
  ].join(' and ');
  return {
    check,
    aggregates,
    read(row) {
      const below = num(at(row, 'below'));
      const above = num(at(row, 'above'));
      const uncastable = num(at(row, 'uncastable'));
      const min = at(row, 'min');
      const max = at(row, 'max');
      const metrics: Record<string, number | string> = { below_min: below, above_max: above };
      if (kind === 'text') metrics.not_castable = uncastable;
      if (min !== null && min !== undefined) metrics.observed_min = metric(min);
      if (max !== null && max !== undefined) metrics.observed_max = metric(max);
      const problems = [
        ...(below > 0 ? [`${rowsHave(below)} ${r.belowText}`] : []),
        ...(above > 0 ? [`${rowsHave(above)} ${r.aboveText}`] : []),
        ...(uncastable > 0
          ? [`${rowsHave(uncastable)} a value of ${check.column} that is not a ${r.kind === 'number' ? 'number' : 'date or timestamp'} (text such as 'NA' or 'NULL'), counted as failing`]
          : []),
      ];
      const seen = metrics.observed_min === undefined ? 'no value' : `observed ${metrics.observed_min} to ${metrics.observed_max}`;
      return failing(below + above + uncastable, problems.join('; '), `every ${check.column} is ${allowed} (${seen})`, metrics);
    },
  };
}
