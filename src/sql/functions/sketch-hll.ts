// HyperLogLog functions of PipelineDB 1.0: hll_empty, hll_add, hll_cardinality,
// hll_union, hll_print. (The aggregates are in ../aggregates/sketch-hll.ts.)
import { PgError, SQLSTATE } from '../../errors.js';
import { HLL_DEFAULT_P, HyperLogLog } from '../../sketches/hll.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';
import { canonicalCodec } from './sketch-value-bytes.js';
import { foldSketches, newHll, readHll } from './sketch-support.js';

const HLL = SKETCH_OID.hyperloglog;

/** Union into `acc`; PipelineDB refuses sketches of different precision (elog, XX000). */
export function hllUnionInto(acc: HyperLogLog, next: HyperLogLog): void {
  if (acc.p !== next.p) throw new PgError(SQLSTATE.internal_error, 'hyperloglogs must have the same p');
  acc.merge(next);
}

// hll_add(NULL, x) starts a default sketch; adding NULL leaves the sketch as it is.
function hllAdd([h, v]: [Uint8Array | null, unknown], argTypes: number[]): Uint8Array | null {
  if (v === null) return h;
  const hll = h === null ? new HyperLogLog(HLL_DEFAULT_P) : readHll(h);
  hll.addBytes(canonicalCodec(argTypes[1]!).encode(v));
  return hll.serialize();
}

registerFunction(
  fn('hll_empty', [], HLL, () => new HyperLogLog(HLL_DEFAULT_P).serialize()),
  fn('hll_empty', [OID.int4], HLL, ([p]: [number]) => newHll(p).serialize()),
  fn('hll_add', [HLL, OID.anyelement], HLL, (a, _ctx, t) => hllAdd(a, t), { strict: false }),
  fn('hll_add', [HLL, OID.text], HLL, (a, _ctx, t) => hllAdd(a, t), { strict: false }),
  // NULL counts as an empty sketch, as in PipelineDB.
  fn('hll_cardinality', [HLL], OID.int8, ([h]: [Uint8Array | null]) => (h === null ? 0n : BigInt(readHll(h).cardinality())), {
    strict: false,
  }),
  fn(
    'hll_union',
    [],
    HLL,
    (args: unknown[], _ctx, argTypes) => foldSketches(args, argTypes, HLL, 'hyperloglog', readHll, hllUnionInto)?.serialize() ?? null,
    { strict: false, variadic: OID.any },
  ),
  // size is this implementation's serialized size, whole kB.
  fn('hll_print', [HLL], OID.text, ([h]: [Uint8Array]) => {
    const hll = readHll(h);
    return `{ p = ${hll.p}, cardinality = ${hll.cardinality()}, size = ${Math.floor(h.length / 1024)}kB }`;
  }),
);
