// corr, covar_pop, covar_samp and the regr_* family over (Y float8, X float8),
// all from one mergeable co-moment state (float-moments.ts). Rows where
// either argument is NULL are skipped (the aggregates are strict).
import { OID } from '../../types/oids.js';
import { registerAggregate, type AggregateImpl } from './aggregate.js';
import { decodeState, encodeState } from './state-codec.js';
import { coMomentsMerge, coMomentsStep, type FloatCoMoments } from './float-moments.js';

type Final = (s: FloatCoMoments) => number | bigint | null;

const FINALS: [string, number, Final][] = [
  ['regr_count', OID.int8, (s) => BigInt(s.n)],
  ['regr_sxx', OID.float8, (s) => (s.n < 1 ? null : s.sxx)],
  ['regr_syy', OID.float8, (s) => (s.n < 1 ? null : s.syy)],
  ['regr_sxy', OID.float8, (s) => (s.n < 1 ? null : s.sxy)],
  ['regr_avgx', OID.float8, (s) => (s.n < 1 ? null : s.sx / s.n)],
  ['regr_avgy', OID.float8, (s) => (s.n < 1 ? null : s.sy / s.n)],
  ['covar_pop', OID.float8, (s) => (s.n < 1 ? null : s.sxy / s.n)],
  ['covar_samp', OID.float8, (s) => (s.n < 2 ? null : s.sxy / (s.n - 1))],
  ['corr', OID.float8, (s) => (s.n < 1 || s.sxx === 0 || s.syy === 0 ? null : s.sxy / Math.sqrt(s.sxx * s.syy))],
  ['regr_r2', OID.float8, (s) => (s.n < 1 || s.sxx === 0 ? null : s.syy === 0 ? 1 : (s.sxy * s.sxy) / (s.sxx * s.syy))],
  ['regr_slope', OID.float8, (s) => (s.n < 1 || s.sxx === 0 ? null : s.sxy / s.sxx)],
  ['regr_intercept', OID.float8, (s) => (s.n < 1 || s.sxx === 0 ? null : (s.sy - (s.sx * s.sxy) / s.sxx) / s.n)],
];

function regression(resultType: number, final: Final): AggregateImpl<FloatCoMoments> {
  return {
    resultType,
    init: () => ({ n: 0, sx: 0, sxx: 0, sy: 0, syy: 0, sxy: 0 }),
    step: (s, [y, x]) => coMomentsStep(s, y as number, x as number),
    merge: coMomentsMerge,
    final,
    serialize: (s) => encodeState(s),
    deserialize: (b) => decodeState<FloatCoMoments>(b),
  };
}

for (const [name, ret, final] of FINALS) {
  const impl = regression(ret, final);
  registerAggregate({ name, args: [OID.float8, OID.float8], ret, strict: true, create: () => impl });
}
