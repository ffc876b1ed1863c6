import type { ContractDiff } from './change.ts';

/**
 * A diff for the terminal (`text`: a summary line, then one line per change, breaking first) or for
 * machines (`json`: the diff itself, pretty-printed).
 */
export function formatDiff(diff: ContractDiff, format: 'text' | 'json' = 'text'): string {
  if (format === 'json') return JSON.stringify(diff, null, 2);
  const subject = `${diff.contract} ${diff.from} → ${diff.compared === 'table' ? 'actual table' : diff.to}`;
  if (diff.changes.length === 0) return `${subject}: no changes`;
  const count = (n: number, what: string) => `${n} ${what} change${n === 1 ? '' : 's'}`;
  const nBreaking = diff.changes.filter((c) => c.kind === 'breaking').length;
  const summary = [nBreaking > 0 ? count(nBreaking, 'breaking') : '', nBreaking < diff.changes.length ? count(diff.changes.length - nBreaking, 'non-breaking') : '']
    .filter(Boolean)
    .join(', ');
  const lines = diff.changes.map((c) =>
    c.kind === 'breaking' ? `  breaking      ${c.message}${c.affects ? ` (breaks ${c.affects === 'both' ? 'producers and consumers' : c.affects})` : ''}` : `  non-breaking  ${c.message}`,
  );
  return [`${subject}: ${summary}`, ...lines].join('\n');
}
