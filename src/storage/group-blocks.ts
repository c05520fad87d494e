// A view's groups are stored several to an LMDB value: a block. Blocks hold
// consecutive groups in key order, so a full-view scan steps LMDB's cursor
// once per block rather than once per group, and a commit puts each changed
// block once rather than each changed group (LMDB's per-put and per-entry
// costs were most of a bulk load's commit and of a full scan).
//
// Block value:
//   uvarint  0, or the length of the block's upper bound + 1, then its bytes
//   then the groups back to back, in ascending byte order of their group
//   keys, each as
//     uvarint  key length, then the group key's bytes
//     uvarint  states length, then the serialized states
//
// Each block is keyed in LMDB by its fence (view-state-store.ts): no group
// key in it is below the fence, and every one is below the next block's
// fence. A fence is its block's first group key, or, when that is longer
// than LMDB can key (MAX_FENCE_BYTES), the shortest prefix of it that is
// above the group before; two keys that share MAX_FENCE_BYTES bytes or
// more cannot be cut apart, and stay in one block however large (each
// commit that changes one of them rewrites it whole). A group therefore lives in the block with the greatest fence not
// above its key. The upper bound is the next block's fence when the block
// was written (0: it was the view's last): a block is never made between a
// block and its upper bound without that block being rewritten, so a key
// from the block's fence up to its upper bound is in that block, which lets
// a reader trust a block it found through a fence index (fence-index.ts).
// (A block removed later can leave the one before it with an upper bound
// below its real range: keys past that bound are then looked up the slow
// way, never wrongly.)
import { ByteWriter, putUvarint } from '../planner/bytes.js';
import { PgError } from '../errors.js';
import { MAX_FENCE_BYTES } from './storage-key.js';

/** A rewritten block over this many bytes is cut into several. */
export const MAX_BLOCK_BYTES = 1536;

/** Blocks cut from a larger one are filled to about this many bytes (room to grow before the next cut). */
export const FILL_BLOCK_BYTES = 1024;

function corruptBlock(): PgError {
  return new PgError('XX001', 'invalid view state block in storage');
}

