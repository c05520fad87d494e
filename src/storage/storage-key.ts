// How a view's state is keyed in LMDB: the view's OID (4 bytes, big-endian,
// so a view's blocks are contiguous and in OID order), a 1-byte marker (LMDB
// keys may not be empty, and a view's first block is fenced by the empty
// group key), then a group key's bytes (or a prefix of one): a block's fence
// (group-blocks.ts).
// Commit slices key their groups the same way (packed-groups.ts).

/** Bytes before the group key in a storage key. */
export const GROUP_KEY_OFFSET = 5;

/** LMDB's largest key as lmdb-js builds it (its maximum key size): the longest a block's storage key can be. */
export const MAX_STORAGE_KEY_BYTES = 1978;

/**
 * The longest fence a block can have (group-blocks.ts): a longer group key
 * is stored all the same, its block fenced by a shorter prefix of it.
 */
export const MAX_FENCE_BYTES = MAX_STORAGE_KEY_BYTES - GROUP_KEY_OFFSET;

/** The longest group key a view can store: commit slices give a storage key's length in two bytes (packed-groups.ts). */
export const MAX_GROUP_KEY_BYTES = 0xffff - GROUP_KEY_OFFSET;

/** Writes the storage-key prefix of `viewOid` at `at` of `out`. */
export function writeStoragePrefix(out: Uint8Array, at: number, viewOid: number): void {
  const oid = viewOid >>> 0;
  out[at] = oid >>> 24;
  out[at + 1] = (oid >>> 16) & 0xff;
  out[at + 2] = (oid >>> 8) & 0xff;
  out[at + 3] = oid & 0xff;
  out[at + 4] = 1;
}

/** The first 4 bytes of every storage key of `viewOid`: a range bound for its groups. */
export function viewPrefix(viewOid: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(viewOid >>> 0, 0);
  return out;
}

/** The view a storage key belongs to. */
export function viewOidOf(key: Uint8Array, at: number): number {
  return ((key[at]! << 24) | (key[at + 1]! << 16) | (key[at + 2]! << 8) | key[at + 3]!) >>> 0;
}
