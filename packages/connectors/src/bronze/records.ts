import { LOAD_COLUMNS } from './columns.ts';

/** A JSON value's kind, as the loader types columns. */
type Kind = 'integer' | 'double' | 'boolean' | 'string' | 'json';

/** A field whose received values did not fit its column: kept in `_rescued_data` and reported. */
export interface TypeChange {
  readonly column: string;
  /** The column's type in the table. */
  readonly expected: string;
  /** What was received (`string`, `double`, `json`…). */
  readonly received: string;
  /** Rows whose value was rescued rather than stored in the column. */
  readonly rows: number;
}

export interface PreparedRecords {
  /** Rows to stage as NDJSON: every value fits its column's type. */
  readonly rows: Record<string, unknown>[];
  /** Column → DuckDB type, for the table's columns present in the batch and the new ones. */
  readonly columns: Map<string, string>;
  readonly typeChanges: TypeChange[];
}

function kindOf(v: unknown): Kind | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? 'integer' : 'double';
  if (typeof v === 'string') return 'string';
  return 'json';
}

/** The DuckDB type of a new column from the kinds of its values in the batch. */
function typeFor(kinds: ReadonlySet<Kind>): string {
  if (kinds.size === 0) return 'VARCHAR';
  if ([...kinds].every((k) => k === 'integer')) return 'BIGINT';
  if ([...kinds].every((k) => k === 'integer' || k === 'double')) return 'DOUBLE';
  if (kinds.size === 1 && kinds.has('boolean')) return 'BOOLEAN';
  return 'VARCHAR';
}

/** How a value of `kind` is stored in a column of `type`, or undefined if it does not fit. */
function fit(v: unknown, kind: Kind, type: string): unknown {
  switch (type) {
    case 'BIGINT':
    case 'INTEGER':
    case 'HUGEINT':
      return kind === 'integer' ? v : undefined;
    case 'DOUBLE':
    case 'FLOAT':
      return kind === 'integer' || kind === 'double' ? v : undefined;
    case 'BOOLEAN':
      return kind === 'boolean' ? v : undefined;
    case 'VARCHAR':
      // Nested values are kept as their JSON text.
      return kind === 'string' ? v : kind === 'json' ? JSON.stringify(v) : undefined;
    default:
      return kind === 'string' ? v : undefined;
  }
}

/**
 * Types the fields of JSON records for the bronze table: columns the table has keep their type;
 * new fields get one from the values received (integers, doubles, booleans, else text; nested
 * objects and arrays as JSON text). A value that does not fit its column is kept as received in
 * `_rescued_data` and counted as a type change, never cast away.
 */
export function prepareRecords(records: readonly Readonly<Record<string, unknown>>[], tableTypes: ReadonlyMap<string, string>): PreparedRecords {
  const kinds = new Map<string, Set<Kind>>();
  const names = new Map<string, string>();
  for (const r of records) {
    for (const [k, v] of Object.entries(r)) {
      const lower = k.toLowerCase();
      if (!names.has(lower)) names.set(lower, k);
      const kind = kindOf(v);
      let set = kinds.get(lower);
      if (!set) kinds.set(lower, (set = new Set()));
      if (kind) set.add(kind);
    }
  }
  const columns = new Map<string, string>();
  for (const [lower, set] of kinds) columns.set(names.get(lower) as string, tableTypes.get(lower) ?? typeFor(set));
  const changes = new Map<string, { expected: string; received: Set<Kind>; rows: number }>();
  const rows = records.map((r) => {
    const row: Record<string, unknown> = {};
    let rescued: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(r)) {
      const kind = kindOf(v);
      if (kind === undefined) continue;
      const type = columns.get(names.get(k.toLowerCase()) as string) as string;
      const stored = fit(v, kind, type);
      if (stored !== undefined) {
        row[k] = stored;
        continue;
      }
      (rescued ??= {})[k] = v;
      let c = changes.get(k);
      if (!c) changes.set(k, (c = { expected: type, received: new Set(), rows: 0 }));
      c.received.add(kind);
      c.rows++;
    }
    if (rescued) row[LOAD_COLUMNS.rescued] = JSON.stringify(rescued);
    return row;
  });
  const typeChanges = [...changes].map(([column, c]) => ({ column, expected: c.expected, received: [...c.received].join(', '), rows: c.rows }));
  return { rows, columns, typeChanges };
}
