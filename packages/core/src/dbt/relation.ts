import { parseAssetKey } from '../definitions/asset-key.ts';

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;

/**
 * What `ref()`, `source()` and `this` return in a dbt model: a relation rendering as the quoted
 * DuckDB name of a Strata asset's view, `"domain"."layer"."name"` (dbt's database.schema.identifier).
 */
export class Relation {
  readonly database: string;
  readonly schema: string;
  readonly identifier: string;

  constructor(readonly key: string) {
    const { domain, layer, name } = parseAssetKey(key);
    this.database = domain;
    this.schema = layer;
    this.identifier = name;
  }

  /** dbt's `relation.name`, `relation.table`: the identifier. */
  get name(): string {
    return this.identifier;
  }

  get table(): string {
    return this.identifier;
  }

  toString(): string {
    return `${quote(this.database)}.${quote(this.schema)}.${quote(this.identifier)}`;
  }

  /** dbt's `relation.render()`. */
  render(): string {
    return this.toString();
  }
}
