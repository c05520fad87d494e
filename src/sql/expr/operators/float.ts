// float4 / float8 arithmetic with PostgreSQL's overflow/underflow checks,
// plus ^ (power), |/ (square root), ||/ (cube root) and @ (absolute value).
import { PgError, SQLSTATE, pgErr } from '../../../errors.js';
import { OID } from '../../../types/oids.js';
import { checkFloat8Result } from '../../../types/float-format.js';
import { op, register } from './define.js';

const { float4, float8 } = OID;

function isInf(x: number): boolean {
  return x === Infinity || x === -Infinity;
}

/** float4 results: computed in double, rounded to single, then checked like CHECKFLOATVAL. */
function check4(r: number, infAllowed: boolean, zeroAllowed: boolean): number {
  return checkFloat8Result(Math.fround(r), infAllowed, zeroAllowed);
}

// Same-width arithmetic, and PostgreSQL's mixed-width forms (float48pl,
// float84mi ...) where the float4 side widens exactly and the result is float8.
for (const [l, r, ret, check] of [
  [float8, float8, float8, checkFloat8Result],
  [float4, float4, float4, check4],
  [float4, float8, float8, checkFloat8Result],
  [float8, float4, float8, checkFloat8Result],
] as const) {
  register(
    op('+', l, r, ret, ([a, b]) => check(a + b, isInf(a) || isInf(b), true)),
    op('-', l, r, ret, ([a, b]) => check(a - b, isInf(a) || isInf(b), true)),
    op('*', l, r, ret, ([a, b]) => check(a * b, isInf(a) || isInf(b), a === 0 || b === 0)),
    op('/', l, r, ret, ([a, b]) => {
      if (b === 0) throw pgErr.divisionByZero();
      return check(a / b, isInf(a), a === 0 || isInf(b));
    }),
  );
}

for (const t of [float8, float4]) {
  register(
    op('-', null, t, t, ([a]) => -a),
    op('+', null, t, t, ([a]) => a),
    op('@', null, t, t, ([a]) => Math.abs(a)),
  );
}

const powerError = (msg: string) => new PgError(SQLSTATE.invalid_argument_for_power_function, msg);

/** float8 ^ float8 with PostgreSQL's domain errors. */
export function float8Power(a: number, b: number): number {
  if (a === 0 && b < 0) throw powerError('zero raised to a negative power is undefined');
  if (a < 0 && Math.floor(b) !== b && Number.isFinite(b)) {
    throw powerError('a negative number raised to a non-integer power yields a complex result');
  }
  if (Number.isNaN(a)) return b === 0 ? 1 : NaN;
  if (Number.isNaN(b)) return a === 1 ? 1 : NaN;
  const r = Math.pow(a, b);
  return checkFloat8Result(r, isInf(a) || isInf(b), a === 0);
}

register(
  op('^', float8, float8, float8, ([a, b]) => float8Power(a, b)),
  op('|/', null, float8, float8, ([a]) => {
    if (a < 0) throw new PgError(SQLSTATE.invalid_argument_for_power_function, 'cannot take square root of a negative number');
    return Math.sqrt(a);
  }),
  op('||/', null, float8, float8, ([a]) => Math.cbrt(a)),
);
