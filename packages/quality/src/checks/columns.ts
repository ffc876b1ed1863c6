import type { Engine } from '@strata/delta';
import { QualityError } from '../errors.ts';

export interface Column {
  readonly name: string;
  /** The DuckDB type as DuckDB spells it (`INTEGER`, `DECIMAL(10,2)`, `TIMESTAMP WITH TIME ZONE`). */
  readonly type: string;
}

/** The columns of a relation, found by name as DuckDB does (case-insensitively). */
export class RelationColumns {
  private readonly byName: ReadonlyMap<string, Column>;

  constructor(readonly list: readonly Column[]) {
    this.byName = new Map(list.map((c) => [c.name.toLowerCase(), c]));
  }

  /** Describes the result of `SELECT * FROM <from>` without running it. */
  static async describe(engine: Engine, from: string): Promise<RelationColumns> {
    const info = await engine.describe(`SELECT * FROM ${from}`);
    return new RelationColumns(info.names.map((name, i) => ({ name, type: String(info.types[i]) })));
  }

  get(name: string): Column | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The column, or QUALITY_CHECK_ERROR naming the check and the missing column. */
  require(check: string, name: string, where = 'the relation'): Column {
    const column = this.get(name);
    if (column) return column;
    const names = this.list.map((c) => c.name);
    const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')}, …` : names.join(', ');
    throw new QualityError('QUALITY_CHECK_ERROR', `check ${check}: column ${name} does not exist in ${where} (its columns: ${shown || 'none'})`);
  }
}
