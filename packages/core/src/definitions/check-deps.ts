import type { CheckDefinition } from '@strata/quality';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){1,2}$/;

/**
 * The asset a relationships check's `to:` names (`silver.parks` in `domain`, or
 * `geo.silver.communes`), as a full key; undefined when `to:` is SQL rather than an asset.
 */
export function relationshipTarget(to: string, domain: string): string | undefined {
  if (!KEY.test(to)) return undefined;
  return to.split('.').length === 2 ? `${domain}.${to}` : to;
}

/**
 * Assets the relationships checks read, as full keys: they are dependencies of the checked asset,
 * so they are materialized first.
 */
export function checkDependencies(checks: readonly CheckDefinition[], domain: string): string[] {
  return checks.flatMap((c) => {
    const target = c.type === 'relationships' ? relationshipTarget(c.to, domain) : undefined;
    return target ? [target] : [];
  });
}
