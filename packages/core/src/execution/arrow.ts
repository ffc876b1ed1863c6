import type { Row } from '../definitions/asset.ts';

/** The parts of an Apache Arrow `Table` Strata reads (structural, so any apache-arrow version works). */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string; readonly type: ArrowTypeLike }[] };
  getChildAt(i: number): { get(row: number): unknown } | null;
}

interface ArrowTypeLike {
  readonly typeId: number;
  readonly bitWidth?: number;
  readonly isSigned?: boolean;
  readonly precision?: number;
  readonly scale?: number;
  readonly unit?: number;
  /** The value type of a dictionary-encoded field. */
  readonly dictionary?: ArrowTypeLike;
}

export function isArrowTable(x: unknown): x is ArrowTableLike {
  const t = x as ArrowTableLike | undefined;
  return !!t && typeof t === 'object' && typeof t.numRows === 'number' && Array.isArray(t.schema?.fields) && typeof t.getChildAt === 'function';
}

// Arrow's Type enum (stable across versions of the format).
const T = { Dictionary: -1, Int: 2, Float: 3, Utf8: 5, Bool: 6, Decimal: 7, Date: 8, Timestamp: 10, LargeUtf8: 20 } as const;

/** The DuckDB type of an Arrow field; nested and exotic types are stored as JSON text. */
function duckType(t: ArrowTypeLike): string {
  switch (t.typeId) {
    case T.Int: {
      const bits = t.bitWidth ?? 64;
      const base = bits <= 8 ? 'TINYINT' : bits <= 16 ? 'SMALLINT' : bits <= 32 ? 'INTEGER' : 'BIGINT';
      return t.isSigned === false ? `U${base}` : base;
    }
    case T.Float:
      return t.precision === 2 ? 'DOUBLE' : 'FLOAT';
    case T.Bool:
      return 'BOOLEAN';
    case T.Decimal:
      return `DECIMAL(${t.precision ?? 38},${t.scale ?? 0})`;
    case T.Date:
      return 'DATE';
    case T.Timestamp:
      return 'TIMESTAMP';
    default:
      return 'VARCHAR';
  }
}

function jsonValue(v: unknown, t: ArrowTypeLike): unknown {
  if (v === null || v === undefined) return null;
  switch (t.typeId) {
    case T.Int:
    case T.Float:
    case T.Bool:
      return typeof v === 'bigint' ? v.toString() : v;
    case T.Utf8:
    case T.LargeUtf8:
      return v;
    case T.Date:
      return new Date(Number(v)).toISOString().slice(0, 10);
    case T.Timestamp:
      // Arrow JS returns timestamps as epoch milliseconds.
      return new Date(Number(v)).toISOString().replace('Z', '');
    case T.Decimal:
      return String(v);
    default:
      return JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
}

/** An Arrow table as rows plus the DuckDB types of its columns, so no type is guessed. */
export function arrowRows(table: ArrowTableLike): { rows: Row[]; columns: { name: string; type: string }[] } {
  const fields = table.schema.fields;
  // Dictionary-encoded columns are read as their values.
  const types = fields.map((f) => (f.type.typeId === T.Dictionary && f.type.dictionary ? f.type.dictionary : f.type));
  const columns = fields.map((f, i) => ({ name: f.name, type: duckType(types[i] as ArrowTypeLike) }));
  const vectors = fields.map((_, i) => table.getChildAt(i));
  const rows: Row[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    fields.forEach((f, i) => {
      row[f.name] = jsonValue(vectors[i]?.get(r), types[i] as ArrowTypeLike);
    });
    rows.push(row);
  }
  return { rows, columns };
}
