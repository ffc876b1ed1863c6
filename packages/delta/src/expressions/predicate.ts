import type { Engine } from '../engine/index.ts';
import { str } from '../engine/index.ts';
import { DeltaError } from '../errors.ts';

/** A literal from a predicate, with the DuckDB type the parser gave it. */
export interface Literal {
  readonly value: string | number | boolean | null;
  readonly type: string;
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * The part of an SQL predicate that data skipping understands. Anything else becomes `unknown`,
 * which never skips a file. The full predicate is always evaluated by the engine on the rows.
 */
export type Predicate =
  | { readonly kind: 'and' | 'or'; readonly children: readonly Predicate[] }
  | { readonly kind: 'cmp'; readonly op: CompareOp; readonly column: string; readonly value: Literal }
  | { readonly kind: 'in'; readonly column: string; readonly values: readonly Literal[] }
  | { readonly kind: 'null'; readonly column: string; readonly negated: boolean }
  | { readonly kind: 'unknown' };

const UNKNOWN: Predicate = { kind: 'unknown' };

/** A parsed predicate: the original SQL (to give the engine) plus its skipping structure. */
export interface ParsedPredicate {
  readonly sql: string;
  readonly tree: Predicate;
  /** Top-level column names the predicate references. */
  readonly columns: ReadonlySet<string>;
}

/** Parses an SQL boolean expression with DuckDB's own parser; a syntax error names the predicate. */
export async function parsePredicate(engine: Engine, sql: string): Promise<ParsedPredicate> {
  const [row] = await engine.query<{ j: string }>(`SELECT json_serialize_sql(${str(`SELECT 1 WHERE ${sql}`)}) AS j`);
  const json = JSON.parse(row?.j ?? '{}') as { error?: boolean; error_message?: string; statements?: { node: { where_clause: Node } }[] };
  if (json.error || !json.statements || json.statements.length !== 1) {
    throw new DeltaError('DELTA_INVALID_ARGUMENT', `invalid predicate ${JSON.stringify(sql)}: ${json.error_message ?? 'not one expression'}`);
  }
  const where = json.statements[0]?.node.where_clause as Node;
  const columns = new Set<string>();
  collectColumns(where, columns);
  return { sql, tree: convert(where, false), columns };
}

type Node = Record<string, unknown> & { class?: string; type?: string };

function collectColumns(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((n) => collectColumns(n, out));
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  if (n.class === 'COLUMN_REF' && Array.isArray(n.column_names)) {
    out.add(String(n.column_names[0]));
    return;
  }
  if (n.class === 'SUBQUERY') {
    throw new DeltaError('DELTA_INVALID_ARGUMENT', 'predicates may not contain subqueries');
  }
  for (const v of Object.values(n)) collectColumns(v, out);
}

const FLIP: Record<CompareOp, CompareOp> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const NEGATE: Record<CompareOp, CompareOp> = { '=': '!=', '!=': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
const OPS: Record<string, CompareOp> = {
  COMPARE_EQUAL: '=',
  COMPARE_NOTEQUAL: '!=',
  COMPARE_LESSTHAN: '<',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHAN: '>',
  COMPARE_GREATERTHANOREQUALTO: '>=',
};

/** Converts DuckDB's parse tree; `negated` pushes a NOT down (De Morgan) so skipping stays sound. */
function convert(node: Node, negated: boolean): Predicate {
  switch (node.type) {
    case 'CONJUNCTION_AND':
    case 'CONJUNCTION_OR': {
      const and = (node.type === 'CONJUNCTION_AND') !== negated;
      return { kind: and ? 'and' : 'or', children: (node.children as Node[]).map((c) => convert(c, negated)) };
    }
    case 'OPERATOR_NOT':
      return convert((node.children as Node[])[0] as Node, !negated);
    case 'OPERATOR_IS_NULL':
    case 'OPERATOR_IS_NOT_NULL': {
      const column = columnOf((node.children as Node[])[0]);
      if (!column) return UNKNOWN;
      return { kind: 'null', column, negated: (node.type === 'OPERATOR_IS_NOT_NULL') !== negated };
    }
    case 'COMPARE_IN': {
      if (negated) return UNKNOWN;
      const [first, ...rest] = node.children as Node[];
      const column = columnOf(first);
      const values = rest.map(literalOf);
      if (!column || values.some((v) => v === undefined)) return UNKNOWN;
      return { kind: 'in', column, values: values as Literal[] };
    }
    case 'COMPARE_BETWEEN': {
      const column = columnOf(node.input);
      const low = literalOf(node.lower);
      const high = literalOf(node.upper);
      if (!column || !low || !high) return UNKNOWN;
      const lo: Predicate = { kind: 'cmp', op: negated ? '<' : '>=', column, value: low };
      const hi: Predicate = { kind: 'cmp', op: negated ? '>' : '<=', column, value: high };
      return { kind: negated ? 'or' : 'and', children: [lo, hi] };
    }
    default: {
      const op = OPS[node.type ?? ''];
      if (!op) return UNKNOWN;
      const lc = columnOf(node.left);
      const rc = columnOf(node.right);
      const ll = literalOf(node.left);
      const rl = literalOf(node.right);
      let p: { column: string; op: CompareOp; value: Literal } | undefined;
      if (lc && rl) p = { column: lc, op, value: rl };
      else if (rc && ll) p = { column: rc, op: FLIP[op], value: ll };
      if (!p || p.value.value === null) return UNKNOWN;
      return { kind: 'cmp', column: p.column, op: negated ? NEGATE[p.op] : p.op, value: p.value };
    }
  }
}

function columnOf(node: unknown): string | undefined {
  const n = node as Node | undefined;
  if (n?.class === 'COLUMN_REF' && Array.isArray(n.column_names) && n.column_names.length === 1) return String(n.column_names[0]);
  return undefined;
}

function literalOf(node: unknown): Literal | undefined {
  const n = node as Node | undefined;
  if (!n) return undefined;
  if (n.class === 'CAST') {
    const inner = literalOf(n.child);
    const castType = (n.cast_type as { id?: string } | undefined)?.id;
    return inner && castType ? { value: inner.value, type: castType } : undefined;
  }
  if (n.class !== 'CONSTANT') return undefined;
  const v = n.value as { type: { id: string; type_info?: { scale?: number } | null }; is_null: boolean; value: unknown };
  if (v.is_null) return { value: null, type: v.type.id };
  if (v.type.id === 'DECIMAL') {
    const scale = v.type.type_info?.scale ?? 0;
    return { value: Number(v.value) / 10 ** scale, type: 'DOUBLE' };
  }
  const value = v.value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { value, type: v.type.id };
  return undefined;
}
