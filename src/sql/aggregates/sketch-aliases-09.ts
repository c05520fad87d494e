// PipelineDB 0.9 names of the sketch aggregates, registered as aliases of the
// 1.0 implementations (same signatures and semantics): cmsketch_agg = freq_agg,
// cmsketch_merge_agg = freq_merge_agg, fss_agg = topk_agg (x, k) and
// (x, k, m, h), fss_agg_weighted = topk_agg(x, k, weight), tdigest_agg =
// dist_agg. 0.9 forms without a 1.0 counterpart are defined here:
// cmsketch_agg(x, eps, p) and tdigest_merge_agg(tdigest).
import { CountMinSketch } from '../../sketches/cmsketch.js';
import type { TDigest } from '../../sketches/tdigest.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { newCms, readCms, readTDigest } from '../functions/sketch-support.js';
import { canonicalCodec } from '../functions/sketch-value-bytes.js';
import { aggregateCandidates, registerAggregate, type AggregateDef } from './aggregate.js';
import { sketchAggregate } from './sketch-state.js';
// The 1.0 definitions must be registered before they are copied.
import './sketch-cmsketch.js';
import './sketch-topk.js';
import { tdigestState } from './sketch-tdigest.js';

function alias(oldName: string, newName: string, keep: (d: AggregateDef) => boolean = () => true): void {
  const defs = aggregateCandidates(newName).filter(keep);
  if (defs.length === 0) throw new Error(`sketch alias ${oldName}: no aggregate ${newName}`);
  registerAggregate(...defs.map((d) => ({ ...d, name: oldName })));
}

alias('cmsketch_agg', 'freq_agg');
alias('cmsketch_merge_agg', 'freq_merge_agg');
alias('fss_agg', 'topk_agg', (d) => d.args.length !== 3);
alias('fss_agg_weighted', 'topk_agg', (d) => d.args.length === 3);
alias('tdigest_agg', 'dist_agg');

// cmsketch_agg(x, eps, p): the sketch is sized by the first row's eps and p.
function cmsketchAggSized(elemType: number) {
  const codec = canonicalCodec(elemType);
  return sketchAggregate<CountMinSketch>({
    resultType: SKETCH_OID.cmsketch,
    step: (s, [v, eps, p]) => {
      const cms = s ?? newCms(eps as number, p as number);
      cms.add(codec.encode(v));
      return cms;
    },
    merge: (a, b) => {
      a.merge(b);
      return a;
    },
    toBytes: (s) => s.serialize(),
    fromBytes: readCms,
  });
}

const tdigestMergeAgg = sketchAggregate<TDigest>({
  ...tdigestState,
  step: (s, [t]) => {
    const next = readTDigest(t as Uint8Array);
    if (s === null) return next;
    s.merge(next);
    return s;
  },
});

registerAggregate(
  {
    name: 'cmsketch_agg',
    args: [OID.anyelement, OID.float8, OID.float8],
    ret: SKETCH_OID.cmsketch,
    strict: true,
    create: (t) => cmsketchAggSized(t[0]!),
  },
  { name: 'tdigest_merge_agg', args: [SKETCH_OID.tdigest], ret: SKETCH_OID.tdigest, strict: true, create: () => tdigestMergeAgg },
);
