import { DuckDbEngine } from '@strata/delta';
import type { Engine } from '@strata/delta';

/**
 * Orders with the usual faults: a NULL customer, a duplicated id, an unknown status, amounts
 * below and above range, amounts typed as text with 'NA' and 'NULL', a bad e-mail, a customer
 * that does not exist.
 */
export const ORDERS = `CREATE TABLE orders AS SELECT * FROM (VALUES
  (1, 10, 'paid', 10.0, '10', 'a@x.io', TIMESTAMP '2024-01-01 10:00:00'),
  (2, 11, 'paid', -5.0, 'NA', 'b@x.io', TIMESTAMP '2024-01-02 10:00:00'),
  (3, 12, 'pending', 20.0, 'NULL', 'bad', TIMESTAMP '2024-01-03 10:00:00'),
  (4, NULL, 'refunded', 1000.0, ' 7.5 ', NULL, TIMESTAMP '2024-01-04 10:00:00'),
  (4, 99, NULL, NULL, NULL, 'c@x.io', NULL)
) v(id, customer_id, status, amount, amount_text, email, created_at)`;

export const CUSTOMERS = 'CREATE TABLE customers AS SELECT * FROM (VALUES (10), (11), (12), (NULL)) v(id)';

export async function ordersEngine(): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.create({ threads: 2 });
  await engine.exec(ORDERS);
  await engine.exec(CUSTOMERS);
  return engine;
}

/** An engine that records the SQL of every query it is asked to run. */
export function recordingEngine(engine: Engine): Engine & { readonly queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    tempDir: engine.tempDir,
    exec: (sql) => engine.exec(sql),
    query: (sql) => {
      queries.push(sql);
      return engine.query(sql);
    },
    describe: (sql) => engine.describe(sql),
    fork: () => engine.fork(),
    writeParquet: (sql, dir, options) => engine.writeParquet(sql, dir, options),
    close: () => engine.close(),
  };
}
