import pg from 'pg';
import type { ClientConfig, CustomTypesConfig } from 'pg';
import type { Connection } from '../sql-database/config.ts';

const asText = (text: string) => text;

/** Type parsers that keep every value in PostgreSQL's text form; the type tables convert them. */
export const RAW_TEXT_TYPES: CustomTypesConfig = { getTypeParser: (() => asText) as CustomTypesConfig['getTypeParser'] };

/** Session settings that fix the text forms the type tables read and write. */
const SESSION = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'`;

/** Quotes an identifier for PostgreSQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function clientConfig(connection: Connection): ClientConfig {
  const base: ClientConfig = { types: RAW_TEXT_TYPES, application_name: 'strata', connectionTimeoutMillis: 30_000 };
  if (typeof connection === 'string') return { ...base, connectionString: connection };
  const { host, port, user, password, database } = connection;
  return { ...base, host, port: port ?? 5432, user, password, database };
}

/** Connects one client, with values kept as text and the session settings applied. */
export async function connectPostgres(connection: Connection): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(connection));
  // A connection that breaks while idle is reported here; the next query then fails and says so.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(SESSION);
    return client;
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
}
