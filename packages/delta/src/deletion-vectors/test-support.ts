import { crc32 } from './crc32.ts';
import { PORTABLE_ROARING_MAGIC } from './roaring.ts';

/**
 * Builders of Roaring and DV-file bytes for tests, written straight from the format specs so the
 * tests can choose each container's encoding (a real writer picks the smallest one).
 */

/** One 16-bit container: its key (bits 16–31) and ascending low 16-bit values. */
export interface TestContainer {
  readonly key: number;
  readonly kind: 'array' | 'bitset' | 'run';
  readonly values: readonly number[];
}

class ByteWriter {
  private readonly chunks: number[] = [];

  u8(v: number): this {
    this.chunks.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }

  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }

  u32be(v: number): this {
    return this.u8(v >>> 24).u8(v >>> 16).u8(v >>> 8).u8(v);
  }

  bytes(b: Uint8Array): this {
    for (const x of b) this.chunks.push(x);
    return this;
  }

  get length(): number {
    return this.chunks.length;
  }

  build(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function runsOf(values: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const v of values) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] + last[1] + 1 === v) last[1]++;
    else runs.push([v, 0]);
  }
  return runs;
}

function containerBytes(c: TestContainer): Uint8Array {
  const w = new ByteWriter();
  if (c.kind === 'array') {
    for (const v of c.values) w.u16(v);
  } else if (c.kind === 'bitset') {
    const bits = new Uint8Array(8192);
    for (const v of c.values) bits[v >>> 3] = (bits[v >>> 3] ?? 0) | (1 << (v & 7));
    w.bytes(bits);
  } else {
    const runs = runsOf(c.values);
    w.u16(runs.length);
    for (const [start, lengthMinusOne] of runs) w.u16(start).u16(lengthMinusOne);
  }
  return w.build();
}

/**
 * A standard 32-bit Roaring bitmap. The run cookie is used when a container is a run container or
 * when `runCookie` asks for it; offsets are written when the spec requires them.
 */
export function bitmap32(containers: readonly TestContainer[], runCookie = false): Uint8Array {
  const size = containers.length;
  const hasRun = runCookie || containers.some((c) => c.kind === 'run');
  const bodies = containers.map(containerBytes);
  const w = new ByteWriter();
  let headerSize: number;
  if (hasRun) {
    const flags = new Uint8Array(Math.ceil(size / 8));
    containers.forEach((c, i) => {
      if (c.kind === 'run') flags[i >>> 3] = (flags[i >>> 3] ?? 0) | (1 << (i & 7));
    });
    w.u32(12347 | ((size - 1) << 16)).bytes(flags);
    headerSize = 4 + flags.length + 4 * size + (size >= 4 ? 4 * size : 0);
  } else {
    w.u32(12346).u32(size);
    headerSize = 8 + 8 * size;
  }
  for (const c of containers) w.u16(c.key).u16(c.values.length - 1);
  if (!hasRun || size >= 4) {
    let offset = headerSize;
    for (const body of bodies) {
      w.u32(offset);
      offset += body.length;
    }
  }
  for (const body of bodies) w.bytes(body);
  return w.build();
}

/** Delta's portable RoaringBitmapArray: magic, u64 bucket count, then key + 32-bit bitmap each. */
export function bitmapArray(buckets: readonly { key: number; bitmap: Uint8Array }[]): Uint8Array {
  const w = new ByteWriter().u32(PORTABLE_ROARING_MAGIC).u32(buckets.length).u32(0);
  for (const b of buckets) w.u32(b.key).bytes(b.bitmap);
  return w.build();
}

/** A DV file holding `bitmaps` one after another; returns the bytes and each DV's offset. */
export function dvFile(bitmaps: readonly Uint8Array[]): { bytes: Uint8Array; offsets: number[] } {
  const w = new ByteWriter().u8(1);
  const offsets: number[] = [];
  for (const b of bitmaps) {
    offsets.push(w.length);
    w.u32be(b.length).bytes(b).u32be(crc32(b));
  }
  return { bytes: w.build(), offsets };
}
