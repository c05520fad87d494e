// Merging t-digest (Dunning & Ertl) for dist_agg / percentile_cont in
// continuous views. Same defaults as PipelineDB 1.0: compression 200 and the
// k1 (arcsine) scale function; a centroid may span at most one k unit.
//
// Behaviour that differs from PipelineDB on purpose:
// - Exact while small: until the total weight exceeds `compression`, centroids
//   only ever merge equal values, so every input survives and quantile() is
//   exactly PostgreSQL's percentile_cont (linear interpolation between the
//   sorted values at rank q*(N-1)).
// - Deterministic: no randomness anywhere. Compression consumes its input
//   sorted by (mean, weight), so it depends only on the multiset of
//   centroids. merge() always compresses the union of both digests (their
//   centroids and unmerged buffers), so a.merge(b) and b.merge(a) leave
//   identical state; different groupings ((a+b)+c vs a+(b+c)) agree within
//   the sketch's error, and exactly while the total stays exact (<= compression).
// - Quantiles interpolate between centroid centres placed at their rank
//   position c + (w-1)/2 (c = weight before the centroid), anchored at the
//   exact min (rank 0) and max (rank N-1); see tdigest-knots.ts.
//
// Values must be finite: NaN and +-Infinity throw RangeError (the aggregate
// layer decides whether to skip or reject them). Weights are integers >= 1.

import { rankOfValue, valueAtRank } from './tdigest-knots.js';

export const TDIGEST_DEFAULT_COMPRESSION = 200;
export const TDIGEST_MIN_COMPRESSION = 20;
export const TDIGEST_MAX_COMPRESSION = 1000;

/** Unmerged values held per unit of compression before a compress pass. */
const BUFFER_FACTOR = 5;

/** A flushed digest's contents, as the codec reads and writes them. */
export interface TDigestState {
  compression: number;
  /** Total weight (number of values added, counting weights). */
  count: number;
  min: number;
  max: number;
  /** True while every value is kept individually (each centroid holds equal values). */
  exact: boolean;
  /** Centroid means, ascending. */
  means: Float64Array;
  /** Centroid weights, integers >= 1, same length as means. */
  weights: Float64Array;
}

export class TDigest {
  private compressionValue: number;
  // Merged centroids, sorted by mean; `spare*` is the output of the next pass.
  private means: Float64Array;
  private weights: Float64Array;
  private spareMeans: Float64Array;
  private spareWeights: Float64Array;
  private centroidN = 0;
  private mergedWeight = 0;
  // Unmerged values in arrival order.
  private bufMeans: Float64Array;
  private bufWeights: Float64Array;
  private bufN = 0;
  private bufWeight = 0;
  private bufAllUnit = true;
  /** Buffered values that trigger a compress pass (arrays may be longer after a merge). */
  private bufCapacity: number;
  private minValue = Infinity;
  private maxValue = -Infinity;
  // Set once any compress pass may have merged unequal values; from then on
  // centroids are approximations even if a later merge raises the compression.
  private lossy = false;
  // Query curve, rebuilt lazily after any change.
  private knotRanks = new Float64Array(0);
  private knotValues = new Float64Array(0);
  private knotN = 0;
  private knotsValid = false;

  constructor(compression: number = TDIGEST_DEFAULT_COMPRESSION) {
    checkCompression(compression);
    this.compressionValue = compression;
    this.bufCapacity = BUFFER_FACTOR * compression;
    // Arrays are allocated on first use: decoded states are often only merged or queried.
    this.bufMeans = EMPTY;
    this.bufWeights = EMPTY;
    this.means = EMPTY;
    this.weights = EMPTY;
    this.spareMeans = EMPTY;
    this.spareWeights = EMPTY;
  }

  get compression(): number {
    return this.compressionValue;
  }

  /** Total weight added (0 when empty). */
  get count(): number {
    return this.mergedWeight + this.bufWeight;
  }

  /** Smallest value added, exactly; null when empty. */
  get min(): number | null {
    return this.count === 0 ? null : this.minValue;
  }

