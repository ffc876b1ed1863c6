import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import type { TestDatabase } from '../sql-database/test-support.ts';
import type { MysqlDestinationConfig, MysqlSourceConfig } from './config.ts';
import { mysqlDestination } from './destination.ts';
import { mysqlSource } from './source.ts';

// The real server (MariaDB here); the suites fail (they do not skip) when it cannot be reached.
const URL = process.env.STRATA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

const withPath = (path: string, user?: string) => {
  const url = new globalThis.URL(URL);
  url.pathname = `/${path}`;
  if (user !== undefined) {
    url.username = user;
    url.password = '';
  }
  return url.toString();
};

/** MySQL/MariaDB for the shared suites: each scope is a database with a random name, dropped after its test. */
export const mysqlTestDatabase: TestDatabase = {
  dialect: 'mysql',
  async scope(t) {
    const name = `strata_test_${randomBytes(5).toString('hex')}`;
    const admin = await mysql.createConnection(URL);
    await admin.query(`CREATE DATABASE ${name}`);
    const conn = await mysql.createConnection(withPath(name));
    await conn.query(`SET time_zone = '+00:00'`);
    t.after(async () => {
      await conn.end();
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    });
    return {
      name,
      connection: withPath(name),
      sql: async (statement) => {
        const [rows] = await conn.query(statement);
        return Array.isArray(rows) ? (rows as RowDataPacket[]) : [];
      },
      tables: async () =>
        ((await conn.query<RowDataPacket[]>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1', [name]))[0]).map((r) => String(r.t)),
    };
  },
  source: (config) => mysqlSource(config as MysqlSourceConfig),
  destination: (config) => mysqlDestination(config as MysqlDestinationConfig),
  timestamp: { ddl: 'datetime(6)', duckdb: 'TIMESTAMP' },
  secondsAfter: (seconds) => `(TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (${seconds}) SECOND)`,
  series: (n) => `SELECT seq AS n FROM seq_1_to_${n}`,
  unmappable: { sql: 'INTERVAL 1 DAY', type: 'INTERVAL' },
  connectionAs: (user) => withPath('', user),
  unreachable: (port, password) => `mysql://strata:${password}@127.0.0.1:${port}/strata`,
};
