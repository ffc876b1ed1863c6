import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { QualityError } from '../errors.ts';
import { ColumnRuleSchema, ContractColumnSchema, ContractSchema, SlaSchema, TableRuleSchema } from './contract-schema.ts';
import type { Contract } from './contract-schema.ts';

/** Reads and validates a contract file (`*.contract.yaml`). */
export async function loadContract(file: string): Promise<Contract> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new QualityError('QUALITY_INVALID_CONTRACT', `cannot read contract ${file}: ${(e as Error).message}`, { cause: e });
  }
  return parseContract(text, file);
}

/**
 * Parses and validates contract YAML. Every problem is reported on its own line of the error message
 * as `file:line: path: what was expected`, with the line of the offending key or value.
 */
export function parseContract(text: string, file = 'contract.yaml'): Contract {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e?.linePos?.[0]?.line;
    throw new QualityError('QUALITY_INVALID_CONTRACT', `${file}${line ? `:${line}` : ''}: invalid YAML: ${e?.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const result = ContractSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 20).map((issue) => describeIssue(issue, doc, lineCounter, file));
  throw new QualityError('QUALITY_INVALID_CONTRACT', lines.join('\n'));
}

/** YAML words for what zod expected. */
const EXPECTED: Readonly<Record<string, string>> = { string: 'a string', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping' };

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lineCounter: LineCounter, file: string): string {
  let path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const fields = knownFields(path, doc);
    path = [...path, ...issue.keys.slice(0, 1)];
    message = `unknown field${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''}${fields ? `; expected ${fields.join(', ')}` : ''}`;
  } else if (issue.code === 'invalid_type' && / received undefined$/.test(message)) {
    message = `missing; expected ${EXPECTED[issue.expected] ?? issue.expected}`;
  } else {
    message = message.replace(/^Invalid (input|option): /, '');
  }
  const line = lineOf(doc, path, lineCounter);
  const where = path.length > 0 ? formatPath(path) : '(top level)';
  return `${file}${line ? `:${line}` : ''}: ${where}: ${message}`;
}

/** The fields allowed in the mapping at `path`, for messages about unknown fields. */
function knownFields(path: readonly (string | number)[], doc: Document): string[] | undefined {
  const shape = (s: { shape: Record<string, unknown> }) => Object.keys(s.shape);
  const ruleFields = (union: { options: readonly { shape: Record<string, unknown> }[] }) => {
    const type = doc.getIn([...path, 'type']);
    const option = union.options.find((o) => (o.shape.type as { value?: unknown } | undefined)?.value === type);
    return option ? shape(option) : undefined;
  };
  const [a, , c] = path;
  if (path.length === 0) return shape(ContractSchema);
  if (path.length === 1 && a === 'sla') return shape(SlaSchema);
  if (path.length === 2 && a === 'schema') return shape(ContractColumnSchema);
  if (path.length === 2 && a === 'quality') return ruleFields(TableRuleSchema);
  if (path.length === 4 && a === 'schema' && c === 'quality') return ruleFields(ColumnRuleSchema);
  return undefined;
}

/** The line of the node at `path`, or of its nearest existing ancestor; a missing or unknown key points at its parent. */
function lineOf(doc: Document, path: readonly (string | number)[], lineCounter: LineCounter): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const parentPath = path.slice(0, Math.max(n - 1, 0));
    const last = path[n - 1];
    const parent = n === 0 ? doc.contents : doc.getIn(parentPath, true);
    // Point at the key of a mapping entry, which is where the reader looks for it.
    if (n > 0 && isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return lineCounter.linePos(range[0]).line;
      continue;
    }
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
