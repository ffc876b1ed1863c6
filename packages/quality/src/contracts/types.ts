/**
 * Column types of contracts and tables. A contract's `type` is either a DuckDB type, spelled with any
 * of DuckDB's aliases and in any case (`int`, `INT4`, `numeric(10,2)`), or one of the Open Data Contract
 * Standard's logical types written in lower case (`string`, `integer`, `number`, `boolean`, `date`,
 * `timestamp`, `time`, `object`, `array`), which stands for a family of DuckDB types. Lower-case
 * `integer` is therefore the family, while `INTEGER` (or `Integer`) is DuckDB's 32-bit integer.
 * Types of actual tables are always DuckDB types, as DuckDB's `describe` reports them.
 */

export const LOGICAL_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'timestamp', 'time', 'object', 'array'] as const;
export type LogicalType = (typeof LOGICAL_TYPES)[number];

const ALIASES: Readonly<Record<string, string>> = {
  INT: 'INTEGER', INT4: 'INTEGER', INTEGER: 'INTEGER', SIGNED: 'INTEGER',
  BIGINT: 'BIGINT', INT8: 'BIGINT', LONG: 'BIGINT',
  SMALLINT: 'SMALLINT', INT2: 'SMALLINT', SHORT: 'SMALLINT',
  TINYINT: 'TINYINT', INT1: 'TINYINT',
  HUGEINT: 'HUGEINT', INT128: 'HUGEINT',
  UTINYINT: 'UTINYINT', USMALLINT: 'USMALLINT', UINTEGER: 'UINTEGER', UBIGINT: 'UBIGINT', UHUGEINT: 'UHUGEINT',
  VARCHAR: 'VARCHAR', TEXT: 'VARCHAR', STRING: 'VARCHAR', CHAR: 'VARCHAR', BPCHAR: 'VARCHAR', NVARCHAR: 'VARCHAR',
  DOUBLE: 'DOUBLE', FLOAT8: 'DOUBLE', 'DOUBLE PRECISION': 'DOUBLE',
  FLOAT: 'FLOAT', REAL: 'FLOAT', FLOAT4: 'FLOAT',
  BOOLEAN: 'BOOLEAN', BOOL: 'BOOLEAN', LOGICAL: 'BOOLEAN',
  DATE: 'DATE',
  TIME: 'TIME', 'TIME WITHOUT TIME ZONE': 'TIME',
  TIMETZ: 'TIME WITH TIME ZONE', 'TIME WITH TIME ZONE': 'TIME WITH TIME ZONE',
  TIMESTAMP: 'TIMESTAMP', DATETIME: 'TIMESTAMP', 'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP WITH TIME ZONE',
  TIMESTAMP_S: 'TIMESTAMP_S', TIMESTAMP_MS: 'TIMESTAMP_MS', TIMESTAMP_NS: 'TIMESTAMP_NS', TIMESTAMP_US: 'TIMESTAMP',
  INTERVAL: 'INTERVAL',
  BLOB: 'BLOB', BYTEA: 'BLOB', BINARY: 'BLOB', VARBINARY: 'BLOB',
  DECIMAL: 'DECIMAL(18,3)', NUMERIC: 'DECIMAL(18,3)',
  UUID: 'UUID', JSON: 'JSON', BIT: 'BIT', BITSTRING: 'BIT', VARINT: 'VARINT', BIGNUM: 'VARINT',
};

/** Decimal digits needed for every value of an integer type: the widest DECIMAL(p, 0) it fits. */
const INTEGER_DIGITS: Readonly<Record<string, number>> = {
  TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 19, HUGEINT: 39,
  UTINYINT: 3, USMALLINT: 5, UINTEGER: 10, UBIGINT: 20, UHUGEINT: 39,
};
const SIGNED = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'];
const UNSIGNED = ['UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT'];

const FAMILY_MEMBERS: Readonly<Record<LogicalType, (t: string) => boolean>> = {
  string: (t) => t === 'VARCHAR' || t === 'JSON' || t === 'UUID' || t.startsWith('ENUM('),
  integer: (t) => t in INTEGER_DIGITS || t === 'VARINT',
  number: (t) => t in INTEGER_DIGITS || t === 'VARINT' || t === 'FLOAT' || t === 'DOUBLE' || t.startsWith('DECIMAL('),
  boolean: (t) => t === 'BOOLEAN',
  date: (t) => t === 'DATE',
  timestamp: (t) => t === 'TIMESTAMP' || t === 'TIMESTAMP WITH TIME ZONE' || /^TIMESTAMP_(S|MS|NS)$/.test(t),
  time: (t) => t === 'TIME' || t === 'TIME WITH TIME ZONE',
  object: (t) => t.startsWith('STRUCT(') || t.startsWith('MAP('),
  array: (t) => t.endsWith(']'),
};

export function isLogicalType(text: string): text is LogicalType {
  return (LOGICAL_TYPES as readonly string[]).includes(text);
}

/**
 * The canonical spelling of a contract type: a lower-case logical type as written, or the DuckDB type
 * as DuckDB prints it (`INT4` → `INTEGER`, `numeric(10,2)` → `DECIMAL(10,2)`, `TIMESTAMPTZ` →
 * `TIMESTAMP WITH TIME ZONE`). Undefined when the text is neither.
 */
export function normalizeType(text: string): string | undefined {
  const t = text.trim();
  return isLogicalType(t) ? t : normalizeDuckDbType(t);
}

