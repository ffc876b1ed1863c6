/**
 * Strata quickstart: writes a Delta table of park bookings, appends, updates, merges, time-travels
 * and prints the history. Run with `npm run demo` (optionally `npm run demo -- <folder>`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeltaTable } from '@strata/delta';

const location = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'strata-demo-')), 'bookings');
const table = await DeltaTable.open(location);

const print = (title: string, rows: Record<string, unknown>[]) => {
  console.log(`\n${title}`);
  console.table(rows);
};

try {
  // Version 0: create the table, partitioned by park.
  await table.write(
    `SELECT * FROM (VALUES
       (1, 'annecy', DATE '2026-06-01', 'wakeboard', 35.0),
       (2, 'annecy', DATE '2026-06-01', 'water-ski', 42.5),
       (3, 'lyon',   DATE '2026-06-02', 'paddle',    18.0)
     ) AS t(booking_id, park, day, activity, amount)`,
    { partitionBy: ['park'] },
  );
  // Version 1: append a day of bookings.
  await table.write(
    `SELECT * FROM (VALUES
       (4, 'lyon',   DATE '2026-06-03', 'kneeboard', 30.0),
       (5, 'nantes', DATE '2026-06-03', 'wakeskate', 28.0)
     ) AS t(booking_id, park, day, activity, amount)`,
  );
  // Version 2: a refund.
  await table.update({ amount: 'amount - 10' }, 'booking_id = 2');
  // Version 3: upsert late changes by key; booking 3 was cancelled.
  await table.merge(
    `SELECT * FROM (VALUES
       (3, 'lyon',   DATE '2026-06-02', 'paddle',    18.0, 'D'),
       (6, 'annecy', DATE '2026-06-04', 'wakeboard', 35.0, 'I')
     ) AS t(booking_id, park, day, activity, amount, op)`,
    { keys: ['booking_id'], deleteWhen: "op = 'D'" },
  );

  print('Latest version', await table.read({ orderBy: 'booking_id' }));
  print('Time travel to version 0', await table.read({ version: 0, orderBy: 'booking_id' }));
  print(
    'Revenue per park (latest)',
    await table.engine.query(`SELECT park, sum(amount) AS revenue FROM (${await table.scanSql()}) GROUP BY park ORDER BY park`),
  );
  console.log('\nHistory');
  for (const h of await table.history()) {
    console.log(`  v${h.version}  ${new Date(h.timestamp).toISOString()}  ${h.operation}  ${JSON.stringify(h.operationMetrics)}`);
  }
  console.log(`\nThe Delta table is at ${location}`);
} finally {
  await table.close();
}
