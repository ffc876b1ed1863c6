import { deletionVectorError } from './errors.ts';

/** The Z85 alphabet (ZeroMQ RFC 32): JSON-safe, so Delta uses it for inline DVs and DV file ids. */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Encodes bytes as Z85. Each 4-byte group (read big-endian) becomes 5 characters, so the input
 * length must be a multiple of 4; callers pad (Delta pads inline DVs with zero bytes).
 */
export function z85Encode(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) {
    throw deletionVectorError(`Z85 encode: input length ${bytes.length} is not a multiple of 4`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    let value = view.getUint32(i, false);
    const chunk = new Array<string>(5);
    for (let j = 4; j >= 0; j--) {
      chunk[j] = ALPHABET.charAt(value % 85);
      value = Math.floor(value / 85);
    }
    out += chunk.join('');
  }
  return out;
}

/**
 * Decodes Z85 text. The length must be a multiple of 5; every character must be in the Z85
 * alphabet and every 5-character group must encode a value below 2^32.
 */
export function z85Decode(text: string): Uint8Array {
  if (text.length % 5 !== 0) {
    throw deletionVectorError(`Z85 decode: input length ${text.length} is not a multiple of 5`);
  }
  const out = new Uint8Array((text.length / 5) * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (let j = i; j < i + 5; j++) {
      const code = text.charCodeAt(j);
      const digit = code < 128 ? (DECODE[code] ?? -1) : -1;
      if (digit < 0) {
        throw deletionVectorError(`Z85 decode: invalid character ${JSON.stringify(text.charAt(j))} at ${j}`);
      }
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) {
      throw deletionVectorError(`Z85 decode: group at ${i} (${text.slice(i, i + 5)}) exceeds 32 bits`);
    }
    view.setUint32((i / 5) * 4, value, false);
  }
  return out;
}
