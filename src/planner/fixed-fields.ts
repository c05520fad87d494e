// The states of a view with fixed kinds (state-codecs.ts: count, and
// sum/avg/min/max over integers) as a record of doubles, one per field (avg
// has two: n, then sum), NaN for NULL. A worker steps a batch's groups in
// such records and a combiner caches its groups in them; both write a
// record's states in the generic encoding (state-codecs.ts), so the bytes
// cannot be told from those of the object form.
import { putUvarint, type ByteWriter } from './bytes.js';
import type { FixedKind } from './state-codecs.js';
import { smallIntCode } from './value-codec.js';

// Field kinds, one per double of a record.
export const COUNT = 0;
export const NULLABLE_SUM = 1;
export const AVG_N = 2;
export const AVG_SUM = 3;
export const MIN = 4;
export const MAX = 5;

/** An integer sum in the number form of IntSum stays below this in magnitude (int-sum.ts). */
export const SMALL_SUM = 2 ** 50;

/** Doubles a state of this kind takes in a record. */
export function fixedFieldWidth(kind: FixedKind): number {
  return kind === 'intavg' ? 2 : 1;
}

/** The field kinds of a view's states, in state order. */
export function fixedFieldsOf(kinds: readonly FixedKind[]): Uint8Array {
  const fields: number[] = [];
  for (const k of kinds) {
    if (k === 'count') fields.push(COUNT);
    else if (k === 'intsum') fields.push(NULLABLE_SUM);
    else if (k === 'intavg') fields.push(AVG_N, AVG_SUM);
    else fields.push(k === 'min' ? MIN : MAX);
  }
  return Uint8Array.from(fields);
}

/** Sets the fields at `at` of `records` to fresh states (as the aggregates' init()). */
export function initFixedFields(fields: Uint8Array, records: Float64Array, at: number): void {
  for (let f = 0; f < fields.length; f++) {
    const kind = fields[f];
    records[at + f] = kind === COUNT || kind === AVG_N || kind === AVG_SUM ? 0 : NaN;
  }
}

/** Appends the states held by the fields at `at` of `records` to `w`, in the generic encoding. */
export function writeFixedFields(w: ByteWriter, fields: Uint8Array, records: Float64Array, at: number): void {
  const width = fields.length;
  // Each field is at most a NULL flag and an 8-byte varint (values stay below 2^53).
  w.ensure(9 * width);
  const buf = w.buf;
  let p = w.pos;
  for (let f = 0; f < width; f++) {
    const v = records[at + f]!;
    switch (fields[f]) {
      case COUNT:
      case AVG_N:
        p = putUvarint(buf, p, v);
        break;
      case AVG_SUM:
        p = putUvarint(buf, p, smallIntCode(v));
        break;
      default:
        // NaN: NULL.
        if (v !== v) buf[p++] = 0;
        else {
          buf[p++] = 1;
          p = putUvarint(buf, p, smallIntCode(v));
        }
    }
  }
  w.pos = p;
}