/** -1, 0 or 1 as bytes [as, ae) of `a` sort before, equal to or after [bs, be) of `b` (shorter first on a tie). */
export function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const d = a[as + i]! - b[bs + i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  const la = ae - as;
  const lb = be - bs;
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/**
 * Walks the groups of a block: after each next() that answers true, the
 * group's key is bytes [keyStart, keyEnd) and its states [stateStart,
 * stateEnd) of `bytes`. One reader is reused from block to block.
 */
export class BlockReader {
  bytes: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  keyStart = 0;
  keyEnd = 0;
  stateStart = 0;
  stateEnd = 0;
  /** The block's upper bound is bytes [upperStart, upperEnd) (when hasUpper). */
  hasUpper = false;
  upperStart = 0;
  upperEnd = 0;
  /** Where the groups start. */
  bodyStart = 0;
  /** Where the group next() moved to starts (its key length). */
  groupStart = 0;

  /** Reads the block at [start, end) of `bytes` (its header now); an empty range has no groups. */
  reset(bytes: Uint8Array, start: number, end: number): this {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.hasUpper = false;
    if (start < end) {
      const h = this.length();
      this.hasUpper = h > 0;
      this.upperStart = this.pos;
      this.upperEnd = this.pos += h > 0 ? h - 1 : 0;
      if (this.pos > end) throw corruptBlock();
    }
    this.bodyStart = this.pos;
    return this;
  }

  /** Reads groups back to back at [start, end) of `bytes`, with no header (a BlockBuilder's). */
  resetBody(bytes: Uint8Array, start: number, end: number): this {
    this.bytes = bytes;
    this.pos = this.bodyStart = start;
    this.end = end;
    this.hasUpper = false;
    return this;
  }

  /** Where the block ends. */
  get blockEnd(): number {
    return this.end;
  }

  /** Whether bytes [ks, ke) of `key` are below the block's upper bound (or it has none). */
  belowUpper(key: Uint8Array, ks: number, ke: number): boolean {
    return !this.hasUpper || compareBytes(key, ks, ke, this.bytes, this.upperStart, this.upperEnd) < 0;
  }

  next(): boolean {
    if (this.pos >= this.end) return false;
    this.groupStart = this.pos;
    const keyLength = this.length();
    this.keyStart = this.pos;
    this.keyEnd = this.pos += keyLength;
    if (this.pos >= this.end) throw corruptBlock();
    const stateLength = this.length();
    this.stateStart = this.pos;
    this.pos += stateLength;
    if (this.pos > this.end) throw corruptBlock();
    this.stateEnd = this.pos;
    return true;
  }

  /** The uvarint length at pos (which it moves past). */
  private length(): number {
    const buf = this.bytes;
    let n = buf[this.pos++]!;
    if (n < 0x80) return n;
    n &= 0x7f;
    let shift = 7;
    let b: number;
    do {
      if (this.pos >= this.end) throw corruptBlock();
      b = buf[this.pos++]!;
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b >= 0x80);
    return n;
  }

  /** Moves to the group whose key is bytes [ks, ke) of `key`; false when the block has none. */
  find(key: Uint8Array, ks: number, ke: number): boolean {
    while (this.next()) {
      const c = compareBytes(this.bytes, this.keyStart, this.keyEnd, key, ks, ke);
      if (c === 0) return true;
      if (c > 0) return false;
    }
    return false;
  }
}

/**
 * Builds the blocks that replace one: groups are added in key order, then
 * cut() says where each new block ends. The first block keeps the replaced
 * block's fence; each later one is fenced by its first group's key (or a prefix of it).
 */
export class BlockBuilder {
  private readonly out = new ByteWriter(4096);
  /** Finds group boundaries for cut(), which are not kept as groups are added. */
  private readonly reader = new BlockReader();

  /** The blocks' bytes, from 0 to pos. */
  get buf(): Uint8Array {
    return this.out.buf;
  }

  get pos(): number {
    return this.out.pos;
  }

  reset(): void {
    this.out.reset();
  }

  add(key: Uint8Array, ks: number, ke: number, state: Uint8Array, ss: number, se: number): void {
    const kl = ke - ks;
    const sl = se - ss;
    const out = this.out;
    out.ensure(kl + sl + 16);
    const buf = out.buf;
    let p = putUvarint(buf, out.pos, kl);
    for (let i = ks; i < ke; i++) buf[p++] = key[i]!;
    p = putUvarint(buf, p, sl);
    if (sl > 64) buf.set(state.subarray(ss, se), p);
    else for (let i = 0; i < sl; i++) buf[p + i] = state[ss + i]!;
    out.pos = p + sl;
  }

  /** Adds groups as they lie encoded in another block: bytes [start, end) of `bytes` (one copy for a run of them). */
  addEncoded(bytes: Uint8Array, start: number, end: number): void {
    const out = this.out;
    out.ensure(end - start);
    out.buf.set(bytes.subarray(start, end), out.pos);
    out.pos += end - start;
  }

  /**
   * The new blocks: [start, end, fenceStart, fenceEnd] of each, where
   * fenceStart and fenceEnd locate in `buf` the fence of every block but the
   * first: its first group's key, or a prefix of it (see the top of this
   * file). One block when everything fits in MAX_BLOCK_BYTES; else blocks
   * filled to FILL_BLOCK_BYTES, a short remainder joined to the one before
   * it when both fit.
   */
  cut(): number[][] {
    const size = this.pos;
    if (size === 0) return [];
    const r = this.reader.resetBody(this.buf, 0, size);
    r.next();
    if (size <= MAX_BLOCK_BYTES) return [[0, size, r.keyStart, r.keyEnd]];
    const out: number[][] = [];
    let start = 0;
    let fs = r.keyStart;
    let fe = r.keyEnd;
    for (;;) {
      const ps = r.keyStart;
      const pe = r.keyEnd;
      const more = r.next();
      const boundary = more ? r.groupStart : size;
      if (more && boundary - start < FILL_BLOCK_BYTES) continue;
      const fenceEnd = more ? fenceEndOf(this.buf, ps, pe, r.keyStart, r.keyEnd) : 0;
      if (fenceEnd < 0) continue;
      out.push([start, boundary, fs, fe]);
      if (!more) break;
      start = boundary;
      fs = r.keyStart;
      fe = fenceEnd;
    }
    if (out.length > 1) {
      const last = out[out.length - 1]!;
      const before = out[out.length - 2]!;
      if (last[1]! - before[0]! <= MAX_BLOCK_BYTES) {
        before[1] = last[1]!;
        out.pop();
      }
    }
    return out;
  }
}

/**
 * Where the fence of a block that starts with the key [ks, ke) of `buf`
 * ends, the group before it having the key [ps, pe): the whole key when
 * LMDB can key it, else the shortest prefix above the key before; -1 when
 * that prefix is too long as well (no block may start there).
 */
export function fenceEndOf(buf: Uint8Array, ps: number, pe: number, ks: number, ke: number): number {
  if (ke - ks <= MAX_FENCE_BYTES) return ke;
  const n = Math.min(pe - ps, MAX_FENCE_BYTES);
  let common = 0;
  while (common < n && buf[ps + common] === buf[ks + common]) common++;
  // The keys first differ at `common` (or the key before ends there): one byte more is above it.
  return common < MAX_FENCE_BYTES ? ks + common + 1 : -1;
}

/**
 * Writes a block's value into `w` (from its start): its upper bound (bytes
 * [us, ue) of `upper`, or none when null), then its groups, bytes [bs, be)
 * of `body` (a BlockBuilder's, or another block's).
 */
export function writeBlock(w: ByteWriter, upper: Uint8Array | null, us: number, ue: number, body: Uint8Array, bs: number, be: number): Uint8Array {
  w.reset();
  w.ensure(10 + (ue - us) + (be - bs));
  let p = putUvarint(w.buf, 0, upper ? ue - us + 1 : 0);
  if (upper) {
    w.buf.set(upper.subarray(us, ue), p);
    p += ue - us;
  }
  w.buf.set(body.subarray(bs, be), p);
  w.pos = p + (be - bs);
  return w.buf.subarray(0, w.pos);
}
