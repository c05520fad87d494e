// Piecewise-linear rank <-> value curve a t-digest answers quantile and cdf
// queries from. A knot is a point (rank, value) in percentile_cont's rank
// space, where the i-th smallest of N values sits at rank i (0 .. N-1).
// Knots are non-decreasing in both coordinates. Equal ranks with different
// values are vertical jumps; equal values over a rank range are flat runs
// (ties). Evaluating the curve at q*(N-1) is exactly percentile_cont when
// every input value has its own knot(s).

/** Value of the curve at rank position p (0 <= p <= last rank). */
export function valueAtRank(ranks: Float64Array, values: Float64Array, knotCount: number, p: number): number {
  // Largest k with ranks[k] <= p (the upper end of a vertical jump at p).
  let lo = 0;
  let hi = knotCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ranks[mid]! <= p) lo = mid;
    else hi = mid - 1;
  }
  const r0 = ranks[lo]!;
  const v0 = values[lo]!;
  if (lo === knotCount - 1 || p === r0) return v0;
  const v1 = values[lo + 1]!;
  // Same lerp form as PostgreSQL's percentile_cont (lo + frac * (hi - lo)).
  return v0 + ((p - r0) / (ranks[lo + 1]! - r0)) * (v1 - v0);
}

/**
 * Rank position of value x on the curve. Where the curve is flat at x (ties)
 * the answer is the middle of the flat run, so a digest of all-equal values
 * reports 0.5 at that value, as PipelineDB's dist_cdf does. Caller handles
 * x outside [first value, last value].
 */
export function rankOfValue(ranks: Float64Array, values: Float64Array, knotCount: number, x: number): number {
  // First knot with value >= x.
  let lo = 0;
  let hi = knotCount - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! >= x) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  // Last knot with value <= x.
  lo = 0;
  hi = knotCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (values[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  const last = lo;
  const pLow = first === 0 ? ranks[0]! : rankBetween(ranks, values, first - 1, x);
  const pHigh = last === knotCount - 1 ? ranks[last]! : rankBetween(ranks, values, last, x);
  return (pLow + pHigh) / 2;
}

/** Rank where the segment from knot k to knot k+1 reaches value x (values[k] <= x <= values[k+1]). */
function rankBetween(ranks: Float64Array, values: Float64Array, k: number, x: number): number {
  const v0 = values[k]!;
  const v1 = values[k + 1]!;
  const r0 = ranks[k]!;
  if (v1 === v0) return r0;
  return r0 + ((x - v0) / (v1 - v0)) * (ranks[k + 1]! - r0);
}
