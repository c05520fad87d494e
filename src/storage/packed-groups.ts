// A commit slice's group writes packed back to back in one buffer, so the
// combiner can hand a whole slice to the thread that puts it into LMDB as one
// transferable buffer (no object per group crosses threads). Per group:
//   1 byte   flags (NEW: the group was not in storage before this write)
//   2 bytes  storage-key length, little-endian, then the storage key (the
//            view prefix and the group key, as view-state-store lays it out)
//   4 bytes  states length, little-endian, then the serialized states
import { ByteWriter } from '../planner/bytes.js';
import { keyIdLength, writeKeyId, writeKeyOfOrder, type KeyId } from '../engine/key-string.js';
import { GROUP_KEY_OFFSET, writeStoragePrefix } from './storage-key.js';

/** Flag: the group was not in storage before this write. */
export const PACKED_NEW = 1;

/** Bytes before a packed group's storage key (flags and key length): a group's bytes start this far before its key. */
export const PACKED_HEADER_BYTES = 3;

export class PackedGroupsWriter {
  readonly out: ByteWriter;
  /** Where the open group's states length goes (see beginGroup), and where the group starts. */
  private lengthAt = -1;
  private groupStart = 0;
  groups = 0;

  constructor(initialBytes = 4096) {
    this.out = new ByteWriter(initialBytes);
  }

  /**
   * Starts a group: writes its header and storage key. Its states are then
   * written to `out` and the group closed with endGroup().
   */
  beginGroup(viewOid: number, key: Uint8Array | KeyId, isNew: boolean): void {
    const keyLength = GROUP_KEY_OFFSET + (key instanceof Uint8Array ? key.length : keyIdLength(key));
    // Two bytes hold its length; LMDB takes far shorter keys anyway (storage-key.ts).
    if (keyLength > 0xffff) throw new Error(`a storage key of ${keyLength} bytes cannot be packed`);
    const at = this.openGroup(viewOid, keyLength, isNew);
    if (key instanceof Uint8Array) this.out.buf.set(key, at);
    else writeKeyId(key, this.out.buf, at);
  }

  /** beginGroup() of the key of up to 6 bytes whose keyIdOrder is `order` (a commit's groups come sorted by it). */
  beginGroupOfOrder(viewOid: number, order: number, isNew: boolean): void {
    const at = this.openGroup(viewOid, GROUP_KEY_OFFSET + (order % 8), isNew);
    writeKeyOfOrder(order, this.out.buf, at);
  }

  /**
   * Writes a group's header and its storage key's view prefix, leaving room
   * for its group key and states length; returns where the group key goes.
   */
  private openGroup(viewOid: number, keyLength: number, isNew: boolean): number {
    const out = this.out;
    out.ensure(3 + keyLength + 4);
    const buf = out.buf;
    let p = out.pos;
    this.groupStart = p;
    buf[p++] = isNew ? PACKED_NEW : 0;
    buf[p++] = keyLength & 0xff;
    buf[p++] = keyLength >>> 8;
    writeStoragePrefix(buf, p, viewOid);
    this.lengthAt = p + keyLength;
    out.pos = this.lengthAt + 4;
    return p + GROUP_KEY_OFFSET;
  }

  /** Closes the group beginGroup() opened; returns the bytes of its states. */
  endGroup(): number {
    const out = this.out;
    const at = this.lengthAt;
    const length = out.pos - at - 4;
    const buf = out.buf;
    buf[at] = length & 0xff;
    buf[at + 1] = (length >>> 8) & 0xff;
    buf[at + 2] = (length >>> 16) & 0xff;
    buf[at + 3] = length >>> 24;
    this.lengthAt = -1;
    this.groups++;
    return length;
  }

  /** The packed groups: a view of the writer's buffer (the writer is not used after). */
  finish(): Uint8Array {
    if (this.lengthAt >= 0) throw new Error('a packed group is still open');
    return this.out.buf.subarray(0, this.out.pos);
  }

  /** The groups packed whole, without one left open (after a failure serializing it). */
  finishComplete(): Uint8Array {
    return this.out.buf.subarray(0, this.lengthAt >= 0 ? this.groupStart : this.out.pos);
  }
}

/**
 * Calls `fn` for each packed group with where its storage key and states
 * lie in `buf`: key bytes [keyStart, keyEnd), states [keyEnd + 4, stateEnd).
 */
export function forEachPackedGroup(
  buf: Uint8Array,
  fn: (flags: number, keyStart: number, keyEnd: number, stateStart: number, stateEnd: number) => void,
): void {
  let p = 0;
  const n = buf.length;
  while (p < n) {
    const flags = buf[p]!;
    const keyStart = p + PACKED_HEADER_BYTES;
    const keyEnd = keyStart + (buf[p + 1]! | (buf[p + 2]! << 8));
    const stateStart = keyEnd + 4;
    const stateEnd = stateStart + (buf[keyEnd]! | (buf[keyEnd + 1]! << 8) | (buf[keyEnd + 2]! << 16)) + buf[keyEnd + 3]! * 2 ** 24;
    if (stateEnd > n) throw new Error('packed groups are truncated');
    fn(flags, keyStart, keyEnd, stateStart, stateEnd);
    p = stateEnd;
  }
}
