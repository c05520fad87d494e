// Hash keys for whole rows (DISTINCT, GROUP BY, set operations): values that
// compare equal give equal keys, NULLs equal each other.
import { keyFnFor, type KeyFn } from '../expr/compare-values.js';

export type RowKeyFn = (row: unknown[]) => string;

export function rowKeyFn(types: number[], indexes?: number[]): RowKeyFn {
  const fns: KeyFn[] = types.map(keyFnFor);
  const idx = indexes ?? types.map((_, i) => i);
  if (idx.length === 1) {
    const f = fns[0];
    const i = idx[0];
    return (row) => (row[i] === null ? '\u0000N' : 'v' + f(row[i]));
  }
  return (row) => {
    const parts: (string | null)[] = new Array(idx.length);
    for (let k = 0; k < idx.length; k++) {
      const v = row[idx[k]];
      parts[k] = v === null ? null : fns[k](v);
    }
    return JSON.stringify(parts);
  };
}
