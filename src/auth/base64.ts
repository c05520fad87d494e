// Strict base64 decoding as PostgreSQL's SCRAM code does it: no whitespace,
// no characters outside the alphabet, '=' only as padding, and the input
// must end on a 4-character boundary. Node's decoder silently skips bad
// characters, which would accept messages PostgreSQL rejects.

const DECODE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/** Decodes `text`; null when it is not valid base64 by PostgreSQL's rules. */
export function decodeBase64Strict(text: string): Buffer | null {
  const out = Buffer.allocUnsafe(Math.floor((text.length * 3) / 4));
  let length = 0;
  let bits = 0;
  let position = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let value: number;
    if (c === 0x3d /* = */) {
      if (padding === 0) {
        if (position === 2) padding = 1;
        else if (position === 3) padding = 2;
        else return null;
      }
      value = 0;
    } else {
      value = c < 128 ? DECODE[c] : -1;
      if (value < 0) return null;
    }
    bits = (bits << 6) | value;
    position++;
    if (position === 4) {
      out[length++] = (bits >> 16) & 0xff;
      if (padding === 0 || padding > 1) out[length++] = (bits >> 8) & 0xff;
      if (padding === 0 || padding > 2) out[length++] = bits & 0xff;
      bits = 0;
      position = 0;
    }
  }
  if (position !== 0) return null;
  return out.subarray(0, length);
}
