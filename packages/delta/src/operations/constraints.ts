import type { Engine } from '../engine/index.ts';
import { ident } from '../engine/index.ts';
import { DeltaError } from '../errors.ts';
import type { StructType } from '../schema/index.ts';

interface Rule {
  readonly name: string;
  readonly sql: string;
}

/** The rules every written row must satisfy: NOT NULL columns, column invariants and CHECK constraints. */
export function tableRules(schema: StructType, configuration: Readonly<Record<string, string>>): Rule[] {
  const rules: Rule[] = [];
  for (const f of schema.fields) {
    if (!f.nullable) rules.push({ name: `${f.name} NOT NULL`, sql: `${ident(f.name)} IS NOT NULL` });
    const inv = f.metadata['delta.invariants'];
    if (typeof inv === 'string') {
      const expr = (JSON.parse(inv) as { expression?: { expression?: string } }).expression?.expression;
      if (expr) rules.push({ name: `invariant on ${f.name}`, sql: expr });
    }
  }
  for (const [k, v] of Object.entries(configuration)) {
    if (k.startsWith('delta.constraints.')) rules.push({ name: `CHECK constraint ${k.slice('delta.constraints.'.length)}`, sql: v });
  }
  return rules;
}

/**
 * Fails with DELTA_INVARIANT_VIOLATION, naming the rule, the number of violating rows and an
 * example, when any row of `sql` breaks a rule. A rule that evaluates to NULL is a violation.
 */
export async function assertRules(engine: Engine, rules: readonly Rule[], sql: string, where: string): Promise<void> {
  if (rules.length === 0) return;
  const counts = rules.map((r, i) => `count(*) FILTER (WHERE (${r.sql}) IS NOT TRUE) AS v${i}`).join(', ');
  const [row] = await engine.query(`SELECT ${counts} FROM (${sql})`);
  for (let i = 0; i < rules.length; i++) {
    const n = Number(row?.[`v${i}`] ?? 0);
    if (n > 0) {
      const rule = rules[i] as Rule;
      const [example] = await engine.query<{ r: string }>(
        `SELECT to_json(t)::VARCHAR AS r FROM (${sql}) t WHERE (${rule.sql}) IS NOT TRUE LIMIT 1`,
      );
      throw new DeltaError(
        'DELTA_INVARIANT_VIOLATION',
        `${where}: ${n} row(s) violate ${rule.name} (${rule.sql}); e.g. ${example?.r ?? '?'}`,
      );
    }
  }
}

