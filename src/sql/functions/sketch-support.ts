// Shared pieces of the sketch functions and aggregates: parameter errors with
// PipelineDB's wording, sketch (de)serialization of SQL values, and the
// variadic union/intersection walk of hll_union, bloom_union, bloom_intersection.
import { PgError, SQLSTATE } from '../../errors.js';
import { BloomFilter } from '../../sketches/bloom.js';
import { CountMinSketch } from '../../sketches/cmsketch.js';
import { HyperLogLog, HLL_MIN_P, HLL_SQL_MAX_P } from '../../sketches/hll.js';
import { FilteredSpaceSaving } from '../../sketches/topk.js';
import { deserializeTDigest } from '../../sketches/tdigest-codec.js';
import type { TDigest } from '../../sketches/tdigest.js';
import { invalidSketch } from '../../types/sketch-types.js';

export function invalidParameter(message: string): PgError {
  return new PgError(SQLSTATE.invalid_parameter_value, message);
}

/** A new HLL for hll_agg(x, p) / hll_empty(p): PipelineDB accepts p in [1, 14]. */
export function newHll(p: number): HyperLogLog {
  if (!(p >= HLL_MIN_P && p <= HLL_SQL_MAX_P)) throw invalidParameter(`p must be in [${HLL_MIN_P}, ${HLL_SQL_MAX_P}]`);
  return new HyperLogLog(p);
}

/** A new Bloom filter for bloom_agg(x, p, n) / bloom_empty(p, n), with PipelineDB's messages. */
export function newBloom(p: number, n: number): BloomFilter {
  try {
    return BloomFilter.withPAndN(p, n);
  } catch (e) {
    if (e instanceof RangeError) throw invalidParameter(e.message);
    throw e;
  }
}

/** A new Count-Min sketch sized for error eps with probability p (cmsketch_empty(eps, p)). */
export function newCms(eps: number, p: number): CountMinSketch {
  if (!(eps > 0 && eps < 1)) throw invalidParameter('eps must be in (0, 1)');
  if (!(p > 0 && p < 1)) throw invalidParameter('p must be in (0, 1)');
  return CountMinSketch.withErrorBounds(eps, p);
}

/** A new top-K summary for topk_agg(x, k [, m, h]) / topk_empty(type, k [, m, h]), with PipelineDB's checks. */
export function newTopk(k: number, m?: number, h?: number): FilteredSpaceSaving {
  if (!(k >= 1)) throw invalidParameter('k must be a positive integer');
  if (m !== undefined && !(m >= k)) throw invalidParameter('m must be greater than or equal to k');
  if (h !== undefined && !(h >= 1)) throw invalidParameter('h must be a positive integer');
  return new FilteredSpaceSaving(k, m, h);
}

function decoded<T>(typeName: string, bytes: Uint8Array, read: (b: Uint8Array) => T): T {
  try {
    return read(bytes);
  } catch {
    throw invalidSketch(typeName);
  }
}

export const readHll = (b: Uint8Array): HyperLogLog => decoded('hyperloglog', b, (x) => HyperLogLog.deserialize(x));
export const readBloom = (b: Uint8Array): BloomFilter => decoded('bloom', b, (x) => BloomFilter.deserialize(x));
export const readCms = (b: Uint8Array): CountMinSketch => decoded('cmsketch', b, (x) => CountMinSketch.deserialize(x));
export const readTDigest = (b: Uint8Array): TDigest => decoded('tdigest', b, deserializeTDigest);

/**
 * Folds the non-NULL arguments of a VARIADIC "any" set operation; NULL when
 * all are NULL. Arguments of another type fail as in PipelineDB (elog, XX000).
 */
export function foldSketches<T>(
  args: unknown[],
  argTypes: number[],
  sketchType: number,
  typeName: string,
  read: (b: Uint8Array) => T,
  combine: (acc: T, next: T) => void,
): T | null {
  let acc: T | null = null;
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    if (v === null) continue;
    if (argTypes[i] !== sketchType) throw new PgError(SQLSTATE.internal_error, `argument ${i + 1} is not of type "${typeName}"`);
    const s = read(v as Uint8Array);
    if (acc === null) acc = s;
    else combine(acc, s);
  }
  return acc;
}
