// Bloom filter functions of PipelineDB 1.0: bloom_empty, bloom_add,
// bloom_cardinality, bloom_contains, bloom_union, bloom_intersection,
// bloom_print. (The aggregates are in ../aggregates/sketch-bloom.ts.)
import { PgError, SQLSTATE } from '../../errors.js';
import { BloomFilter } from '../../sketches/bloom.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';
import { canonicalCodec } from './sketch-value-bytes.js';
import { foldSketches, newBloom, readBloom } from './sketch-support.js';

const BLOOM = SKETCH_OID.bloom;

/** PipelineDB's checks before combining two filters (elog, XX000). */
export function checkBloomShapes(a: BloomFilter, b: BloomFilter): void {
  if (a.m !== b.m) throw new PgError(SQLSTATE.internal_error, 'bloom filters must have the same p');
  if (a.k !== b.k) throw new PgError(SQLSTATE.internal_error, 'bloom filters must have the same n');
}

export function bloomUnionInto(acc: BloomFilter, next: BloomFilter): void {
  checkBloomShapes(acc, next);
  acc.union(next);
}

export function bloomIntersectInto(acc: BloomFilter, next: BloomFilter): void {
  checkBloomShapes(acc, next);
  acc.intersect(next);
}

/** bloom_cardinality's int8; a completely full filter has no finite estimate. */
export function bloomCardinality(b: BloomFilter): bigint {
  const c = b.cardinality();
  if (!Number.isFinite(c)) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'bigint out of range');
  return BigInt(c);
}

// bloom_add(NULL, x) starts a default filter; adding NULL leaves the filter as it is.
function bloomAdd([b, v]: [Uint8Array | null, unknown], argTypes: number[]): Uint8Array | null {
  if (v === null) return b;
  const bloom = b === null ? BloomFilter.withPAndN() : readBloom(b);
  bloom.addBytes(canonicalCodec(argTypes[1]!).encode(v));
  return bloom.serialize();
}

function bloomContains([b, v]: [Uint8Array | null, unknown], argTypes: number[]): boolean {
  if (b === null || v === null) return false;
  return readBloom(b).containsBytes(canonicalCodec(argTypes[1]!).encode(v));
}

registerFunction(
  fn('bloom_empty', [], BLOOM, () => BloomFilter.withPAndN().serialize()),
  fn('bloom_empty', [OID.float8, OID.int8], BLOOM, ([p, n]: [number, bigint]) => newBloom(p, Number(n)).serialize()),
  fn('bloom_add', [BLOOM, OID.anyelement], BLOOM, (a, _ctx, t) => bloomAdd(a, t), { strict: false }),
  fn('bloom_add', [BLOOM, OID.text], BLOOM, (a, _ctx, t) => bloomAdd(a, t), { strict: false }),
  fn('bloom_cardinality', [BLOOM], OID.int8, ([b]: [Uint8Array | null]) => (b === null ? 0n : bloomCardinality(readBloom(b))), {
    strict: false,
  }),
  fn('bloom_contains', [BLOOM, OID.anyelement], OID.bool, (a, _ctx, t) => bloomContains(a, t), { strict: false }),
  fn(
    'bloom_union',
    [],
    BLOOM,
    (args: unknown[], _ctx, argTypes) => foldSketches(args, argTypes, BLOOM, 'bloom', readBloom, bloomUnionInto)?.serialize() ?? null,
    { strict: false, variadic: OID.any },
  ),
  fn(
    'bloom_intersection',
    [],
    BLOOM,
    (args: unknown[], _ctx, argTypes) =>
      foldSketches(args, argTypes, BLOOM, 'bloom', readBloom, bloomIntersectInto)?.serialize() ?? null,
    { strict: false, variadic: OID.any },
  ),
  // fill as C's %f (6 decimals); size is this implementation's serialized size, whole kB.
  fn('bloom_print', [BLOOM], OID.text, ([b]: [Uint8Array]) => {
    const bloom = readBloom(b);
    const card = bloomCardinality(bloom);
    return `{ k = ${bloom.k}, m = ${bloom.m}, fill = ${bloom.fillRatio().toFixed(6)}, card = ${card}, size = ${Math.floor(b.length / 1024)}kB }`;
  }),
);
