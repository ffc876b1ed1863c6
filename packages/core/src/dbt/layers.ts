import { DEFAULT_LAYERS } from '../definitions/asset-key.ts';
import { CoreError } from '../errors.ts';

/** The Strata domain of a dbt project: its name, lower-cased, with other characters than [a-z0-9_] as `_`. */
export function projectDomain(projectName: string): string {
  const s = projectName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const domain = /^[a-z_]/.test(s) ? s : `_${s}`;
  return (DEFAULT_LAYERS as readonly string[]).includes(domain) ? `${domain}_dbt` : domain;
}

/**
 * The medallion layer of a dbt model: `silver` for staging and intermediate models (a folder
 * named `staging` or `intermediate` on its path, or a name starting `stg_` or `int_`), `gold`
 * for the others (marts). The `strata_layer` configuration overrides it. Seeds and sources are
 * `bronze`.
 */
export function modelLayer(name: string, folders: readonly string[], override: unknown, file: string): string {
  if (override !== undefined) {
    if (typeof override !== 'string' || !(DEFAULT_LAYERS as readonly string[]).includes(override)) {
      throw new CoreError('CORE_INVALID_DEFINITION', `${file}: strata_layer must be one of ${DEFAULT_LAYERS.join(', ')}, not ${JSON.stringify(override)}`);
    }
    return override;
  }
  const silver = folders.some((f) => f === 'staging' || f === 'intermediate') || name.startsWith('stg_') || name.startsWith('int_');
  return silver ? 'silver' : 'gold';
}
