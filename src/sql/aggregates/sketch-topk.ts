// topk_agg of PipelineDB 1.0: topk_agg(x, k), topk_agg(x, k, weight int8) and
// topk_agg(x, k, m, h) (monitored elements and filter counters). As in
// PipelineDB 1.0's transition functions, NULL values are not counted (only
// topk_increment adds NULL as a value), rows with a NULL k or weight are
// skipped, and no rows give NULL.
import { FilteredSpaceSaving } from '../../sketches/topk.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID, topkSummary, topkValue } from '../../types/sketch-types.js';
import { newTopk } from '../functions/sketch-support.js';
import { topkAdd } from '../functions/sketch-topk.js';
import { registerAggregate } from './aggregate.js';
import { sketchAggregate } from './sketch-state.js';

const TOPK = SKETCH_OID.topk;

/** shape: 'k' = (x, k); 'weighted' = (x, k, weight); 'sized' = (x, k, m, h). */
function topkAgg(elemType: number, shape: 'k' | 'weighted' | 'sized') {
  return sketchAggregate<FilteredSpaceSaving>({
    resultType: TOPK,
    step: (s, args) => {
      for (let i = 1; i < args.length; i++) if (args[i] === null) return s;
      const fss = s ?? (shape === 'sized' ? newTopk(args[1] as number, args[2] as number, args[3] as number) : newTopk(args[1] as number));
      // As PipelineDB: the first row sizes the summary even when its value is NULL, and NULL values are not counted.
      if (args[0] !== null) topkAdd(fss, elemType, args[0], shape === 'weighted' ? Number(args[2] as bigint) : 1);
      return fss;
    },
    merge: (a, b) => {
      a.merge(b);
      return a;
    },
    toBytes: (s) => topkValue(elemType, s),
    fromBytes: topkSummary,
  });
}

registerAggregate(
  { name: 'topk_agg', args: [OID.anyelement, OID.int4], ret: TOPK, strict: false, create: (t) => topkAgg(t[0]!, 'k') },
  { name: 'topk_agg', args: [OID.anyelement, OID.int4, OID.int8], ret: TOPK, strict: false, create: (t) => topkAgg(t[0]!, 'weighted') },
  {
    name: 'topk_agg',
    args: [OID.anyelement, OID.int4, OID.int4, OID.int4],
    ret: TOPK,
    strict: false,
    create: (t) => topkAgg(t[0]!, 'sized'),
  },
);
