/**
 * What a numeric column type can hold, to tell whether an existing column takes another type's
 * values unchanged.
 */
export interface NumericShape {
  /** Integer digits the type's largest values have (a value may need that many). */
  readonly needs: number;
  /** Integer digits of which every value fits. */
  readonly holds: number;
  /** Fraction digits. */
  readonly scale: number;
  readonly signed: boolean;
  /** For integer types, their order by width (compared between types of the same signedness). */
  readonly rank?: number;
}

/** Whether every value of `wanted` fits in `existing` unchanged. */
export function numericFits(existing: NumericShape, wanted: NumericShape): boolean {
  if (wanted.signed && !existing.signed) return false;
  if (existing.rank !== undefined && wanted.rank !== undefined && existing.signed === wanted.signed) return existing.rank >= wanted.rank;
  return existing.holds >= wanted.needs && existing.scale >= wanted.scale;
}

/** The shape of `decimal(p,s)` / `numeric(p,s)`. */
export function decimalShape(precision: number, scale: number, signed = true): NumericShape {
  return { needs: precision - scale, holds: precision - scale, scale, signed };
}
