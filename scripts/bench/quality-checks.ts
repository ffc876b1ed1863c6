import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StrataProject } from '@strata/core';
import type { BenchContext } from './context.ts';
import type { BenchmarkResult } from './report.ts';
import { compare, formatInt, formatMs, ratioAtMost } from './report.ts';
import { progress, sample, timed } from './timing.ts';

/** Every built-in check type, on the columns of the generated bookings. */
const CHECKS = `checks:
  - { type: not_null, columns: [booking_id, park_id, amount] }
  - { type: unique, column: booking_id }
  - { type: accepted_values, column: status, values: [confirmed, cancelled, completed] }
  - { type: range, column: amount, min: 0, max: 10000 }
  - { type: regex, column: email, pattern: "[a-z0-9.]+@[a-z]+\\\\.fr" }
  - { type: relationships, column: park_id, to: silver.parks, field: park_id }
  - { type: expression, name: cancelled_has_date, expression: "status <> 'cancelled' OR cancelled_at IS NOT NULL" }
  - { type: row_count, min: 1 }
  - { type: freshness, column: created_at, max_age: 36500d }
  - { type: schema, columns: { booking_id: BIGINT, amount: DOUBLE } }
  - { type: custom_sql, name: no_huge_amount, sql: "select * from {{ relation }} where amount > 1e9" }`;

/**
 * What checks add to a materialization: the same SQL model (10 M bookings read from a bronze Delta
 * table and written as a silver table) materialized without checks and with one check of every
 * built-in type (all passing, so nothing is dropped), in the same project and session, alternating.
 */
export async function qualityChecks({ engine, config, dir }: BenchContext): Promise<BenchmarkResult> {
  const n = config.checkRows;
  const root = join(dir, 'checks');
  const write = async (path: string, text: string) => {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  };
  await write('strata.yaml', 'name: bench\n');
  await write(
    'domains/bench/bronze/bookings.sql',
    `select range as booking_id, 1 + range % 8 as park_id, range % 100000 as customer_id, (range % 50000) / 10.0 as amount,
       case range % 3 when 0 then 'confirmed' when 1 then 'cancelled' else 'completed' end as status,
       case when range % 3 = 1 then timestamp '2025-06-01' end as cancelled_at,
       'client' || (range % 100000) || '@parks.fr' as email, timestamp '2025-01-01' + to_seconds(range % 10000000) as created_at
     from range(${n})`,
  );
  await write('domains/bench/silver/parks.sql', 'select range + 1 as park_id, \'park \' || range as name from range(8)');
  const model = 'select booking_id, park_id, customer_id, amount, status, cancelled_at, email, created_at from bronze.bookings';
  await write('domains/bench/silver/plain.sql', model);
  await write('domains/bench/silver/checked.sql', `/*\n${CHECKS}\n*/\n${model}`);
  // A typical silver model: latest version of each key, cleaned text, normalized e-mail.
  const silver = `select booking_id, park_id, customer_id, amount, clean_text(status) as status, cancelled_at, normalize_email(email) as email, created_at
    from bronze.bookings qualify is_latest(booking_id, created_at)`;
  await write('domains/bench/silver/clean_plain.sql', silver);
  await write('domains/bench/silver/clean_checked.sql', `/*\n${CHECKS}\n*/\n${silver}`);
  const project = await StrataProject.open(root, { engine });
  try {
    const setup = await project.materialize({ select: ['bronze.bookings', 'silver.parks'] });
    if (setup.status !== 'success') throw new Error('the bronze table could not be built');
    progress(`quality-checks: bronze table of ${formatInt(n)} rows built`);
    const one = async (key: string) => {
      const outcome = await project.materialize({ select: key });
      if (outcome.status !== 'success') throw new Error(`${key} failed`);
    };
    const pair = async (plain: string, checked: string) => {
      await one(plain);
      await one(checked);
      const runs = { plain: [] as number[], checked: [] as number[] };
      for (let rep = 0; rep < config.repeats; rep++) {
        for (const side of rep % 2 === 0 ? ['checked', 'plain'] : ['plain', 'checked']) {
          runs[side as 'plain' | 'checked'].push((await timed(() => one(side === 'plain' ? plain : checked))).ms);
        }
        progress(`quality-checks: ${checked} ${formatMs(runs.checked.at(-1) ?? 0)}, ${plain} ${formatMs(runs.plain.at(-1) ?? 0)} (run ${rep + 1}/${config.repeats})`);
      }
      return runs;
    };
    const runs = await pair('silver.plain', 'silver.checked');
    const clean = await pair('silver.clean_plain', 'silver.clean_checked');
    const results = await project.runs.checkResults({ assetKey: 'bench.silver.checked', limit: 11 });
    const failed = results.filter((r) => !r.passed).map((r) => r.checkName);
    if (failed.length > 0) throw new Error(`checks failed: ${failed.join(', ')}`);
    return {
      name: 'quality-checks',
      parameters: { rows: n, checks: 11 },
      measurements: [
        compare(`copy ${formatInt(n)} rows (select *) with 11 checks (every built-in type) vs without`, sample(runs.checked), sample(runs.plain), ratioAtMost(1.3)),
        compare(`typical silver model (dedupe, clean text, normalize e-mail) with the same checks vs without`, sample(clean.checked), sample(clean.plain), ratioAtMost(1.3)),
      ],
      notes: [
        `the same SQL model over a ${formatInt(n)}-row bronze Delta table, materialized as a table with and without checks; the checks (${results.length} recorded, all passing) run by DuckDB on the written files before the commit; the "DuckDB" column is the materialization without checks (both sides record metrics); median of ${config.repeats} runs each, sides alternating. The copy model is the strictest case: nothing but the write to compare with`,
      ],
    };
  } finally {
    await project.close();
  }
}
