// Sorts numbers below 2^53 (key orders, see keyIdOrder) together with a
// payload, by least-significant-digit radix sort on 16-bit digits. A commit
// orders up to a million changed groups by key; a comparison sort of the
// orders followed by an index lookup per group to find its slot again cost
// about a tenth of a bulk load's combiner time, mostly cache misses. Its
// fixed cost (2^16 counters per digit) suits large sorts only.

const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_SCALE = 2 ** DIGIT_BITS;
/** The digit counters, reused by every sort (a thread sorts one thing at a time). */
const COUNTS = new Int32Array(BUCKETS);

/**
 * Sorts `keys[0, n)` ascending, moving `payload[i]` with `keys[i]`. Keys
 * must be non-negative integers below 2^53. Equal keys keep their order.
 */
export function radixSortWithPayload(keys: Float64Array, payload: Int32Array, n: number): void {
  if (n < 2) return;
  let max = 0;
  for (let i = 0; i < n; i++) if (keys[i]! > max) max = keys[i]!;
  let src: Float64Array = keys;
  let srcPay: Int32Array = payload;
  let dst: Float64Array = new Float64Array(n);
  let dstPay: Int32Array = new Int32Array(n);
  const counts = COUNTS;
  // Digit d of key k is floor(k / 2^(16 d)) mod 2^16.
  for (let scale = 1; scale <= max; scale *= DIGIT_SCALE) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(src[i]! / scale) % BUCKETS]!++;
    // A digit every key shares moves nothing.
    if (counts[Math.floor(src[0]! / scale) % BUCKETS] === n) continue;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = src[i]!;
      const at = counts[Math.floor(k / scale) % BUCKETS]!++;
      dst[at] = k;
      dstPay[at] = srcPay[i]!;
    }
    [src, dst] = [dst, src];
    [srcPay, dstPay] = [dstPay, srcPay];
  }
  if (src !== keys) {
    keys.set(src.subarray(0, n));
    payload.set(srcPay.subarray(0, n));
  }
}
