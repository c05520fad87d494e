// Byte encoding of a t-digest for continuous-view state and dist_agg values.
// Serializing merges the unmerged buffer first, so the bytes hold only
// centroids. Layout (little-endian), 32-byte header then two arrays:
//   0  u8   format version (1)
//   1  u8   flags: bit 0 = exact (every value kept individually)
//   2  u16  compression
//   4  u32  centroid count n
//   8  f64  total weight
//   16 f64  min   (0 when empty)
//   24 f64  max   (0 when empty)
//   32 f64[n] centroid means, ascending
//   .. f64[n] centroid weights, integers >= 1
// deserialize(serialize(d)) has the same state as d, so it serializes to
// the same bytes and answers every query identically.

import { TDigest, TDIGEST_MAX_COMPRESSION, TDIGEST_MIN_COMPRESSION } from './tdigest.js';

export const TDIGEST_FORMAT_VERSION = 1;
const HEADER_BYTES = 32;
const FLAG_EXACT = 1;

export function serializeTDigest(digest: TDigest): Uint8Array {
  const s = digest.state();
  const n = s.means.length;
  const bytes = new Uint8Array(HEADER_BYTES + 16 * n);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, TDIGEST_FORMAT_VERSION);
  view.setUint8(1, s.exact ? FLAG_EXACT : 0);
  view.setUint16(2, s.compression, true);
  view.setUint32(4, n, true);
  view.setFloat64(8, s.count, true);
  view.setFloat64(16, n === 0 ? 0 : s.min, true);
  view.setFloat64(24, n === 0 ? 0 : s.max, true);
  let off = HEADER_BYTES;
  for (let i = 0; i < n; i++, off += 8) view.setFloat64(off, s.means[i]!, true);
  for (let i = 0; i < n; i++, off += 8) view.setFloat64(off, s.weights[i]!, true);
  return bytes;
}

/** Decodes serializeTDigest output; throws Error on malformed or unknown-version input. */
export function deserializeTDigest(bytes: Uint8Array): TDigest {
  if (bytes.length < HEADER_BYTES) throw new Error('t-digest data is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(0);
  if (version !== TDIGEST_FORMAT_VERSION) throw new Error(`unsupported t-digest format version ${version}`);
  const flags = view.getUint8(1);
  if ((flags & ~FLAG_EXACT) !== 0) throw new Error('t-digest data has unknown flags');
  const compression = view.getUint16(2, true);
  if (compression < TDIGEST_MIN_COMPRESSION || compression > TDIGEST_MAX_COMPRESSION) {
    throw new Error(`t-digest data has invalid compression ${compression}`);
  }
  const n = view.getUint32(4, true);
  if (bytes.length !== HEADER_BYTES + 16 * n) throw new Error('t-digest data has the wrong length');
  const count = view.getFloat64(8, true);
  const min = view.getFloat64(16, true);
  const max = view.getFloat64(24, true);
  const exact = (flags & FLAG_EXACT) !== 0;

  const means = new Float64Array(n);
  const weights = new Float64Array(n);
  let off = HEADER_BYTES;
  for (let i = 0; i < n; i++, off += 8) means[i] = view.getFloat64(off, true);
  let total = 0;
  for (let i = 0; i < n; i++, off += 8) {
    const w = view.getFloat64(off, true);
    if (!Number.isSafeInteger(w) || w < 1) throw new Error('t-digest data has an invalid centroid weight');
    weights[i] = w;
    total += w;
  }
  if (total !== count) throw new Error('t-digest data weights do not add up to its count');
  if (n > 0) {
    if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) throw new Error('t-digest data has invalid bounds');
    for (let i = 0; i < n; i++) {
      const m = means[i]!;
      if (!Number.isFinite(m)) throw new Error('t-digest data has a non-finite centroid');
      // Exact digests hold one centroid per distinct value; approximate ones may tie.
      if (i > 0 && (exact ? m <= means[i - 1]! : m < means[i - 1]!)) {
        throw new Error('t-digest data centroids are out of order');
      }
    }
    if (exact && (means[0] !== min || means[n - 1] !== max || count > compression)) {
      throw new Error('t-digest data is marked exact but is not');
    }
  }
  return TDigest.fromState({ compression, count, min, max, exact, means, weights });
}
