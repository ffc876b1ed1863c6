import { CoreError } from '../errors.ts';

/** The layers every project has; projects may declare more (e.g. `staging`, `platinum`). */
export const DEFAULT_LAYERS = ['bronze', 'silver', 'gold'] as const;

/** A parsed asset key: domain → layer → table, as DuckDB's catalog.schema.table. */
export interface AssetKeyParts {
  readonly domain: string;
  readonly layer: string;
  readonly name: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses `domain.layer.name`, or `layer.name` inside a domain. Each part is an SQL identifier
 * (letters, digits, underscores; not starting with a digit).
 */
export function parseAssetKey(text: string, defaultDomain?: string): AssetKeyParts {
  const parts = text.split('.');
  const full = parts.length === 2 && defaultDomain ? [defaultDomain, ...parts] : parts;
  if (full.length !== 3 || !full.every((p) => IDENT.test(p))) {
    throw new CoreError(
      'CORE_INVALID_DEFINITION',
      `invalid asset key "${text}": expected domain.layer.name${defaultDomain ? ' or layer.name' : ''} with identifiers (letters, digits, _)`,
    );
  }
  const [domain, layer, name] = full as [string, string, string];
  return { domain, layer, name };
}

export function formatAssetKey(k: AssetKeyParts): string {
  return `${k.domain}.${k.layer}.${k.name}`;
}

/** Normalizes a key given in full or relative to a domain to its full `domain.layer.name` form. */
export function normalizeAssetKey(text: string, defaultDomain?: string): string {
  return formatAssetKey(parseAssetKey(text, defaultDomain));
}

/** The key of an asset's companion table (`quarantine` → `domain.layer.name__quarantine`). */
export function companionKey(key: string, companion: string): string {
  if (!IDENT.test(companion)) throw new CoreError('CORE_INVALID_ARGUMENT', `invalid companion table name "${companion}"`);
  return `${key}__${companion}`;
}

/** The asset a companion table key (`domain.layer.name__quarantine`) belongs to. */
export function companionOf(key: string): string {
  return key.replace(/__[A-Za-z0-9_]+$/, '');
}
