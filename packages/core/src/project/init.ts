import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CoreError } from '../errors.ts';

const FILES: Record<string, (name: string) => string> = {
  'strata.yaml': (name) => `# Strata project: see docs/projects.md
name: ${name}
lake: lake                     # a folder, or s3://bucket/prefix
metadata: .strata/runs.db      # run history: a SQLite file, or postgres://user@host/db
execution:
  concurrency: 4
resources: {}
`,
  '.gitignore': () => 'lake/\n.strata/\n',
  'domains/shop/bronze/orders.sql': () => `/*
description: Raw orders, as received.
tags: [raw]
*/
select * from (values
  (1, 'annecy', 35.0, 'confirmed'),
  (2, 'annecy', 42.5, 'cancelled'),
  (3, 'lyon', 18.0, 'confirmed')
) as t(order_id, city, amount, status)
`,
  'domains/shop/silver/orders.sql': () => `/*
description: Confirmed orders.
*/
select order_id, city, amount from bronze.orders where status = 'confirmed'
`,
  'domains/shop/gold/revenue_by_city.sql': () => `/*
description: Revenue per city.
tags: [kpi]
*/
select city, sum(amount) as revenue, count(*) as orders from silver.orders group by city
`,
};

/** Creates a project folder that materializes at once (`strata materialize`). Refuses a non-empty strata.yaml location. */
export async function initProject(dir: string): Promise<string[]> {
  const root = resolve(dir);
  if (existsSync(join(root, 'strata.yaml'))) throw new CoreError('CORE_INVALID_CONFIG', `${root} already has a strata.yaml`);
  const name = basename(root).replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z_]/, '_$&');
  const written: string[] = [];
  for (const [file, content] of Object.entries(FILES)) {
    const path = join(root, file);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content(name));
    written.push(file);
  }
  return written;
}
