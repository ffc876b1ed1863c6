import { deletionVectorError } from './errors.ts';

/** Little-endian u32 that starts Delta's portable RoaringBitmapArray serialization. */
export const PORTABLE_ROARING_MAGIC = 1681511377;
/** Delta's "native" RoaringBitmapArray serialization; named in errors, never written to the log. */
const NATIVE_ROARING_MAGIC = 1681511376;

const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
const SERIAL_COOKIE = 12347;
const NO_OFFSET_THRESHOLD = 4;
const ARRAY_CONTAINER_MAX = 4096;
const BITSET_BYTES = 8192;
/** Row index = key * 2^32 + low; keys from 2^21 on would exceed Number.MAX_SAFE_INTEGER. */
const MAX_SAFE_KEY = 2 ** 21;

/** Bounds-checked little-endian reader over one serialized bitmap. */
class Reader {
  private readonly view: DataView;
  pos = 0;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) {
      throw deletionVectorError(
        `roaring bitmap truncated: ${what} needs ${n} bytes at ${this.pos}, ${this.bytes.length - this.pos} left`,
      );
    }
  }

  u16(): number {
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
}

/**
 * Decodes Delta's RoaringBitmapArray bytes: the magic number, then the 64-bit portable Roaring
 * format (bucket count as u64, then per bucket its high 32-bit key and a standard 32-bit Roaring
 * bitmap). Returns the row indexes in ascending order. Fails with DeltaError DELTA_DELETION_VECTOR on a wrong
 * magic, truncated or trailing bytes, unsorted keys or values, or indexes beyond 2^53.
 */
export function decodeRoaringBitmapArray(bytes: Uint8Array): Float64Array {
  const r = new Reader(bytes);
  r.need(12, 'magic number and bucket count');
  const magic = r.u32();
  if (magic !== PORTABLE_ROARING_MAGIC) {
    const hint = magic === NATIVE_ROARING_MAGIC ? ' (native format, not supported)' : '';
    throw deletionVectorError(
      `deletion vector has magic number ${magic}${hint}, expected ${PORTABLE_ROARING_MAGIC}`,
    );
  }
  const countLow = r.u32();
  const countHigh = r.u32();
  if (countHigh !== 0) throw deletionVectorError('roaring bitmap array declares more than 2^32 buckets');

  const buckets: Float64Array[] = [];
  let total = 0;
  let previousKey = -1;
  for (let b = 0; b < countLow; b++) {
    r.need(4, 'bucket key');
    const key = r.u32();
    if (key <= previousKey) {
      throw deletionVectorError(`roaring bitmap array keys not ascending: ${key} after ${previousKey}`);
    }
    if (key >= MAX_SAFE_KEY) {
      throw deletionVectorError(`roaring bitmap array key ${key} puts row indexes beyond 2^53`);
    }
    previousKey = key;
    const bucket = readBitmap32(r, key * 2 ** 32);
    buckets.push(bucket);
    total += bucket.length;
  }
  if (r.pos !== bytes.length) {
    throw deletionVectorError(`roaring bitmap array has ${bytes.length - r.pos} trailing bytes`);
  }

  const out = new Float64Array(total);
  let at = 0;
  for (const bucket of buckets) {
    out.set(bucket, at);
    at += bucket.length;
  }
  return out;
}

