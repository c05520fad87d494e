// Group keys arrive as bytes; Maps need a primitive key. Mapping each byte
// to one UTF-16 code unit is exact (latin1) and, for the short keys of most
// views, much cheaper by hand than through a Buffer (no object per row).
const SHORT_KEY = 48;

export function keyString(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n > SHORT_KEY) return Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('latin1');
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
