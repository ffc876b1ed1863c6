import type { PoolClient } from 'pg';
import { newerSchema } from './errors.ts';

/**
 * The schema as migrations over the quoted schema name `s`: version n is MIGRATIONS[n - 1]. Each is
 * applied once, in order, and recorded in `schema_version`; released migrations are never edited,
 * new ones are appended. Run ids sort by code point (COLLATE "C"), as in SQLite and in memory.
 */
export const MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
  CREATE TABLE ${s}.runs (
    run_id text COLLATE "C" PRIMARY KEY,
    status text NOT NULL,
    trigger text NOT NULL,
    selection jsonb NOT NULL,
    steps jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    started_at timestamptz,
    ended_at timestamptz,
    parent_run_id text,
    tags jsonb NOT NULL,
    error text,
    last_seq bigint NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_by_created ON ${s}.runs (created_at, run_id);
  CREATE INDEX runs_by_ended ON ${s}.runs (ended_at);

  CREATE TABLE ${s}.run_assets (
    asset_key text NOT NULL,
    run_id text COLLATE "C" NOT NULL REFERENCES ${s}.runs (run_id) ON DELETE CASCADE,
    PRIMARY KEY (asset_key, run_id)
  );
  CREATE INDEX run_assets_by_run ON ${s}.run_assets (run_id);

  CREATE TABLE ${s}.events (
    run_id text COLLATE "C" NOT NULL REFERENCES ${s}.runs (run_id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    type text NOT NULL,
    level text NOT NULL,
    asset_key text,
    partition_key text,
    message text NOT NULL,
    data jsonb,
    PRIMARY KEY (run_id, seq)
  );

  CREATE TABLE ${s}.materializations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id text NOT NULL,
    asset_key text NOT NULL,
    partition_key text,
    occurred_at timestamptz NOT NULL,
    table_version bigint,
    rows_written bigint,
    metadata jsonb NOT NULL
  );
  CREATE INDEX materializations_by_partition ON ${s}.materializations (asset_key, partition_key, occurred_at, id);
  CREATE INDEX materializations_by_asset ON ${s}.materializations (asset_key, occurred_at, id);

  CREATE TABLE ${s}.check_results (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id text NOT NULL,
    asset_key text NOT NULL,
    partition_key text,
    check_name text NOT NULL,
    occurred_at timestamptz NOT NULL,
    passed boolean NOT NULL,
    severity text NOT NULL,
    table_version bigint,
    failing_rows bigint,
    metadata jsonb NOT NULL
  );
  CREATE INDEX check_results_by_time ON ${s}.check_results (occurred_at, id);
  CREATE INDEX check_results_by_asset ON ${s}.check_results (asset_key, occurred_at, id);
  CREATE INDEX check_results_by_run ON ${s}.check_results (run_id, occurred_at, id);

  CREATE TABLE ${s}.cursors (
    name text PRIMARY KEY,
    value text NOT NULL,
    updated_at timestamptz NOT NULL
  );
  `,
];

/**
 * Creates the schema and brings it to the latest version inside the caller's transaction. An
 * advisory lock on the schema name serializes concurrent openers, so each migration runs once.
 * Returns the version found before migrating (0 for a new schema).
 */
export async function migrate(client: PoolClient, schema: string, location: string): Promise<number> {
  const s = quoteIdent(schema);
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`strata.run-storage.${schema}`]);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await client.query<{ version: number }>(`SELECT COALESCE(MAX(version), 0) AS version FROM ${s}.schema_version`);
  const found = rows[0]?.version ?? 0;
  if (found > MIGRATIONS.length) throw newerSchema(location, found, MIGRATIONS.length);
  for (const [i, migration] of MIGRATIONS.slice(found).entries()) {
    await client.query(migration(s));
    await client.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [found + i + 1]);
  }
  return found;
}

/** A schema name as an SQL identifier; names are checked in config.ts, quoting keeps them literal. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
