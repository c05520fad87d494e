// "IS NOT DISTINCT FROM" for values of any one type, as array_position,
// array_remove and array_replace need it.
import { numericEquals } from '../../types/numeric.js';
import { OID } from '../../types/oids.js';
import { Interval, Numeric, PgArray, USECS_PER_DAY } from '../../types/values.js';

function stripBlanks(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(0, end);
}

/** Intervals compare by their total span with months of 30 days, as interval_cmp does. */
function intervalSpan(i: Interval): number {
  return i.micros + (i.days + i.months * 30) * USECS_PER_DAY;
}

export function valuesNotDistinct(a: unknown, b: unknown, type: number): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number') {
    // float NaN equals NaN in PostgreSQL's ordering
    return a === b || (Number.isNaN(a) && Number.isNaN(b as number));
  }
  if (typeof a === 'string') {
    if (type === OID.bpchar) return stripBlanks(a) === stripBlanks(b as string);
    return a === b;
  }
  if (typeof a === 'bigint' || typeof a === 'boolean') return a === b;
  if (a instanceof Numeric) return numericEquals(a, b as Numeric);
  if (a instanceof Interval) return intervalSpan(a) === intervalSpan(b as Interval);
  if (a instanceof Uint8Array) {
    const y = b as Uint8Array;
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== y[i]) return false;
    return true;
  }
  if (a instanceof PgArray) {
    const y = b as PgArray;
    if (a.items.length !== y.items.length || (a.items.length > 0 && a.lower !== y.lower)) return false;
    for (let i = 0; i < a.items.length; i++) {
      if (!valuesNotDistinct(a.items[i], y.items[i], a.elemType)) return false;
    }
    return true;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}
