// freq_agg(x) and freq_merge_agg(cmsketch) of PipelineDB 1.0 (its script has
// no freq_agg with eps/p arguments): NULL inputs are skipped; no rows give
// NULL. Values are hashed by their canonical bytes (../functions/sketch-value-bytes.ts).
import { CountMinSketch } from '../../sketches/cmsketch.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { readCms } from '../functions/sketch-support.js';
import { canonicalCodec } from '../functions/sketch-value-bytes.js';
import { registerAggregate } from './aggregate.js';
import { sketchAggregate } from './sketch-state.js';

const CMS = SKETCH_OID.cmsketch;

const common = {
  resultType: CMS,
  merge: (a: CountMinSketch, b: CountMinSketch) => {
    a.merge(b);
    return a;
  },
  toBytes: (s: CountMinSketch) => s.serialize(),
  fromBytes: readCms,
};

function freqAgg(elemType: number) {
  const codec = canonicalCodec(elemType);
  return sketchAggregate<CountMinSketch>({
    ...common,
    step: (s, [v]) => {
      const cms = s ?? CountMinSketch.withErrorBounds();
      cms.add(codec.encode(v));
      return cms;
    },
  });
}

const mergeAgg = sketchAggregate<CountMinSketch>({
  ...common,
  step: (s, [c]) => {
    const next = readCms(c as Uint8Array);
    if (s === null) return next;
    s.merge(next);
    return s;
  },
});

registerAggregate(
  { name: 'freq_agg', args: [OID.anyelement], ret: CMS, strict: true, create: (t) => freqAgg(t[0]!) },
  { name: 'freq_merge_agg', args: [CMS], ret: CMS, strict: true, create: () => mergeAgg },
);
