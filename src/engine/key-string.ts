// Group keys arrive as bytes; Maps need a primitive key. Mapping each byte
// to one UTF-16 code unit is exact (latin1) and, for the short keys of most
// views, much cheaper by hand than through a Buffer (no object per row).
const SHORT_KEY = 48;

export function keyString(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n > SHORT_KEY) return Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('latin1');
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Keys of up to this many bytes are numbered instead of turned into strings. */
const NUMBERED_KEY_BYTES = 6;
/** A numbered key is length * 2^48 + its bytes read little-endian: exact, as that stays below 2^53. */
const LENGTH_UNIT = 2 ** 48;

/** A Map key standing for group key bytes: a number for short keys (no string to build or hash), else keyString. */
export type KeyId = number | string;

export function keyId(bytes: Uint8Array): KeyId {
  return keyIdOfRange(bytes, 0, bytes.length);
}

/** keyId of the bytes from `start` to `end` of `buf` (no view of them made). */
export function keyIdOfRange(buf: Uint8Array, start: number, end: number): KeyId {
  const n = end - start;
  if (n > NUMBERED_KEY_BYTES) return keyString(buf.subarray(start, end));
  let v = 0;
  for (let i = end - 1; i >= start; i--) v = v * 256 + buf[i]!;
  return n * LENGTH_UNIT + v;
}

/** Bytes of the key a KeyId stands for. */
export function keyIdLength(id: KeyId): number {
  return typeof id === 'number' ? Math.floor(id / LENGTH_UNIT) : id.length;
}

/** Writes the key bytes a KeyId stands for into `target` at `offset` (room for keyIdLength(id) bytes). */
export function writeKeyId(id: KeyId, target: Uint8Array, offset: number): void {
  if (typeof id === 'string') {
    for (let i = 0; i < id.length; i++) target[offset + i] = id.charCodeAt(i);
    return;
  }
  const n = Math.floor(id / LENGTH_UNIT);
  const v = id - n * LENGTH_UNIT;
  // The bytes in two 32-bit halves: shifts, not a float division per byte (a hot loop of commits).
  const lo = v >>> 0;
  const hi = (v - lo) / 2 ** 32;
  for (let i = 0; i < n; i++) target[offset + i] = i < 4 ? (lo >>> (8 * i)) & 0xff : (hi >>> (8 * (i - 4))) & 0xff;
}

/** The key bytes a KeyId stands for, as a new array. */
export function keyIdBytes(id: KeyId): Uint8Array {
  const out = new Uint8Array(keyIdLength(id));
  writeKeyId(id, out, 0);
  return out;
}

/**
 * A number that sorts group keys as their bytes compare, which is their
 * order in storage: the first 6 bytes big-endian (zero-padded) times 8, plus
 * the length capped at 7. Two keys of equal order are equal, or both longer
 * than 6 bytes (strings: compare them then, latin1 compares as the bytes).
 */
export function keyIdOrder(id: KeyId): number {
  if (typeof id === 'number') {
    const n = Math.floor(id / LENGTH_UNIT);
    const le = id - n * LENGTH_UNIT;
    // The 6 little-endian bytes, in two 24-bit halves read big-endian.
    const lo = le >>> 0;
    const hi = (le - lo) / 2 ** 32;
    const first = ((lo & 0xff) << 16) | (lo & 0xff00) | ((lo >>> 16) & 0xff);
    const second = ((lo >>> 24) << 16) | ((hi & 0xff) << 8) | (hi >>> 8);
    return (first * 2 ** 24 + second) * 8 + n;
  }
  const n = id.length;
  let v = 0;
  for (let i = 0; i < NUMBERED_KEY_BYTES; i++) v = v * 256 + (i < n ? id.charCodeAt(i) : 0);
  return v * 8 + Math.min(n, NUMBERED_KEY_BYTES + 1);
}

/** keyIdOrder of the key bytes [start, end) of `buf`, read in place (no string made for a long key). */
export function keyOrderOfRange(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  let v = 0;
  for (let i = 0; i < NUMBERED_KEY_BYTES; i++) v = v * 256 + (i < n ? buf[start + i]! : 0);
  return v * 8 + Math.min(n, NUMBERED_KEY_BYTES + 1);
}

/** The numeric KeyId of a key of up to 6 bytes, from its keyIdOrder (which it inverts for such keys). */
export function keyIdOfOrder(order: number): number {
  const n = order % 8;
  // The first 6 bytes big-endian, zero-padded (below 2^48): bytes 0-1 in
  // `hi`, bytes 2-5 in `lo`. The id reads the first n little-endian.
  const be = (order - n) / 8;
  const lo = be >>> 0;
  const hi = (be - lo) / 2 ** 32;
  // Bytes past the key's length are zero: all six can be added.
  const v = (hi >>> 8) + (hi & 0xff) * 2 ** 8 + (lo >>> 24) * 2 ** 16 + ((lo >>> 16) & 0xff) * 2 ** 24 + ((lo >>> 8) & 0xff) * 2 ** 32 + (lo & 0xff) * 2 ** 40;
  return n * LENGTH_UNIT + v;
}

/**
 * Writes the bytes of the key of up to 6 bytes whose keyIdOrder is `order`
 * into `target` at `offset`; returns their count. (keyIdOfOrder, then
 * writeKeyId, without the id between.)
 */
export function writeKeyOfOrder(order: number, target: Uint8Array, offset: number): number {
  const n = order % 8;
  // The first 6 bytes big-endian: bytes 0-1 in `hi`, bytes 2-5 in `lo`.
  const be = (order - n) / 8;
  const lo = be >>> 0;
  const hi = (be - lo) / 2 ** 32;
  for (let i = 0; i < n; i++) target[offset + i] = i < 2 ? (hi >>> (8 - 8 * i)) & 0xff : (lo >>> (40 - 8 * i)) & 0xff;
  return n;
}

/**
 * Indexes of `keys` (one view's group keys) in storage-key order. Distinct orders
 * (keyIdOrder) sort natively, with no comparator call, and each key then
 * finds its place by binary search; keys that share an order (longer keys
 * alike in their first 6 bytes) take a comparator sort.
 */
export function keyIdsInOrder(keys: readonly KeyId[]): Uint32Array {
  const n = keys.length;
  const orders = new Float64Array(n);
  for (let j = 0; j < n; j++) orders[j] = keyIdOrder(keys[j]!);
  const sorted = orders.slice().sort();
  const out = new Uint32Array(n);
  for (let j = 1; j < n; j++) {
    if (sorted[j] === sorted[j - 1]) {
      const index = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
        const d = orders[a]! - orders[b]!;
        const ka = keys[a]!;
        const kb = keys[b]!;
        return d !== 0 ? d : ka < kb ? -1 : ka > kb ? 1 : 0;
      });
      out.set(index);
      return out;
    }
  }
  for (let j = 0; j < n; j++) {
    const x = orders[j]!;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    out[lo] = j;
  }
  return out;
}
