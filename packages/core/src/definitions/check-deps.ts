import type { CheckDefinition } from '@strata/quality';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){1,2}$/;

/**
 * Assets a relationships check reads (`to: silver.parks`), as full keys: they are dependencies of
 * the checked asset, so they are materialized first. A `to:` that is SQL is not an asset.
 */
export function checkDependencies(checks: readonly CheckDefinition[], domain: string): string[] {
  return checks.flatMap((c) => {
    if (c.type !== 'relationships' || !KEY.test(c.to)) return [];
    const parts = c.to.split('.');
    return [parts.length === 2 ? `${domain}.${c.to}` : c.to];
  });
}
