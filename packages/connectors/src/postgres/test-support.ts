import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestDatabase } from '../sql-database/test-support.ts';
import type { PostgresDestinationConfig, PostgresSourceConfig } from './config.ts';
import { postgresDestination } from './destination.ts';
import { postgresSource } from './source.ts';

// The real server; the suites fail (they do not skip) when it cannot be reached.
const URL = process.env.STRATA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** PostgreSQL for the shared suites: each scope is a schema with a random name, dropped after its test. */
export const postgresTestDatabase: TestDatabase = {
  dialect: 'postgres',
  async scope(t) {
    const name = `strata_test_${randomBytes(5).toString('hex')}`;
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${name}`);
    t.after(async () => {
      await client.query(`DROP SCHEMA ${name} CASCADE`);
      await client.end();
    });
    return {
      name,
      connection: URL,
      sql: async (statement) => (await client.query(statement)).rows as Record<string, unknown>[],
      tables: async () =>
        (await client.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [name])).rows.map((r) => r.t),
    };
  },
  source: (config) => postgresSource(config as PostgresSourceConfig),
  destination: (config) => postgresDestination(config as PostgresDestinationConfig),
  timestamp: { ddl: 'timestamptz', duckdb: 'TIMESTAMPTZ' },
  secondsAfter: (seconds) => `(TIMESTAMPTZ '2024-01-01 00:00:00+00' + (${seconds}) * INTERVAL '1 second')`,
  series: (n) => `SELECT generate_series(1, ${n}) AS n`,
  unmappable: { sql: `'101'::BIT`, type: 'BIT' },
  connectionAs: (user) => {
    const url = new globalThis.URL(URL);
    url.username = user;
    url.password = '';
    return url.toString();
  },
  unreachable: (port, password) => `postgres://strata:${password}@127.0.0.1:${port}/strata`,
};
