// Decimal digits written as ASCII bytes in place: a DataRow's integers and
// avg()'s quotients go out with no string made for them.

/** 10^0 .. 10^16. */
const POW10 = Array.from({ length: 17 }, (_, i) => 10 ** i);

/** The number of decimal digits of an integer 0 <= v < 2^53 (1 for 0). */
export function digitCount(v: number): number {
  let digits = 1;
  while (digits < 16 && v >= POW10[digits]!) digits++;
  return digits;
}

/** The `count` lowest decimal digits of an integer 0 <= v < 2^53, zero-padded, at [at, at + count) of `out`; answers at + count. */
export function writeDigits(out: Uint8Array, at: number, count: number, v: number): number {
  let i = at + count - 1;
  // Above int32, a double's floor(v / 10) (exact below 2^53); a double's % is a call into C.
  while (v > 0x7fffffff && i >= at) {
    const q = Math.floor(v / 10);
    out[i--] = 0x30 + (v - q * 10);
    v = q;
  }
  // Then int32 division by a constant, which compiles to a multiply.
  let n = v | 0;
  while (i >= at) {
    const q = (n / 10) | 0;
    out[i--] = 0x30 + (n - q * 10);
    n = q;
  }
  return at + count;
}
