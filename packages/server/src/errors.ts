import { isCoreError } from '@strata/core';
import type { CoreErrorCode } from '@strata/core';
import { isDeltaError } from '@strata/delta';
import type { DeltaErrorCode } from '@strata/delta';

/** HTTP status of every error code the API can return; the one place codes map to statuses. */
const STATUS: Partial<Record<CoreErrorCode | DeltaErrorCode, number>> = {
  CORE_SELECTION: 400,
  CORE_INVALID_PARTITION: 400,
  CORE_INVALID_ARGUMENT: 400,
  CORE_RUN_NOT_FOUND: 404,
  CORE_RUN_EXISTS: 409,
  CORE_STORAGE: 503,
  DELTA_TABLE_NOT_FOUND: 404,
  DELTA_INVALID_ARGUMENT: 400,
  DELTA_CONCURRENT_MODIFICATION: 409,
  DELTA_STORAGE: 503,
};

/** The JSON body and status for an error: `{ error: { code, message, retryable } }`. */
export function errorResponse(e: unknown): { status: number; body: { error: { code: string; message: string; retryable: boolean } } } {
  if (isCoreError(e) || isDeltaError(e)) {
    return { status: STATUS[e.code] ?? 500, body: { error: { code: e.code, message: e.message, retryable: e.retryable } } };
  }
  // The other packages' errors (connectors, quality) carry a code and a retryable flag too.
  const coded = e as { code?: unknown; retryable?: unknown; message?: unknown };
  if (e instanceof Error && typeof coded.code === 'string' && /^[A-Z]+_[A-Z_]+$/.test(coded.code) && typeof coded.retryable === 'boolean') {
    const status = /_INVALID_/.test(coded.code) ? 400 : coded.retryable ? 503 : 500;
    return { status, body: { error: { code: coded.code, message: e.message, retryable: coded.retryable } } };
  }
  const v = e as { statusCode?: number; code?: string; message?: string };
  if (typeof v?.statusCode === 'number' && v.statusCode < 500) {
    return { status: v.statusCode, body: { error: { code: v.code ?? 'BAD_REQUEST', message: v.message ?? 'bad request', retryable: false } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), retryable: false } } };
}
