// ORDER BY: a row comparator over sort-key positions with ASC/DESC and
// NULLS FIRST/LAST (default: NULLS LAST for ASC, FIRST for DESC).
import type { EvalContext } from '../functions/catalog.js';
import { INTERRUPT_MASK } from '../functions/row-meter.js';
import { requireCompareFn, type CompareFn } from '../expr/compare-values.js';

export interface SortKey {
  /** Position of the key value in the row being sorted. */
  index: number;
  type: number;
  desc: boolean;
  nullsFirst: boolean;
  location: number;
}

/** Orders two rows: negative, zero or positive. */
export type RowComparator = (a: unknown[], b: unknown[]) => number;

export function rowComparator(keys: SortKey[]): RowComparator {
  const cmps: CompareFn[] = keys.map((k) => requireCompareFn(k.type, k.location));
  return (a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const x = a[k.index];
      const y = b[k.index];
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === k.nullsFirst ? -1 : 1;
      }
      const c = cmps[i](x, y);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  };
}

/** Sorts rows in place; a big sort stays cancellable because the comparator checks interrupts every few thousand calls. */
export function sortRows(rows: unknown[][], cmp: (a: unknown[], b: unknown[]) => number, ctx: EvalContext): void {
  let calls = 0;
  rows.sort((a, b) => {
    if ((++calls & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
    return cmp(a, b);
  });
}

/** Parses a SortBy node's direction/nulls options. */
export function sortOptions(sb: { sortby_dir?: string; sortby_nulls?: string }): { desc: boolean; nullsFirst: boolean } {
  const desc = sb.sortby_dir === 'SORTBY_DESC';
  const nullsFirst = sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : desc;
  return { desc, nullsFirst };
}
