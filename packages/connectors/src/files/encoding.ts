import { isUtf8 } from 'node:buffer';

/**
 * Checks that a byte stream, fed in chunks of any size, is valid UTF-8. A character split across
 * two chunks is carried over to the next one, so chunk boundaries never cause a false alarm.
 */
export class Utf8Check {
  private carry: Uint8Array = new Uint8Array(0);
  private ok = true;

  push(chunk: Uint8Array): void {
    if (!this.ok) return;
    const bytes = this.carry.length > 0 ? concat(this.carry, chunk) : chunk;
    const cut = completePrefix(bytes);
    this.ok = isUtf8(bytes.subarray(0, cut));
    // A copy: `chunk` may be a Buffer (whose slice is a view) that the caller reads into again.
    this.carry = Uint8Array.from(bytes.subarray(cut));
  }

  /** Whether every byte pushed so far was valid UTF-8 (an unfinished character at the end is not). */
  get valid(): boolean {
    return this.ok && this.carry.length === 0;
  }

  /** True once an invalid byte was seen: the rest of the stream need not be checked. */
  get failed(): boolean {
    return !this.ok;
  }
}

/** The length of the longest prefix that does not end inside a multi-byte character. */
function completePrefix(b: Uint8Array): number {
  let i = b.length - 1;
  // Step back over at most three continuation bytes (10xxxxxx) to the lead byte.
  while (i >= 0 && b.length - i <= 3 && ((b[i] as number) & 0xc0) === 0x80) i--;
  if (i < 0) return b.length;
  const lead = b[i] as number;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return b.length - i < need ? i : b.length;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
