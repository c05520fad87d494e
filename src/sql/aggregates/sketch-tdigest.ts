// dist_agg(float8 [, compression]) of PipelineDB 1.0: NULL inputs are
// skipped; no rows give NULL.
import { TDIGEST_DEFAULT_COMPRESSION, TDigest } from '../../sketches/tdigest.js';
import { serializeTDigest } from '../../sketches/tdigest-codec.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { readTDigest } from '../functions/sketch-support.js';
import { addToDigest, newTDigest } from '../functions/sketch-tdigest.js';
import { registerAggregate } from './aggregate.js';
import { sketchAggregate } from './sketch-state.js';

/** What every t-digest aggregate shares: the sketch as state, merged and stored as the tdigest type. */
export const tdigestState = {
  resultType: SKETCH_OID.tdigest,
  merge: (a: TDigest, b: TDigest) => {
    a.merge(b);
    return a;
  },
  toBytes: serializeTDigest,
  fromBytes: readTDigest,
};

const distAgg = sketchAggregate<TDigest>({
  ...tdigestState,
  step: (s, args) => {
    // The compression comes from the first row.
    const d = s ?? (args.length > 1 ? newTDigest(args[1] as number) : new TDigest(TDIGEST_DEFAULT_COMPRESSION));
    addToDigest(d, args[0] as number, 1);
    return d;
  },
});

registerAggregate(
  { name: 'dist_agg', args: [OID.float8], ret: SKETCH_OID.tdigest, strict: true, create: () => distAgg },
  { name: 'dist_agg', args: [OID.float8, OID.int4], ret: SKETCH_OID.tdigest, strict: true, create: () => distAgg },
);
