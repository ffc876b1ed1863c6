import { DeltaError } from '../errors.ts';
import type { Action } from './types.ts';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Parses a commit file (newline-delimited JSON, one action per line). Unknown action kinds and
 * fields are kept as they are and ignored by readers, as the protocol requires.
 */
export function parseActions(bytes: Uint8Array, where: string): Action[] {
  const text = decoder.decode(bytes);
  const out: Action[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    const trimmed = line.trim();
    if (trimmed.length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `${where}: line ${lineNo} is not valid JSON (${(e as Error).message})`, {
        cause: e,
      });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `${where}: line ${lineNo} is not a JSON object`);
    }
    out.push(value as Action);
  }
  return out;
}

/** Serializes actions as a commit file: one JSON object per line, each line ending with '\n'. */
export function serializeActions(actions: readonly Action[]): Uint8Array {
  return encoder.encode(actions.map((a) => JSON.stringify(a)).join('\n') + '\n');
}
