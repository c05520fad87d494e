// bloom_agg(x [, p, n]), bloom_union_agg(bloom) and bloom_intersection_agg(bloom)
// of PipelineDB 1.0: NULL inputs are skipped; no rows give NULL. Values are
// hashed by their canonical bytes (../functions/sketch-value-bytes.ts).
import { BloomFilter } from '../../sketches/bloom.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { bloomIntersectInto, bloomUnionInto } from '../functions/sketch-bloom.js';
import { newBloom, readBloom } from '../functions/sketch-support.js';
import { canonicalCodec } from '../functions/sketch-value-bytes.js';
import { registerAggregate } from './aggregate.js';
import { sketchAggregate } from './sketch-state.js';

const BLOOM = SKETCH_OID.bloom;

const toBytes = (s: BloomFilter): Uint8Array => s.serialize();

function bloomAgg(elemType: number) {
  const codec = canonicalCodec(elemType);
  return sketchAggregate<BloomFilter>({
    resultType: BLOOM,
    step: (s, args) => {
      // p and n come from the first row, as PipelineDB's startup does.
      const bloom = s ?? (args.length > 1 ? newBloom(args[1] as number, Number(args[2] as bigint)) : BloomFilter.withPAndN());
      bloom.addBytes(codec.encode(args[0]));
      return bloom;
    },
    merge: (a, b) => {
      bloomUnionInto(a, b);
      return a;
    },
    toBytes,
    fromBytes: readBloom,
  });
}

function combining(combine: (acc: BloomFilter, next: BloomFilter) => void) {
  return sketchAggregate<BloomFilter>({
    resultType: BLOOM,
    step: (s, [b]) => {
      const next = readBloom(b as Uint8Array);
      if (s === null) return next;
      combine(s, next);
      return s;
    },
    merge: (a, b) => {
      combine(a, b);
      return a;
    },
    toBytes,
    fromBytes: readBloom,
  });
}

const unionAgg = combining(bloomUnionInto);
const intersectionAgg = combining(bloomIntersectInto);

registerAggregate(
  { name: 'bloom_agg', args: [OID.anyelement], ret: BLOOM, strict: true, create: (t) => bloomAgg(t[0]!) },
  { name: 'bloom_agg', args: [OID.anyelement, OID.float8, OID.int8], ret: BLOOM, strict: true, create: (t) => bloomAgg(t[0]!) },
  { name: 'bloom_union_agg', args: [BLOOM], ret: BLOOM, strict: true, create: () => unionAgg },
  { name: 'bloom_intersection_agg', args: [BLOOM], ret: BLOOM, strict: true, create: () => intersectionAgg },
);
