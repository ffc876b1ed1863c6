const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof UNIT_MS;

const SHORT = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const SHORT_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const ISO = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * A duration in milliseconds, from `36h`, `2d`, `1h30m`, `90s`, `1w` (units ms, s, m, h, d, w) or
 * an ISO 8601 duration without years or months (`PT6H`, `P1DT12H`, `P2W`). Undefined when the text
 * is none of these or is zero.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  let ms = 0;
  if (SHORT.test(t)) {
    for (const [, n, unit] of t.matchAll(SHORT_PART)) ms += Number(n) * UNIT_MS[unit as Unit];
  } else {
    const m = ISO.exec(t.toUpperCase());
    if (!m || t.length <= 1 || t.toUpperCase().endsWith('T')) return undefined;
    const [, w, d, h, min, s] = m;
    ms = Number(w ?? 0) * UNIT_MS.w + Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(min ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s;
  }
  return ms > 0 ? ms : undefined;
}

const SPOKEN: readonly [string, number][] = [
  ['day', UNIT_MS.d],
  ['hour', UNIT_MS.h],
  ['minute', UNIT_MS.m],
  ['second', UNIT_MS.s],
];

/** A duration in words, at most two units: `3 days 4 hours`, `45 minutes`, `less than a second`. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.abs(ms);
  for (const [unit, size] of SPOKEN) {
    const n = Math.floor(rest / size);
    if (n === 0 && parts.length === 0) continue;
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
    rest -= n * size;
    if (parts.length === 2 || (parts.length === 1 && n === 0)) break;
  }
  return parts.length > 0 ? parts.join(' ') : 'less than a second';
}
