// Partial aggregates of one batch for one combiner: for each view, the
// groups it touched as (key bytes, state bytes) pairs, packed into one
// ArrayBuffer that is transferred (not copied) from a worker to a combiner.
//
// Layout (little endian):
//   u32 viewCount
//   per view: u32 viewOid, u32 groupCount, then per group:
//             u32 keyLength, key bytes, u32 stateLength, state bytes

export interface ViewPartials {
  viewOid: number;
  keys: Uint8Array[];
  states: Uint8Array[];
}

export function encodePartials(views: ViewPartials[]): ArrayBuffer {
  let size = 4;
  for (const v of views) {
    size += 8;
    for (let i = 0; i < v.keys.length; i++) size += 8 + v.keys[i]!.length + v.states[i]!.length;
  }
  const buf = new ArrayBuffer(size);
  const dv = new DataView(buf);
  const bytes = new Uint8Array(buf);
  let p = 0;
  dv.setUint32(p, views.length, true);
  p += 4;
  for (const v of views) {
    dv.setUint32(p, v.viewOid, true);
    dv.setUint32(p + 4, v.keys.length, true);
    p += 8;
    for (let i = 0; i < v.keys.length; i++) {
      const k = v.keys[i]!;
      const s = v.states[i]!;
      dv.setUint32(p, k.length, true);
      bytes.set(k, p + 4);
      p += 4 + k.length;
      dv.setUint32(p, s.length, true);
      bytes.set(s, p + 4);
      p += 4 + s.length;
    }
  }
  return buf;
}

/** Calls `onGroup` for every group; the byte arrays are views into `buf` (copy them to keep them). */
export function forEachPartial(buf: ArrayBuffer, onGroup: (viewOid: number, key: Uint8Array, state: Uint8Array) => void): void {
  const dv = new DataView(buf);
  const bytes = new Uint8Array(buf);
  let p = 0;
  const viewCount = dv.getUint32(p, true);
  p += 4;
  for (let v = 0; v < viewCount; v++) {
    const viewOid = dv.getUint32(p, true);
    const groups = dv.getUint32(p + 4, true);
    p += 8;
    for (let g = 0; g < groups; g++) {
      const kl = dv.getUint32(p, true);
      const key = bytes.subarray(p + 4, p + 4 + kl);
      p += 4 + kl;
      const sl = dv.getUint32(p, true);
      const state = bytes.subarray(p + 4, p + 4 + sl);
      p += 4 + sl;
      onGroup(viewOid, key, state);
    }
  }
}

/** Which combiner owns a group: a stable hash of its key bytes (FNV-1a). */
export function combinerFor(key: Uint8Array, combiners: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % combiners;
}
