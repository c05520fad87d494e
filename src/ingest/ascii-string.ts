// Short ASCII byte runs as strings. Node's Buffer slicing crosses into C++ for
// every call (~80 ns), which dominates when fields are a few bytes long; for
// short runs String.fromCharCode with explicit arguments is several times
// faster and still makes a flat one-byte string.
interface Latin1Buffer extends Uint8Array {
  latin1Slice(start: number, end: number): string;
}

/** The bytes b[start..end) as a string; every byte must be < 0x80. */
export function asciiString(b: Uint8Array, start: number, end: number): string {
  const f = String.fromCharCode;
  const s = start;
  switch (end - s) {
    case 0: return '';
    case 1: return f(b[s]!);
    case 2: return f(b[s]!, b[s + 1]!);
    case 3: return f(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    default: return (b as Latin1Buffer).latin1Slice(start, end);
  }
}
