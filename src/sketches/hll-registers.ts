// Dense HyperLogLog registers: 2^p six-bit counters packed LSB-first into
// bytes (register i occupies bits 6i .. 6i+5 of the byte string), the layout
// PipelineDB stores. The in-memory array carries one spare zero byte at the end
// so a register in the last byte can be read as a 16-bit window without a
// bounds branch; that byte is never serialized.

/** Bytes the packed registers of precision p occupy when serialized. */
export function denseByteLength(p: number): number {
  return Math.ceil(((1 << p) * 6) / 8);
}

/** A zeroed register array for precision p (with the spare byte). */
export function newDenseRegisters(p: number): Uint8Array {
  return new Uint8Array(denseByteLength(p) + 1);
}

export function getRegister(regs: Uint8Array, i: number): number {
  const bit = i * 6;
  const byte = bit >>> 3;
  return ((regs[byte]! | (regs[byte + 1]! << 8)) >>> (bit & 7)) & 63;
}

/** Raises register i to v if v is larger; returns whether it changed. */
export function raiseRegister(regs: Uint8Array, i: number, v: number): boolean {
  const bit = i * 6;
  const byte = bit >>> 3;
  const shift = bit & 7;
  const window = regs[byte]! | (regs[byte + 1]! << 8);
  if (((window >>> shift) & 63) >= v) return false;
  const next = (window & ~(63 << shift)) | (v << shift);
  regs[byte] = next & 0xff;
  regs[byte + 1] = next >>> 8;
  return true;
}

/** dst[i] = max(dst[i], src[i]) for all 2^p registers. */
export function mergeRegisters(dst: Uint8Array, src: Uint8Array, p: number): void {
  const m = 1 << p;
  if ((m & 3) !== 0) {
    for (let i = 0; i < m; i++) raiseRegister(dst, i, getRegister(src, i));
    return;
  }
  // Four registers per three bytes: work on 24-bit words.
  const bytes = (m * 6) >>> 3;
  for (let j = 0; j < bytes; j += 3) {
    const a = dst[j]! | (dst[j + 1]! << 8) | (dst[j + 2]! << 16);
    const b = src[j]! | (src[j + 1]! << 8) | (src[j + 2]! << 16);
    if (a === b || b === 0) continue;
    let w = 0;
    for (let s = 0; s < 24; s += 6) {
      const ra = (a >>> s) & 63;
      const rb = (b >>> s) & 63;
      w |= (ra > rb ? ra : rb) << s;
    }
    dst[j] = w & 0xff;
    dst[j + 1] = (w >>> 8) & 0xff;
    dst[j + 2] = w >>> 16;
  }
}

/** 2^-r for every register value r. */
const INVERSE_POWERS = new Float64Array(64);
for (let r = 0; r < 64; r++) INVERSE_POWERS[r] = Math.pow(2, -r);

/**
 * Sum of 2^-register over all registers, and how many registers are zero,
 * written to out[0] and out[1].
 */
export function registerHarmonicSum(regs: Uint8Array, p: number, out: Float64Array): void {
  const m = 1 << p;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = getRegister(regs, i);
    if (r === 0) zeros++;
    sum += INVERSE_POWERS[r]!;
  }
  out[0] = sum;
  out[1] = zeros;
}