/** Reads one standard 32-bit Roaring bitmap at the reader's position; values are offset by `base`. */
function readBitmap32(r: Reader, base: number): Float64Array {
  const start = r.pos;
  r.need(4, 'cookie');
  const cookie = r.u32();
  let size: number;
  let runFlags: Uint8Array | undefined;
  if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) {
    r.need(4, 'container count');
    size = r.u32();
    if (size > 65536) throw deletionVectorError(`roaring bitmap declares ${size} containers (max 65536)`);
  } else if ((cookie & 0xffff) === SERIAL_COOKIE) {
    size = (cookie >>> 16) + 1;
    const flagBytes = Math.ceil(size / 8);
    r.need(flagBytes, 'run-container flags');
    runFlags = r.bytes.subarray(r.pos, r.pos + flagBytes);
    r.pos += flagBytes;
  } else {
    throw deletionVectorError(`roaring bitmap has unknown cookie ${cookie}`);
  }

  r.need(size * 4, 'descriptive header');
  const keys = new Uint16Array(size);
  const cardinalities = new Uint32Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    keys[i] = r.u16();
    cardinalities[i] = r.u16() + 1;
    total += cardinalities[i] ?? 0;
    if (i > 0 && (keys[i] ?? 0) <= (keys[i - 1] ?? 0)) {
      throw deletionVectorError(`roaring bitmap container keys not ascending at container ${i}`);
    }
  }

  let offsets: Uint32Array | undefined;
  if (runFlags === undefined || size >= NO_OFFSET_THRESHOLD) {
    r.need(size * 4, 'offset header');
    offsets = new Uint32Array(size);
    for (let i = 0; i < size; i++) offsets[i] = r.u32();
  }

  const out = new Float64Array(total);
  let at = 0;
  for (let i = 0; i < size; i++) {
    // The offsets only allow random access; a sequential reader just checks they agree with it.
    if (offsets !== undefined && offsets[i] !== r.pos - start) {
      throw deletionVectorError(
        `roaring bitmap container ${i} offset ${offsets[i]} does not match its position ${r.pos - start}`,
      );
    }
    const high = base + (keys[i] ?? 0) * 65536;
    const cardinality = cardinalities[i] ?? 0;
    const isRun = runFlags !== undefined && (((runFlags[i >>> 3] ?? 0) >>> (i & 7)) & 1) === 1;
    let written: number;
    if (isRun) written = readRunContainer(r, out, at, high);
    else if (cardinality <= ARRAY_CONTAINER_MAX) written = readArrayContainer(r, out, at, high, cardinality);
    else written = readBitsetContainer(r, out, at, high);
    if (written !== cardinality) {
      throw deletionVectorError(
        `roaring bitmap container ${i} holds ${written} values but its header says ${cardinality}`,
      );
    }
    at += written;
  }
  return out;
}

// Container readers return how many values they found; the caller compares that with the header,
// so a corrupt container cannot silently spill into its neighbours' slots (typed-array writes past
// the end are dropped, and any overrun changes the count).
function readArrayContainer(r: Reader, out: Float64Array, at: number, high: number, cardinality: number): number {
  r.need(cardinality * 2, 'array container');
  let previous = -1;
  for (let j = 0; j < cardinality; j++) {
    const low = r.u16();
    if (low <= previous) throw deletionVectorError('roaring array container values not ascending');
    previous = low;
    out[at + j] = high + low;
  }
  return cardinality;
}

function readBitsetContainer(r: Reader, out: Float64Array, at: number, high: number): number {
  r.need(BITSET_BYTES, 'bitset container');
  // 64-bit little-endian words: bit k of byte b is value 8b + k.
  let n = 0;
  for (let b = 0; b < BITSET_BYTES; b++) {
    let byte = r.bytes[r.pos + b] ?? 0;
    while (byte !== 0) {
      const bit = 31 - Math.clz32(byte & -byte);
      out[at + n++] = high + b * 8 + bit;
      byte &= byte - 1;
    }
  }
  r.pos += BITSET_BYTES;
  return n;
}

function readRunContainer(r: Reader, out: Float64Array, at: number, high: number): number {
  r.need(2, 'run container length');
  const runs = r.u16();
  r.need(runs * 4, 'run container runs');
  let n = 0;
  let next = 0;
  for (let j = 0; j < runs; j++) {
    const first = r.u16();
    const last = first + r.u16();
    if (first < next || last > 0xffff) {
      throw deletionVectorError('roaring run container runs overlap, are unsorted or exceed 16 bits');
    }
    for (let v = first; v <= last; v++) out[at + n++] = high + v;
    next = last + 1;
  }
  return n;
}