/** The canonical spelling of a DuckDB type (any case, any alias); undefined when it is not one. */
export function normalizeDuckDbType(text: string): string | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  const list = /^(.*?)\s*\[\s*(\d*)\s*\]$/.exec(t);
  if (list) {
    const inner = normalizeDuckDbType(list[1] ?? '');
    return inner === undefined ? undefined : `${inner}[${list[2] ?? ''}]`;
  }
  const call = /^([A-Za-z_ ]+?)\s*\((.*)\)$/.exec(t);
  if (!call) return ALIASES[t.toUpperCase()];
  const name = (call[1] ?? '').toUpperCase();
  const args = splitTopLevel(call[2] ?? '');
  switch (name) {
    case 'DECIMAL':
    case 'NUMERIC': {
      const [p, s = '0'] = args;
      if (args.length > 2 || !/^\d+$/.test(p ?? '') || !/^\d+$/.test(s)) return undefined;
      const precision = Number(p);
      const scale = Number(s);
      return precision >= 1 && precision <= 38 && scale <= precision ? `DECIMAL(${precision},${scale})` : undefined;
    }
    case 'VARCHAR':
    case 'CHAR':
    case 'TEXT':
    case 'STRING':
    case 'NVARCHAR':
    case 'BPCHAR':
      // DuckDB accepts a length but does not enforce it.
      return args.length === 1 && /^\d+$/.test(args[0] ?? '') ? 'VARCHAR' : undefined;
    case 'LIST': {
      const inner = args.length === 1 ? normalizeDuckDbType(args[0] ?? '') : undefined;
      return inner === undefined ? undefined : `${inner}[]`;
    }
    case 'MAP': {
      const parts = args.map((a) => normalizeDuckDbType(a));
      return parts.length === 2 && parts.every((p) => p !== undefined) ? `MAP(${parts.join(', ')})` : undefined;
    }
    case 'STRUCT':
    case 'UNION': {
      const fields = args.map(normalizeField);
      return fields.length > 0 && fields.every((f) => f !== undefined) ? `${name}(${fields.join(', ')})` : undefined;
    }
    case 'ENUM':
      return args.length > 0 && args.every((a) => /^'(?:[^']|'')*'$/.test(a)) ? `ENUM(${args.join(', ')})` : undefined;
    default:
      return undefined;
  }
}

/** Normalises `name TYPE` inside STRUCT(…) / UNION(…), quoting the name as DuckDB prints it. */
function normalizeField(field: string): string | undefined {
  const m = /^("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)\s+(.+)$/s.exec(field);
  if (!m) return undefined;
  const rawName = m[1] ?? '';
  const name = rawName.startsWith('"') ? rawName : `"${rawName}"`;
  const type = normalizeDuckDbType(m[2] ?? '');
  return type === undefined ? undefined : `${name} ${type}`;
}

/** Splits on commas that are not inside parentheses, brackets or quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/**
 * Whether a table column of DuckDB type `actual` satisfies the contract type `expected`: the same
 * DuckDB type after normalisation, or a member of the logical type's family. Unknown spellings of
 * `actual` are compared as written, case-insensitively.
 */
export function typeMatches(expected: string, actual: string): boolean {
  const want = normalizeType(expected) ?? expected.trim().toUpperCase();
  const have = normalizeDuckDbType(actual) ?? actual.trim().toUpperCase();
  return isLogicalType(want) ? FAMILY_MEMBERS[want](have) : want === have;
}

/**
 * How a contract column's type changed: `same`; `widening` when every value of the old type is
 * exactly representable in the new one (INTEGER → BIGINT, FLOAT → DOUBLE, DECIMAL(p,s) → DECIMAL with at
 * least as many integer and fraction digits, an integer into a DECIMAL or DOUBLE wide enough, DATE →
 * TIMESTAMP, and the same for list elements); anything else is `changed`, including a switch between a
 * logical type and a DuckDB type, which loosens or pins what the column may hold.
 */
export function typeChange(from: string, to: string): 'same' | 'widening' | 'changed' {
  const a = normalizeType(from) ?? from.trim();
  const b = normalizeType(to) ?? to.trim();
  if (a === b) return 'same';
  if (isLogicalType(a) || isLogicalType(b)) return 'changed';
  return isWidening(a, b) ? 'widening' : 'changed';
}

function isWidening(a: string, b: string): boolean {
  const listA = /^(.*)\[\]$/.exec(a);
  const listB = /^(.*)\[\]$/.exec(b);
  if (listA && listB) return isWidening(listA[1] ?? '', listB[1] ?? '');
  if (a in INTEGER_DIGITS) {
    const digits = INTEGER_DIGITS[a] ?? 0;
    const decimal = parseDecimal(b);
    if (decimal) return decimal.precision - decimal.scale >= digits;
    // A DOUBLE's 53-bit mantissa holds every 32-bit integer; a FLOAT's 24 bits every 16-bit one.
    if (b === 'DOUBLE') return digits <= 10;
    if (b === 'FLOAT') return digits <= 5;
    if (SIGNED.includes(a)) return SIGNED.includes(b) && SIGNED.indexOf(b) > SIGNED.indexOf(a);
    return (UNSIGNED.includes(b) && UNSIGNED.indexOf(b) > UNSIGNED.indexOf(a)) || (SIGNED.includes(b) && SIGNED.indexOf(b) > UNSIGNED.indexOf(a));
  }
  if (a === 'FLOAT') return b === 'DOUBLE';
  if (a === 'DATE') return b === 'TIMESTAMP';
  const da = parseDecimal(a);
  const db = parseDecimal(b);
  return da !== undefined && db !== undefined && db.scale >= da.scale && db.precision - db.scale >= da.precision - da.scale;
}

function parseDecimal(t: string): { precision: number; scale: number } | undefined {
  const m = /^DECIMAL\((\d+),(\d+)\)$/.exec(t);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}
