import type { ContractChange, ContractDiff } from './change.ts';
import { breaking, makeDiff, nonBreaking } from './change.ts';
import type { Contract } from './contract-schema.ts';
import type { Bounds, ColumnTerms, ContractTerms, Value } from './terms.ts';
import { contractTerms } from './terms.ts';
import { normalizeType, typeChange } from './types.ts';

/**
 * The changes from one version of a contract to the next, each classified as breaking or not (see
 * change.ts for the rules). A breaking change requires a new major version: when the major version
 * did not increase, that is itself a breaking finding; any other change without a higher version is
 * a non-breaking finding.
 */
export function diffContracts(before: Contract, after: Contract): ContractDiff {
  const changes: ContractChange[] = [];
  if (before.id !== after.id) {
    changes.push(breaking('asset_changed', 'both', `the contracts govern different assets: ${before.id} and ${after.id}`));
  }
  if (before.status !== after.status) changes.push(nonBreaking('status_changed', `status changed from ${before.status} to ${after.status}`));
  if (before.owner !== after.owner) {
    changes.push(nonBreaking('owner_changed', `owner changed from ${before.owner ?? '(none)'} to ${after.owner ?? '(none)'}`));
  }
  const a = contractTerms(before);
  const b = contractTerms(after);
  for (const [key, old] of a.columns) {
    const now = b.columns.get(key);
    if (now) changes.push(...columnChanges(old, now));
    else changes.push(breaking('column_removed', 'consumers', `column ${old.name} was removed`, old.name));
  }
  for (const [key, col] of b.columns) {
    if (a.columns.has(key)) continue;
    if (col.required || col.primaryKey) {
      changes.push(breaking('column_added', 'producers', `required column ${col.name} was added: every write must now supply it`, col.name));
    } else {
      changes.push(nonBreaking('column_added', `optional column ${col.name} was added`, col.name));
    }
  }
  changes.push(...tableChanges(a, b));
  changes.push(...versionFindings(before.version, after.version, changes));
  return makeDiff(after.id, 'versions', before.version, after.version, changes);
}

function columnChanges(a: ColumnTerms, b: ColumnTerms): ContractChange[] {
  const out: ContractChange[] = [];
  const col = b.name;
  const shown = (t: string) => normalizeType(t) ?? t;
  const change = typeChange(a.type, b.type);
  if (change === 'widening') out.push(nonBreaking('type_widened', `column ${col} widened from ${shown(a.type)} to ${shown(b.type)}`, col));
  if (change === 'changed') out.push(breaking('type_changed', 'both', `column ${col} changed type from ${shown(a.type)} to ${shown(b.type)}`, col));

  if (!a.primaryKey && b.primaryKey) out.push(breaking('became_primary_key', 'producers', `column ${col} became part of the primary key`, col));
  // A key column is required; report a requirement change only when the key change does not explain it.
  const requiredBefore = a.required || a.primaryKey;
  const requiredAfter = b.required || b.primaryKey;
  if (a.primaryKey && !b.primaryKey) {
    const nulls = requiredAfter ? '' : ', and it may hold null values';
    out.push(breaking('no_longer_primary_key', 'consumers', `column ${col} is no longer part of the primary key: rows may no longer be unique by the old key${nulls}`, col));
  }
  if (!requiredBefore && requiredAfter && !b.primaryKey) out.push(breaking('became_required', 'producers', `column ${col} became required: null values are rejected`, col));
  if (requiredBefore && !requiredAfter && !a.primaryKey) {
    out.push(breaking('became_optional', 'consumers', `column ${col} is no longer required: consumers may now receive null values`, col));
  }
  if (!a.unique && b.unique) out.push(breaking('became_unique', 'producers', `column ${col} became unique: duplicate values are rejected`, col));
  if (a.unique && !b.unique) out.push(breaking('no_longer_unique', 'consumers', `column ${col} is no longer unique: consumers may now see duplicate values`, col));

  if (a.classification !== b.classification) {
    out.push(breaking('classification_changed', 'consumers', `classification of column ${col} changed from ${a.classification ?? '(none)'} to ${b.classification ?? '(none)'}`, col));
  }
  out.push(...valueChanges(col, a.values, b.values));
  out.push(...boundChanges(a.range, b.range, 'range_narrowed', 'range_widened', `range of column ${col}`, col));
  out.push(...ruleChanges(a.rules, b.rules, `on column ${col}`, col));
  return out;
}

function valueChanges(col: string, a: readonly Value[] | undefined, b: readonly Value[] | undefined): ContractChange[] {
  const list = (vs: readonly Value[]) => vs.map((v) => JSON.stringify(v)).join(', ');
  if (a === undefined && b === undefined) return [];
  if (a === undefined) return [breaking('values_narrowed', 'producers', `column ${col} now only accepts ${list(b ?? [])}`, col)];
  if (b === undefined) return [nonBreaking('values_widened', `column ${col} no longer restricts its values to ${list(a)}`, col)];
  const removed = a.filter((v) => !b.includes(v));
  const added = b.filter((v) => !a.includes(v));
  const out: ContractChange[] = [];
  if (removed.length > 0) out.push(breaking('values_narrowed', 'producers', `accepted values of column ${col} narrowed: ${list(removed)} no longer accepted`, col));
  if (added.length > 0) out.push(nonBreaking('values_widened', `accepted values of column ${col} widened: ${list(added)} now accepted`, col));
  return out;
}

