// The exact running sum of sum() and avg() over integer columns. A bigint per
// row is costly (an allocation for each input value and each addition), so
// the sum is a plain number while its magnitude stays below 2^50, where
// adding an int4 value or another such sum is still exact, and a bigint
// beyond that. Each value has one form, so equal sums are equal states.
export type IntSum = number | bigint;

const SMALL = 2 ** 50;
const SMALL_BIG = 2n ** 50n;

/** The one form of a sum held as a bigint. */
export function intSumOf(v: bigint): IntSum {
  return v < SMALL_BIG && v > -SMALL_BIG ? Number(v) : v;
}

/** a + b, exactly (b may be an int8 input value, a bigint). */
export function addIntSum(a: IntSum, b: IntSum): IntSum {
  // int8 values (sum(count) over a view, say) are bigints, mostly small: add them as numbers.
  if (typeof b === 'bigint' && b < SMALL_BIG && b > -SMALL_BIG) b = Number(b);
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r < SMALL && r > -SMALL) return r;
  }
  return intSumOf(BigInt(a) + BigInt(b));
}

export function intSumToBigint(v: IntSum): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}
