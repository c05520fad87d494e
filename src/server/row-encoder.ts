// Turns a result row's values into wire values: per column, the text or binary
// output function is looked up once per result, not per value.
import { getBinaryOutput, getTextOutput } from '../types/type-io.js';
import type { TypeIoContext } from '../types/io-context.js';
import type { ResultColumn } from './statement-plan.js';
import { OID } from '../types/oids.js';

export type WireValue = string | Buffer | null;

/** How a column's text is written: through its output function (a string), */
export const TEXT_BY_STRING = 0;
/** as an integer's digits in place (int2 / int4 / int8: numbers or bigints, Writer.lengthPrefixedInteger), */
export const TEXT_INTEGER = 1;
/** or, for a numeric that can, as its ASCII text in place (Numeric.writeText; else by string). */
export const TEXT_NUMERIC = 2;

const IN_PLACE_TEXT = new Map<number, number>([
  [OID.int2, TEXT_INTEGER],
  [OID.int4, TEXT_INTEGER],
  [OID.int8, TEXT_INTEGER],
  [OID.numeric, TEXT_NUMERIC],
]);

export class RowEncoder {
  private readonly encoders: ((value: unknown) => string | Buffer)[];
  /** Per column: TEXT_BY_STRING, TEXT_INTEGER or TEXT_NUMERIC (text format only). */
  readonly textKinds: Uint8Array;

  constructor(columns: ResultColumn[], formats: number[], io: TypeIoContext) {
    this.textKinds = Uint8Array.from(columns, (c, i) => (formats[i] === 1 ? TEXT_BY_STRING : (IN_PLACE_TEXT.get(c.typeOid) ?? TEXT_BY_STRING)));
    this.encoders = columns.map((c, i) => {
      if (formats[i] === 1) {
        const out = getBinaryOutput(c.typeOid);
        return (v: unknown) => out(v, io);
      }
      const out = getTextOutput(c.typeOid);
      return (v: unknown) => out(v, io);
    });
  }

  get width(): number {
    return this.encoders.length;
  }

  encode(row: unknown[], i: number): WireValue {
    const v = row[i];
    return v === null || v === undefined ? null : this.encoders[i]!(v);
  }
}
