import { isCoreError } from '@strata/core';
import { isDeltaError } from '@strata/delta';
import { isStorageError } from '@strata/storage';
import { isConnectorError } from '@strata/connectors';
import { isQualityError } from '@strata/quality';

/** Error codes of the command line itself (bad usage, unreadable input). */
export const CliErrorCodes = {
  CLI_USAGE: { retryable: false },
  CLI_INPUT: { retryable: false },
  /** A run ended failed or canceled. */
  CLI_RUN_FAILED: { retryable: false },
} as const;

export type CliErrorCode = keyof typeof CliErrorCodes;

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly retryable: boolean;
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
    this.retryable = CliErrorCodes[code].retryable;
  }
}

/** One line for stderr: `[CODE] message`, whatever failed. */
export function errorLine(e: unknown): string {
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');
  if (isDeltaError(e) || isStorageError(e) || isCoreError(e) || isConnectorError(e) || isQualityError(e) || e instanceof CliError) return `[${e.code}] ${oneLine(e.message)}`;
  return `[STRATA_INTERNAL] ${oneLine(e instanceof Error ? e.message : String(e))}`;
}