  /** Largest value added, exactly; null when empty. */
  get max(): number | null {
    return this.count === 0 ? null : this.maxValue;
  }

  /** Number of centroids after merging the buffer. */
  get centroidCount(): number {
    this.flush();
    return this.centroidN;
  }

  /** True while every added value is kept individually (count <= compression). */
  get isExact(): boolean {
    return !this.lossy && this.count <= this.compressionValue;
  }

  add(value: number, weight: number = 1): void {
    if (!Number.isFinite(value)) throw new RangeError(`t-digest value must be finite, got ${value}`);
    if (weight !== 1) checkWeight(weight);
    // -0 and 0 sort differently but compare equal; one spelling keeps merges reproducible.
    if (value === 0) value = 0;
    if (this.bufN >= this.bufCapacity || this.bufN === this.bufMeans.length) this.makeRoom();
    this.bufMeans[this.bufN] = value;
    this.bufWeights[this.bufN] = weight;
    this.bufN++;
    this.bufWeight += weight;
    if (weight !== 1) this.bufAllUnit = false;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
    this.knotsValid = false;
  }

  /**
   * Folds `other` into this digest (other is not modified) and compresses
   * the union at once, so the result does not depend on which side is which.
   * The merged digest uses the larger of the two compressions.
   */
  merge(other: TDigest): void {
    if (other === this) {
      this.mergeFrom(this.clone());
      return;
    }
    this.mergeFrom(other);
  }

  private mergeFrom(other: TDigest): void {
    if (other.count === 0) return;
    if (other.compressionValue > this.compressionValue) {
      this.compressionValue = other.compressionValue;
      this.bufCapacity = BUFFER_FACTOR * other.compressionValue;
    }
    const incoming = other.centroidN + other.bufN;
    this.ensureBuffer(this.bufN + incoming);
    this.appendToBuffer(other.means, other.weights, other.centroidN);
    this.appendToBuffer(other.bufMeans, other.bufWeights, other.bufN);
    this.bufWeight += other.mergedWeight + other.bufWeight;
    if (other.minValue < this.minValue) this.minValue = other.minValue;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
    if (other.lossy) this.lossy = true;
    this.knotsValid = false;
    this.flush();
  }

  /** Independent copy with identical state. */
  clone(): TDigest {
    const copy = new TDigest(this.compressionValue);
    copy.ensureCentroids(this.centroidN);
    copy.means.set(this.means.subarray(0, this.centroidN));
    copy.weights.set(this.weights.subarray(0, this.centroidN));
    copy.centroidN = this.centroidN;
    copy.mergedWeight = this.mergedWeight;
    copy.ensureBuffer(this.bufN);
    copy.bufMeans.set(this.bufMeans.subarray(0, this.bufN));
    copy.bufWeights.set(this.bufWeights.subarray(0, this.bufN));
    copy.bufN = this.bufN;
    copy.bufWeight = this.bufWeight;
    copy.bufAllUnit = this.bufAllUnit;
    copy.minValue = this.minValue;
    copy.maxValue = this.maxValue;
    copy.lossy = this.lossy;
    return copy;
  }

