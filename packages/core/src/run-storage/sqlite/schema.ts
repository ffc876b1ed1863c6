import type Database from 'better-sqlite3';
import { newerSchema } from './errors.ts';

/**
 * The schema as migrations: version n is MIGRATIONS[n - 1]. Each is applied once, in order, and
 * recorded in `schema_version`; released migrations are never edited, new ones are appended.
 * Dates are integer milliseconds since the epoch; JSON values are TEXT.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    trigger TEXT NOT NULL,
    selection TEXT NOT NULL,
    steps TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    ended_at INTEGER,
    parent_run_id TEXT,
    tags TEXT NOT NULL,
    error TEXT,
    last_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_by_created ON runs (created_at, run_id);
  CREATE INDEX runs_by_ended ON runs (ended_at);

  CREATE TABLE run_assets (
    asset_key TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    PRIMARY KEY (asset_key, run_id)
  ) WITHOUT ROWID;
  CREATE INDEX run_assets_by_run ON run_assets (run_id);

  CREATE TABLE events (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    occurred_at INTEGER NOT NULL,
    type TEXT NOT NULL,
    level TEXT NOT NULL,
    asset_key TEXT,
    partition_key TEXT,
    message TEXT NOT NULL,
    data TEXT,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE materializations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    asset_key TEXT NOT NULL,
    partition_key TEXT,
    occurred_at INTEGER NOT NULL,
    table_version INTEGER,
    rows_written INTEGER,
    metadata TEXT NOT NULL
  );
  CREATE INDEX materializations_by_partition ON materializations (asset_key, partition_key, occurred_at, id);
  CREATE INDEX materializations_by_asset ON materializations (asset_key, occurred_at, id);

  CREATE TABLE check_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    asset_key TEXT NOT NULL,
    partition_key TEXT,
    check_name TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    severity TEXT NOT NULL,
    table_version INTEGER,
    failing_rows INTEGER,
    metadata TEXT NOT NULL
  );
  CREATE INDEX check_results_by_time ON check_results (occurred_at, id);
  CREATE INDEX check_results_by_asset ON check_results (asset_key, occurred_at, id);
  CREATE INDEX check_results_by_run ON check_results (run_id, occurred_at, id);

  CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
];

/**
 * Brings the database to the latest schema version in one write transaction, so that concurrent
 * openers apply each migration once. Returns the version found before migrating (0 for a new database).
 */
export function migrate(db: Database.Database, path: string): number {
  const apply = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const found = db.prepare('SELECT COALESCE(MAX(version), 0) FROM schema_version').pluck().get() as number;
    if (found > MIGRATIONS.length) throw newerSchema(path, found, MIGRATIONS.length);
    const record = db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
    MIGRATIONS.slice(found).forEach((sql, i) => {
      db.exec(sql);
      record.run(found + i + 1, Date.now());
    });
    return found;
  });
  return apply.immediate();
}
