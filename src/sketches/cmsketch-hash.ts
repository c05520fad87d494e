// Private byte hash for the Count-Min and top-K sketches.
//
// PipelineDB hashes a value's canonical bytes with MurmurHash3 (128-bit for
// Count-Min, 64-bit for FSS). 64-bit multiplies are slow in JavaScript, so this
// is a Murmur3-x86-style hash run as two lanes with different multipliers over
// the same 4-byte blocks: 64 bits of state, two 32-bit outputs, all Math.imul.
// (src/sketches/hash.ts did not exist when this was written; if a shared hash
// lands there, these sketches can switch to it — the serialized form stores no
// hash values for Count-Min, but does for top-K, see topk.ts.)

const A1 = 0xcc9e2d51;
const A2 = 0x1b873593;
const B1 = 0x239b961b;
const B2 = 0xab0e9789;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes `data` into two independent unsigned 32-bit values written to
 * out[0] and out[1]. No allocation.
 */
export function hashPair(data: Uint8Array, seedA: number, seedB: number, out: Uint32Array): void {
  const len = data.length;
  const blockEnd = len & ~3;
  let ha = seedA | 0;
  let hb = seedB | 0;
  let i = 0;
  for (; i < blockEnd; i += 4) {
    const k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    let ka = Math.imul(k, A1);
    ka = (ka << 15) | (ka >>> 17);
    ha ^= Math.imul(ka, A2);
    ha = (ha << 13) | (ha >>> 19);
    ha = (Math.imul(ha, 5) + 0xe6546b64) | 0;
    let kb = Math.imul(k, B1);
    kb = (kb << 16) | (kb >>> 16);
    hb ^= Math.imul(kb, B2);
    hb = (hb << 17) | (hb >>> 15);
    hb = (Math.imul(hb, 5) + 0x0bcaa747) | 0;
  }
  const rest = len & 3;
  if (rest !== 0) {
    let k = 0;
    if (rest === 3) k ^= data[i + 2]! << 16;
    if (rest >= 2) k ^= data[i + 1]! << 8;
    k ^= data[i]!;
    let ka = Math.imul(k, A1);
    ka = (ka << 15) | (ka >>> 17);
    ha ^= Math.imul(ka, A2);
    let kb = Math.imul(k, B1);
    kb = (kb << 16) | (kb >>> 16);
    hb ^= Math.imul(kb, B2);
  }
  ha ^= len;
  hb ^= len;
  // Cross-feed the lanes before finalizing so each output depends on all 64 bits.
  ha = (ha + hb) | 0;
  hb = (hb + ha) | 0;
  out[0] = fmix32(ha);
  out[1] = fmix32(hb);
}

const scratch = new Uint32Array(2);

/** One unsigned 32-bit hash of `data` (first lane of hashPair). */
export function hash32(data: Uint8Array, seed: number): number {
  hashPair(data, seed, ~seed, scratch);
  return scratch[0]!;
}
