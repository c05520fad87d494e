// A view's groups are stored several to an LMDB value: a block. Blocks hold
// consecutive groups in key order, so a full-view scan steps LMDB's cursor
// once per block rather than once per group, and a commit puts each changed
// block once rather than each changed group (LMDB's per-put and per-entry
// costs were most of a bulk load's commit and of a full scan).
//
// Block value: the groups back to back, in ascending byte order of their
// group keys, each as
//   uvarint  key length, then the group key's bytes
//   uvarint  states length, then the serialized states
//
// Each block is keyed in LMDB by its fence (view-state-store.ts): no group
// key in it is below the fence, and every one is below the next block's
// fence. A group therefore lives in the block with the greatest fence not
// above its key.
import { ByteWriter, putUvarint } from '../planner/bytes.js';
import { PgError } from '../errors.js';

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

  reset(bytes: Uint8Array, start: number, end: number): this {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    return this;
  }

  next(): boolean {
    if (this.pos >= this.end) return false;
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
 * block's fence; each later one is fenced by its first group's key.
 */
export class BlockBuilder {
  private readonly out = new ByteWriter(4096);
  /** Where each group starts, and (at the same index) where its key lies. */
  private readonly starts: number[] = [];
  private readonly keyStarts: number[] = [];
  private readonly keyEnds: number[] = [];

  /** The blocks' bytes, from 0 to pos. */
  get buf(): Uint8Array {
    return this.out.buf;
  }

  get pos(): number {
    return this.out.pos;
  }

  reset(): void {
    this.out.reset();
    this.starts.length = 0;
    this.keyStarts.length = 0;
    this.keyEnds.length = 0;
  }

  get groups(): number {
    return this.starts.length;
  }

  add(key: Uint8Array, ks: number, ke: number, state: Uint8Array, ss: number, se: number): void {
    const kl = ke - ks;
    const sl = se - ss;
    const out = this.out;
    out.ensure(kl + sl + 16);
    const buf = out.buf;
    this.starts.push(out.pos);
    let p = putUvarint(buf, out.pos, kl);
    this.keyStarts.push(p);
    for (let i = ks; i < ke; i++) buf[p++] = key[i]!;
    this.keyEnds.push(p);
    p = putUvarint(buf, p, sl);
    if (sl > 64) buf.set(state.subarray(ss, se), p);
    else for (let i = 0; i < sl; i++) buf[p + i] = state[ss + i]!;
    out.pos = p + sl;
  }

  /**
   * The new blocks: [start, end, keyStart, keyEnd] of each, where keyStart
   * and keyEnd locate its first group's key (the fence of every block but
   * the first). One block when everything fits in MAX_BLOCK_BYTES; else
   * blocks filled to FILL_BLOCK_BYTES, a short remainder joined to the one
   * before it when both fit.
   */
  cut(): number[][] {
    const n = this.starts.length;
    if (n === 0) return [];
    if (this.pos <= MAX_BLOCK_BYTES) return [[0, this.pos, this.keyStarts[0]!, this.keyEnds[0]!]];
    const out: number[][] = [];
    let first = 0;
    for (let i = 1; i <= n; i++) {
      const end = i < n ? this.starts[i]! : this.pos;
      if (end - this.starts[first]! >= FILL_BLOCK_BYTES || i === n) {
        out.push([this.starts[first]!, end, this.keyStarts[first]!, this.keyEnds[first]!]);
        first = i;
      }
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