  /**
   * Estimated q-quantile, percentile_cont style; null when empty. q = 0 and
   * q = 1 give the exact min and max. Throws RangeError unless 0 <= q <= 1
   * (callers raise their own SQL error first).
   */
  quantile(q: number): number | null {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be between 0 and 1, got ${q}`);
    const n = this.count;
    if (n === 0) return null;
    if (q === 0) return this.minValue;
    if (q === 1) return this.maxValue;
    this.buildKnots();
    return valueAtRank(this.knotRanks, this.knotValues, this.knotN, q * (n - 1));
  }

  /**
   * Estimated fraction of values <= x, the inverse of quantile(); null when
   * empty. 0 below the min, 1 above the max; where values tie at x it is the
   * middle of their rank range (all values equal -> 0.5, as in PipelineDB).
   * Throws RangeError for NaN.
   */
  cdf(x: number): number | null {
    if (Number.isNaN(x)) throw new RangeError('cdf argument must not be NaN');
    const n = this.count;
    if (n === 0) return null;
    if (x < this.minValue) return 0;
    if (x > this.maxValue) return 1;
    if (this.minValue === this.maxValue) return 0.5;
    this.buildKnots();
    return rankOfValue(this.knotRanks, this.knotValues, this.knotN, x) / (n - 1);
  }

  /** Merges the buffer and returns the digest's contents (views, not copies). */
  state(): TDigestState {
    this.flush();
    return {
      compression: this.compressionValue,
      count: this.mergedWeight,
      min: this.minValue,
      max: this.maxValue,
      exact: !this.lossy,
      means: this.means.subarray(0, this.centroidN),
      weights: this.weights.subarray(0, this.centroidN),
    };
  }

  /** Rebuilds a digest from state() output; the caller has validated it. */
  static fromState(s: TDigestState): TDigest {
    const d = new TDigest(s.compression);
    const n = s.means.length;
    d.ensureCentroids(n);
    d.means.set(s.means);
    d.weights.set(s.weights);
    d.centroidN = n;
    d.mergedWeight = s.count;
    d.lossy = !s.exact;
    if (s.count > 0) {
      d.minValue = s.min;
      d.maxValue = s.max;
    }
    return d;
  }

  /** Merges buffered values into the centroids. */
  private flush(): void {
    if (this.bufN === 0) return;
    const bufN = this.bufN;
    const order = this.bufAllUnit ? null : this.sortedBufferOrder();
    if (order === null) this.bufMeans.subarray(0, bufN).sort();

    const total = this.mergedWeight + this.bufWeight;
    const exact = !this.lossy && total <= this.compressionValue;
    if (!exact) this.lossy = true;
    this.ensureSpare(this.centroidN + bufN);
    const outMeans = this.spareMeans;
    const outWeights = this.spareWeights;
    const kScale = this.compressionValue / Math.PI;
    const halfPi = Math.PI / 2;

    let outN = 0;
    let curMean = 0;
    let curWeight = 0;
    let weightSoFar = 0;
    let kStart = 0;
    let i = 0; // next merged centroid
    let j = 0; // next buffered value (in sorted order)
    const cMeans = this.means;
    const cWeights = this.weights;
    const cN = this.centroidN;
    const bMeans = this.bufMeans;
    const bWeights = this.bufWeights;

    while (i < cN || j < bufN) {
      let m: number;
      let w: number;
      const bIdx = j < bufN ? (order === null ? j : order[j]!) : -1;
      // Take the smaller by (mean, weight); ties between identical items are harmless.
      if (
        bIdx < 0 ||
        (i < cN && (cMeans[i]! < bMeans[bIdx]! || (cMeans[i] === bMeans[bIdx] && cWeights[i]! <= bWeights[bIdx]!)))
      ) {
        m = cMeans[i]!;
        w = cWeights[i]!;
        i++;
      } else {
        m = bMeans[bIdx]!;
        w = bWeights[bIdx]!;
        j++;
      }

      if (curWeight === 0) {
        curMean = m;
        curWeight = w;
      } else if (exact) {
        if (m === curMean) {
          curWeight += w;
        } else {
          outMeans[outN] = curMean;
          outWeights[outN] = curWeight;
          outN++;
          curMean = m;
          curWeight = w;
        }
      } else {
        const kEnd = kScale * (Math.asin((2 * (weightSoFar + w)) / total - 1) + halfPi);
        if (kEnd - kStart > 1) {
          outMeans[outN] = curMean;
          outWeights[outN] = curWeight;
          outN++;
          kStart = kScale * (Math.asin((2 * weightSoFar) / total - 1) + halfPi);
          curMean = m;
          curWeight = w;
        } else {
          curWeight += w;
          curMean += ((m - curMean) * w) / curWeight;
        }
      }
      weightSoFar += w;
    }
    outMeans[outN] = curMean;
    outWeights[outN] = curWeight;
    outN++;
    // Running means can land an ulp below their predecessor; keep them sorted.
    for (let k = 1; k < outN; k++) if (outMeans[k]! < outMeans[k - 1]!) outMeans[k] = outMeans[k - 1]!;

    this.spareMeans = this.means;
    this.spareWeights = this.weights;
    this.means = outMeans;
    this.weights = outWeights;
    this.centroidN = outN;
    this.mergedWeight = total;
    this.bufN = 0;
    this.bufWeight = 0;
    this.bufAllUnit = true;
  }

  /** Buffer indices sorted by (mean, weight), for buffers holding weighted items. */
  private sortedBufferOrder(): Uint32Array {
    const order = new Uint32Array(this.bufN);
    for (let k = 0; k < order.length; k++) order[k] = k;
    const means = this.bufMeans;
    const weights = this.bufWeights;
    order.sort((a, b) => means[a]! - means[b]! || weights[a]! - weights[b]!);
    return order;
  }

  private buildKnots(): void {
    this.flush();
    if (this.knotsValid) return;
    const n = this.centroidN;
    const exact = !this.lossy;
    const cap = 2 * n + 2;
    if (this.knotRanks.length < cap) {
      this.knotRanks = new Float64Array(cap);
      this.knotValues = new Float64Array(cap);
    }
    const ranks = this.knotRanks;
    const values = this.knotValues;
    const lo = this.minValue;
    const hi = this.maxValue;
    let k = 0;
    let before = 0;
    if (!exact) {
      ranks[k] = 0;
      values[k++] = lo;
    }
    let prev = lo;
    for (let c = 0; c < n; c++) {
      const w = this.weights[c]!;
      // Rounding can push a mean an ulp outside [prev, max]; keep the curve monotone.
      let m = this.means[c]!;
      if (m < prev) m = prev;
      if (m > hi) m = hi;
      prev = m;
      if (exact) {
        // Every value is kept: w equal values fill ranks before .. before+w-1.
        ranks[k] = before;
        values[k++] = m;
        if (w > 1) {
          ranks[k] = before + w - 1;
          values[k++] = m;
        }
      } else {
        ranks[k] = before + (w - 1) / 2;
        values[k++] = m;
      }
      before += w;
    }
    if (!exact) {
      ranks[k] = before - 1;
      values[k++] = hi;
    }
    this.knotN = k;
    this.knotsValid = true;
  }

  private appendToBuffer(means: Float64Array, weights: Float64Array, n: number): void {
    this.bufMeans.set(means.subarray(0, n), this.bufN);
    this.bufWeights.set(weights.subarray(0, n), this.bufN);
    for (let k = 0; k < n; k++) {
      if (weights[k] !== 1) {
        this.bufAllUnit = false;
        break;
      }
    }
    this.bufN += n;
  }

  private makeRoom(): void {
    if (this.bufN >= this.bufCapacity) this.flush();
    if (this.bufN === this.bufMeans.length) this.ensureBuffer(this.bufCapacity);
  }

  private ensureBuffer(n: number): void {
    if (n <= this.bufMeans.length) return;
    const means = new Float64Array(n);
    const weights = new Float64Array(n);
    means.set(this.bufMeans.subarray(0, this.bufN));
    weights.set(this.bufWeights.subarray(0, this.bufN));
    this.bufMeans = means;
    this.bufWeights = weights;
  }

  private ensureCentroids(n: number): void {
    if (n <= this.means.length) return;
    this.means = new Float64Array(n);
    this.weights = new Float64Array(n);
  }

  private ensureSpare(n: number): void {
    if (n <= this.spareMeans.length) return;
    this.spareMeans = new Float64Array(n);
    this.spareWeights = new Float64Array(n);
  }
}

const EMPTY = new Float64Array(0);

function checkCompression(c: number): void {
  if (!Number.isInteger(c) || c < TDIGEST_MIN_COMPRESSION || c > TDIGEST_MAX_COMPRESSION) {
    throw new RangeError(
      `t-digest compression must be an integer between ${TDIGEST_MIN_COMPRESSION} and ${TDIGEST_MAX_COMPRESSION}, got ${c}`,
    );
  }
}

function checkWeight(w: number): void {
  if (!Number.isSafeInteger(w) || w < 1) throw new RangeError(`t-digest weight must be an integer >= 1, got ${w}`);
}