/** Narrowed when either bound moved inward or appeared; widened when a bound moved outward or went away. */
function boundChanges(
  a: Bounds | undefined,
  b: Bounds | undefined,
  narrowed: 'range_narrowed' | 'row_count_narrowed',
  widened: 'range_widened' | 'row_count_widened',
  what: string,
  column?: string,
): ContractChange[] {
  const inward = (x: number | string | undefined, y: number | string | undefined, tighter: (x: number | string, y: number | string) => boolean) =>
    y !== undefined && (x === undefined || typeof x !== typeof y || tighter(y, x));
  const outward = (x: number | string | undefined, y: number | string | undefined, looser: (x: number | string, y: number | string) => boolean) =>
    x !== undefined && (y === undefined || (typeof x === typeof y && looser(y, x)));
  const isNarrowed = inward(a?.min, b?.min, (y, x) => y > x) || inward(a?.max, b?.max, (y, x) => y < x);
  const isWidened = outward(a?.min, b?.min, (y, x) => y < x) || outward(a?.max, b?.max, (y, x) => y > x);
  const message = `${what} ${isNarrowed ? 'narrowed' : 'widened'} from ${showBounds(a)} to ${showBounds(b)}`;
  if (isNarrowed) return [breaking(narrowed, 'producers', message, column)];
  if (isWidened) return [nonBreaking(widened, message, column)];
  return [];
}

function showBounds(b: Bounds | undefined): string {
  if (b === undefined || (b.min === undefined && b.max === undefined)) return 'no bounds';
  const show = (v: number | string) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  return [b.min === undefined ? '' : `min ${show(b.min)}`, b.max === undefined ? '' : `max ${show(b.max)}`].filter(Boolean).join(', ');
}

function ruleChanges(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>, where: string, column?: string): ContractChange[] {
  const out: ContractChange[] = [];
  for (const [key, text] of b) if (!a.has(key)) out.push(breaking('rule_added', 'producers', `rule added ${where}: ${text}`, column));
  for (const [key, text] of a) if (!b.has(key)) out.push(nonBreaking('rule_removed', `rule removed ${where}: ${text}`, column));
  return out;
}

function tableChanges(a: ContractTerms, b: ContractTerms): ContractChange[] {
  const out: ContractChange[] = [];
  out.push(...boundChanges(a.rowCount, b.rowCount, 'row_count_narrowed', 'row_count_widened', 'row count'));
  out.push(...ruleChanges(a.rules, b.rules, 'on the table'));
  const fa = a.freshness;
  const fb = b.freshness;
  if (fb && (!fa || fb.ms < fa.ms)) {
    out.push(breaking('freshness_tightened', 'producers', fa ? `freshness SLA tightened from ${fa.text} to ${fb.text}` : `freshness SLA of ${fb.text} added`));
  } else if (fa && (!fb || fb.ms > fa.ms)) {
    out.push(nonBreaking('freshness_loosened', fb ? `freshness SLA loosened from ${fa.text} to ${fb.text}` : `freshness SLA of ${fa.text} removed`));
  }
  if (fa && fb && fa.column?.toLowerCase() !== fb.column?.toLowerCase()) {
    const on = (c: string | undefined) => (c === undefined ? 'the last load' : `column ${c}`);
    out.push(breaking('freshness_column_changed', 'producers', `freshness is now measured on ${on(fb.column)} instead of ${on(fa.column)}`));
  }
  if (a.additionalColumns && !b.additionalColumns) {
    out.push(breaking('extra_columns_forbidden', 'producers', 'the table may no longer have columns the contract does not list'));
  }
  if (!a.additionalColumns && b.additionalColumns) out.push(nonBreaking('extra_columns_allowed', 'the table may now have columns the contract does not list'));
  return out;
}

function versionFindings(from: string, to: string, changes: readonly ContractChange[]): ContractChange[] {
  if (changes.length === 0) return [];
  const a = parseSemver(from);
  const b = parseSemver(to);
  if (changes.some((c) => c.kind === 'breaking') && b.major <= a.major) {
    return [breaking('version_not_bumped', 'consumers', `version ${from} → ${to} has breaking changes but its major version did not increase; publish it as ${a.major + 1}.0.0 or later`)];
  }
  if (compareSemver(b, a) <= 0) return [nonBreaking('version_not_increased', `the contract changed but its version did not increase (${from} → ${to})`)];
  return [];
}

interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre?: string;
}

function parseSemver(v: string): Semver {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([^+]+))?/.exec(v);
  return { major: Number(m?.[1] ?? 0), minor: Number(m?.[2] ?? 0), patch: Number(m?.[3] ?? 0), ...(m?.[4] ? { pre: m[4] } : {}) };
}

/** Semver precedence, with pre-release identifiers compared as whole strings. */
function compareSemver(a: Semver, b: Semver): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.pre === b.pre) return 0;
  if (a.pre === undefined) return 1;
  if (b.pre === undefined) return -1;
  return a.pre < b.pre ? -1 : 1;
}
