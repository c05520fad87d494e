// int2 / int4 / int8 arithmetic and bitwise operators with PostgreSQL's
// overflow (22003) and division-by-zero (22012) errors. Mixed-width calls
// resolve to the wider type through implicit casts, as in PostgreSQL.
import { PgError, SQLSTATE, pgErr } from '../../../errors.js';
import { OID } from '../../../types/oids.js';
import { op, register } from './define.js';

const { int2, int4, int8 } = OID;

const outOfRange = (name: string) => new PgError(SQLSTATE.numeric_value_out_of_range, `${name} out of range`);

interface IntKind {
  type: number;
  name: string;
  min: number;
  max: number;
  bits: number;
}
const SMALL: IntKind = { type: int2, name: 'smallint', min: -32768, max: 32767, bits: 16 };
const INT: IntKind = { type: int4, name: 'integer', min: -2147483648, max: 2147483647, bits: 32 };

function registerSmallInts(k: IntKind): void {
  const t = k.type;
  const check = (v: number): number => {
    if (v < k.min || v > k.max) throw outOfRange(k.name);
    return v;
  };
  // int2 shifts truncate to 16 bits like C's (int16) cast.
  const wrap = k.bits === 32 ? (v: number) => v | 0 : (v: number) => (v << 16) >> 16;
  register(
    op('+', t, t, t, ([a, b]) => check(a + b)),
    op('-', t, t, t, ([a, b]) => check(a - b)),
    // An integer has no -0 (0 * -3 is JavaScript's -0, which would print as 0 but encode differently).
    op('*', t, t, t, ([a, b]) => check(a * b || 0)),
    op('/', t, t, t, ([a, b]) => {
      if (b === 0) throw pgErr.divisionByZero();
      return check(Math.trunc(a / b) || 0);
    }),
    op('%', t, t, t, ([a, b]) => {
      if (b === 0) throw pgErr.divisionByZero();
      return a % b || 0;
    }),
    op('-', null, t, t, ([a]) => check(-a || 0)),
    op('+', null, t, t, ([a]) => a),
    op('@', null, t, t, ([a]) => check(Math.abs(a))),
    op('&', t, t, t, ([a, b]) => a & b),
    op('|', t, t, t, ([a, b]) => a | b),
    op('#', t, t, t, ([a, b]) => a ^ b),
    op('~', null, t, t, ([a]) => ~a),
    op('<<', t, int4, t, ([a, b]) => wrap(a << b)),
    op('>>', t, int4, t, ([a, b]) => wrap(a >> b)),
  );
}
registerSmallInts(SMALL);
registerSmallInts(INT);

const I8_MIN = -(2n ** 63n);
const I8_MAX = 2n ** 63n - 1n;
function check8(v: bigint): bigint {
  if (v < I8_MIN || v > I8_MAX) throw outOfRange('bigint');
  return v;
}

register(
  op('+', int8, int8, int8, ([a, b]: bigint[]) => check8(a + b)),
  op('-', int8, int8, int8, ([a, b]: bigint[]) => check8(a - b)),
  op('*', int8, int8, int8, ([a, b]: bigint[]) => check8(a * b)),
  op('/', int8, int8, int8, ([a, b]: bigint[]) => {
    if (b === 0n) throw pgErr.divisionByZero();
    return check8(a / b);
  }),
  op('%', int8, int8, int8, ([a, b]: bigint[]) => {
    if (b === 0n) throw pgErr.divisionByZero();
    return a % b;
  }),
  op('-', null, int8, int8, ([a]: bigint[]) => check8(-a)),
  op('+', null, int8, int8, ([a]: bigint[]) => a),
  op('@', null, int8, int8, ([a]: bigint[]) => check8(a < 0n ? -a : a)),
  op('&', int8, int8, int8, ([a, b]: bigint[]) => a & b),
  op('|', int8, int8, int8, ([a, b]: bigint[]) => a | b),
  op('#', int8, int8, int8, ([a, b]: bigint[]) => a ^ b),
  op('~', null, int8, int8, ([a]: bigint[]) => ~a),
  op('<<', int8, int4, int8, ([a, b]: any[]) => BigInt.asIntN(64, (a as bigint) << BigInt((b as number) & 63))),
  op('>>', int8, int4, int8, ([a, b]: any[]) => (a as bigint) >> BigInt((b as number) & 63)),
);
