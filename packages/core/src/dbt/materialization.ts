import type { Materialization } from '../definitions/materialization.ts';
import { CoreError } from '../errors.ts';
import type { DbtConfig } from './config.ts';

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** dbt's materializations as Strata's: ephemeral models become views (nothing is stored). */
export function modelMaterialization(config: DbtConfig, file: string, fullRefresh: boolean): Materialization {
  const m = config.materialized ?? 'view';
  switch (m) {
    case 'table':
      return { kind: 'table' };
    case 'view':
    case 'ephemeral':
      return { kind: 'view' };
    case 'incremental': {
      if (fullRefresh || config.full_refresh === true) return { kind: 'table' };
      const uniqueKey = list(config.unique_key);
      const strategy = config.incremental_strategy ?? (uniqueKey.length > 0 ? 'merge' : 'append');
      if (strategy === 'append') return { kind: 'incremental', strategy: 'append' };
      if (strategy === 'merge' || strategy === 'delete+insert') {
        if (uniqueKey.length === 0) throw new CoreError('CORE_INVALID_DEFINITION', `${file}: incremental_strategy ${String(strategy)} needs unique_key`);
        return { kind: 'incremental', strategy: 'merge', uniqueKey };
      }
      throw new CoreError('CORE_INVALID_DEFINITION', `${file}: incremental_strategy ${JSON.stringify(strategy)} is not supported (append, merge, delete+insert)`);
    }
    default:
      throw new CoreError('CORE_INVALID_DEFINITION', `${file}: materialized ${JSON.stringify(m)} is not supported (table, view, incremental, ephemeral)`);
  }
}
