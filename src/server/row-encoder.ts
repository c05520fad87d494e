// Turns a result row's values into wire values: per column, the text or binary
// output function is looked up once per result, not per value.
import { getBinaryOutput, getTextOutput, type BinaryOutput, type TextOutput } from '../types/type-io.js';
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
  /** Per column, its text or binary output function. */
  private readonly outputs: (TextOutput | BinaryOutput)[];
  /** Per column: TEXT_BY_STRING, TEXT_INTEGER or TEXT_NUMERIC (text format only). */
  readonly textKinds: Uint8Array;

  // Made once per result: plain loops, as Uint8Array.from with a mapper and a
  // closure per column cost about 1 µs, 3 % of a point read's main-thread time.
  constructor(
    columns: ResultColumn[],
    formats: number[],
    private readonly io: TypeIoContext,
  ) {
    const n = columns.length;
    this.textKinds = new Uint8Array(n);
    this.outputs = new Array(n);
    for (let i = 0; i < n; i++) {
      const type = columns[i]!.typeOid;
      if (formats[i] === 1) {
        this.outputs[i] = getBinaryOutput(type);
      } else {
        this.textKinds[i] = IN_PLACE_TEXT.get(type) ?? TEXT_BY_STRING;
        this.outputs[i] = getTextOutput(type);
      }
    }
  }

  get width(): number {
    return this.outputs.length;
  }

  encode(row: unknown[], i: number): WireValue {
    const v = row[i];
    return v === null || v === undefined ? null : this.outputs[i]!(v, this.io);
  }
}
