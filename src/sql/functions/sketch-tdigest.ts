// t-digest functions of PipelineDB 1.0: tdigest_empty, tdigest_compress,
// dist_add, dist_cdf, dist_quantile. (dist_agg is in ../aggregates/sketch-tdigest.ts.)
import { TDigest, TDIGEST_DEFAULT_COMPRESSION, TDIGEST_MAX_COMPRESSION, TDIGEST_MIN_COMPRESSION } from '../../sketches/tdigest.js';
import { serializeTDigest } from '../../sketches/tdigest-codec.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';
import { invalidParameter, readTDigest } from './sketch-support.js';

const TD = SKETCH_OID.tdigest;

export function newTDigest(compression: number): TDigest {
  if (!(compression >= TDIGEST_MIN_COMPRESSION && compression <= TDIGEST_MAX_COMPRESSION)) {
    throw invalidParameter(`compression must be in [${TDIGEST_MIN_COMPRESSION}, ${TDIGEST_MAX_COMPRESSION}]`);
  }
  return new TDigest(compression);
}

/** Adds a value with a weight, as SQL errors rather than the sketch's RangeErrors. */
export function addToDigest(d: TDigest, x: number, weight: number): void {
  if (!Number.isFinite(x)) throw invalidParameter('t-digest values must be finite');
  if (!(Number.isSafeInteger(weight) && weight >= 1)) throw invalidParameter('weight must be a positive integer');
  d.add(x, weight);
}

// dist_add(NULL, x) starts a default digest; adding NULL leaves the digest as it is.
function distAdd(args: unknown[]): Uint8Array | null {
  const t = args[0] as Uint8Array | null;
  const x = args[1] as number | null;
  const w = args.length > 2 ? (args[2] as number | null) : 1;
  if (x === null || w === null) return t;
  const d = t === null ? new TDigest(TDIGEST_DEFAULT_COMPRESSION) : readTDigest(t);
  addToDigest(d, x, w);
  return serializeTDigest(d);
}

registerFunction(
  fn('tdigest_empty', [], TD, () => serializeTDigest(new TDigest(TDIGEST_DEFAULT_COMPRESSION))),
  fn('tdigest_empty', [OID.int4], TD, ([c]: [number]) => serializeTDigest(newTDigest(c))),
  fn('tdigest_compress', [TD], TD, ([t]: [Uint8Array]) => serializeTDigest(readTDigest(t))),
  fn('dist_add', [TD, OID.float8], TD, (a: unknown[]) => distAdd(a), { strict: false }),
  fn('dist_add', [TD, OID.float8, OID.int4], TD, (a: unknown[]) => distAdd(a), { strict: false }),
  fn('dist_cdf', [TD, OID.float8], OID.float8, ([t, x]: [Uint8Array | null, number | null]) => {
    if (t === null || x === null) return null;
    if (Number.isNaN(x)) throw invalidParameter('cdf argument must not be NaN');
    return readTDigest(t).cdf(x);
  }, { strict: false }),
  fn('dist_quantile', [TD, OID.float8], OID.float8, ([t, q]: [Uint8Array | null, number | null]) => {
    if (t === null || q === null) return null;
    if (!(q >= 0 && q <= 1)) throw invalidParameter('quantile must be between 0 and 1');
    return readTDigest(t).quantile(q);
  }, { strict: false }),
);
