// hll_agg(x [, p]) and hll_union_agg(hyperloglog) of PipelineDB 1.0: NULL
// inputs are skipped; no rows give NULL. Values are hashed by their canonical
// bytes (../functions/sketch-value-bytes.ts).
import { HLL_DEFAULT_P, HyperLogLog } from '../../sketches/hll.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { hllUnionInto } from '../functions/sketch-hll.js';
import { newHll, readHll } from '../functions/sketch-support.js';
import { canonicalCodec } from '../functions/sketch-value-bytes.js';
import { registerAggregate } from './aggregate.js';
import { sketchAggregate } from './sketch-state.js';

const HLL = SKETCH_OID.hyperloglog;

const common = {
  resultType: HLL,
  merge: (a: HyperLogLog, b: HyperLogLog) => {
    hllUnionInto(a, b);
    return a;
  },
  toBytes: (s: HyperLogLog) => s.serialize(),
  fromBytes: readHll,
};

function hllAgg(elemType: number) {
  const codec = canonicalCodec(elemType);
  return sketchAggregate<HyperLogLog>({
    ...common,
    step: (s, args) => {
      // The precision comes from the first row, as PipelineDB's startup does.
      const hll = s ?? (args.length > 1 ? newHll(args[1] as number) : new HyperLogLog(HLL_DEFAULT_P));
      hll.addBytes(codec.encode(args[0]));
      return hll;
    },
  });
}

const hllUnionAgg = sketchAggregate<HyperLogLog>({
  ...common,
  step: (s, [h]) => {
    const next = readHll(h as Uint8Array);
    if (s === null) return next;
    hllUnionInto(s, next);
    return s;
  },
});

registerAggregate(
  { name: 'hll_agg', args: [OID.anyelement], ret: HLL, strict: true, create: (t) => hllAgg(t[0]!) },
  { name: 'hll_agg', args: [OID.anyelement, OID.int4], ret: HLL, strict: true, create: (t) => hllAgg(t[0]!) },
  { name: 'hll_union_agg', args: [HLL], ret: HLL, strict: true, create: () => hllUnionAgg },
);
