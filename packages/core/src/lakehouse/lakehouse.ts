import type { Engine } from '@strata/delta';
import { DeltaTable, isDeltaError, sqlIdent as ident } from '@strata/delta';
import type { ObjectStore } from '@strata/storage';
import { parseAssetKey } from '../definitions/asset-key.ts';
import { MACRO_CATALOG, MACROS_SQL } from './macros.ts';

/** DuckDB catalog state shared by a lakehouse and its sessions. */
interface CatalogState {
  /** Catalog changes (ATTACH, CREATE SCHEMA, CREATE VIEW) are serialized through this queue. */
  queue: Promise<unknown>;
  /** Attached domains (`domain`) and created schemas (`domain.layer`). */
  readonly schemas: Set<string>;
  /** Asset key → the table version its view shows. */
  readonly views: Map<string, number>;
  /** The SQL helper macros, created once (lakehouse/macros.ts). */
  macros?: Promise<void>;
}

/**
 * The project's tables: asset `domain.layer.name` is the Delta table `<lake>/<domain>/<layer>/<name>`
 * and, in the DuckDB session, the view `domain.layer.name` (catalog.schema.table) over its latest
 * version, so SQL models and analysts write `select … from silver.bookings`.
 */
export class Lakehouse {
  private readonly tables = new Map<string, DeltaTable>();

  constructor(
    readonly lake: ObjectStore,
    readonly engine: Engine,
    /**
     * Catalog changes (ATTACH, CREATE SCHEMA, CREATE VIEW) of every session of this lakehouse go
     * through one queue: DuckDB fails concurrent catalog writes with write-write conflicts.
     */
    private readonly catalog: CatalogState = { queue: Promise.resolve(), schemas: new Set(), views: new Map() },
    /** The lakehouse a session was opened from: its cached tables seed the session's. */
    private readonly parent?: Lakehouse,
  ) {}

  private ddl(sql: string): Promise<void> {
    const run = this.catalog.queue.then(() => this.engine.exec(sql));
    this.catalog.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The same lakehouse on its own engine session, for one step: concurrent steps of different
   * domains each resolve `layer.table` in their own domain.
   */
  async session(): Promise<Lakehouse & { close(): Promise<void> }> {
    const engine = await this.engine.fork();
    const session = new Lakehouse(this.lake, engine, this.catalog, this);
    return Object.assign(session, {
      close: async () => {
        // Hand the snapshots the session loaded back, so the next step does not replay them.
        for (const [key, t] of session.tables) this.tables.get(key)?.adopt(t);
        await engine.close();
      },
    });
  }

  /** The Delta table of an asset (it may not exist yet). */
  async table(key: string): Promise<DeltaTable> {
    let t = this.tables.get(key);
    if (!t) {
      if (this.parent) {
        t = (await this.parent.table(key)).withEngine(this.engine);
      } else {
        const { domain, layer, name } = parseAssetKey(key);
        t = await DeltaTable.open(this.lake.child(`${domain}/${layer}/${name}`), { engine: this.engine });
      }
      this.tables.set(key, t);
    }
    return t;
  }

  /** Creates the DuckDB catalog and schema an asset's view lives in. */
  async ensureSchema(key: string): Promise<void> {
    const { domain, layer } = parseAssetKey(key);
    const schema = `${domain}.${layer}`;
    if (this.catalog.schemas.has(schema)) return;
    await this.ddl(`ATTACH IF NOT EXISTS ':memory:' AS ${ident(domain)}; CREATE SCHEMA IF NOT EXISTS ${ident(domain)}.${ident(layer)}`);
    this.catalog.schemas.add(schema);
  }

  /**
   * Points the view `domain.layer.name` at the table's latest version. Returns false when the
   * table does not exist yet (the asset was never materialized).
   */
  async refreshView(key: string): Promise<boolean> {
    const table = await this.table(key);
    let sql: string;
    let version: number;
    try {
      // The view already shows this version: nothing to redefine (a cheap log listing, no DDL).
      const snapshot = await table.snapshot();
      version = snapshot.version;
      if (this.catalog.views.get(key) === version) return true;
      sql = await table.scanSqlOf(snapshot);
    } catch (e) {
      if (isDeltaError(e, 'DELTA_TABLE_NOT_FOUND')) return false;
      throw e;
    }
    await this.defineView(key, sql);
    this.catalog.views.set(key, version);
    return true;
  }

  /** Defines the view of an asset as an SQL query (view-materialized assets). */
  async defineView(key: string, sql: string): Promise<void> {
    await this.ensureSchema(key);
    this.catalog.views.delete(key);
    const { domain, layer, name } = parseAssetKey(key);
    await this.ddl(`CREATE OR REPLACE VIEW ${ident(domain)}.${ident(layer)}.${ident(name)} AS ${sql}`);
  }

  /** Makes `layer.table` resolve inside a domain (`USE domain`). */
  async useDomain(domain: string): Promise<void> {
    await (this.catalog.macros ??= this.ddl(MACROS_SQL));
    if (!this.catalog.schemas.has(domain)) {
      await this.ddl(`ATTACH IF NOT EXISTS ':memory:' AS ${ident(domain)}`);
      this.catalog.schemas.add(domain);
    }
    // USE resets the search path: the helpers' catalog is put back on it.
    await this.engine.exec(`USE ${ident(domain)}; SET search_path = '${domain.replaceAll("'", "''")}.main,${MACRO_CATALOG}.main'`);
  }
}
