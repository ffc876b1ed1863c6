const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Milliseconds of a duration written as one or more `<number><unit>` parts with units s, m, h, d, w
 * (`36h`, `90m`, `1d12h`, `1.5h`); undefined when the text is not such a duration or is zero.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  return ms > 0 ? ms : undefined;
}
