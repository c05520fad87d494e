// Array operators: || (concatenate, append, prepend; NULL-tolerant like
// PostgreSQL's array_cat/array_append/array_prepend) and @> <@ && .
import { OID, elementOf } from '../../../types/oids.js';
import { PgArray } from '../../../types/values.js';
import { equalsFnFor } from '../compare-values.js';
import { op, register } from './define.js';

const { anyarray, anyelement, bool } = OID;

function contains(a: PgArray, b: PgArray, type: number): boolean {
  const eq = equalsFnFor(elementOf(type) ?? OID.text);
  for (const y of b.items) {
    if (y === null) return false;
    let found = false;
    for (const x of a.items) {
      if (x !== null && eq(x, y)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function overlaps(a: PgArray, b: PgArray, type: number): boolean {
  const eq = equalsFnFor(elementOf(type) ?? OID.text);
  for (const y of b.items) {
    if (y === null) continue;
    for (const x of a.items) if (x !== null && eq(x, y)) return true;
  }
  return false;
}

register(
  op('||', anyarray, anyarray, anyarray, ([a, b]: (PgArray | null)[], _c, t) => {
    if (a === null) return b;
    if (b === null) return a;
    return new PgArray(elementOf(t[0]) ?? a.elemType, a.items.concat(b.items), a.items.length ? a.lower : b.lower);
  }, { strict: false }),
  op('||', anyarray, anyelement, anyarray, ([a, x], _c, t) => {
    const elem = t[1];
    if (a === null) return new PgArray(elem, [x]);
    return new PgArray(elem, (a as PgArray).items.concat([x]), (a as PgArray).lower);
  }, { strict: false }),
  op('||', anyelement, anyarray, anyarray, ([x, a], _c, t) => {
    const elem = t[0];
    if (a === null) return new PgArray(elem, [x]);
    return new PgArray(elem, [x].concat((a as PgArray).items));
  }, { strict: false }),
  op('@>', anyarray, anyarray, bool, ([a, b], _c, t) => contains(a, b, t[0])),
  op('<@', anyarray, anyarray, bool, ([a, b], _c, t) => contains(b, a, t[0])),
  op('&&', anyarray, anyarray, bool, ([a, b], _c, t) => overlaps(a, b, t[0])),
);
