// Turns a result row's values into wire values: per column, the text or binary
// output function is looked up once per result, not per value.
import { getBinaryOutput, getTextOutput } from '../types/type-io.js';
import type { TypeIoContext } from '../types/io-context.js';
import type { ResultColumn } from './statement-plan.js';
import { OID } from '../types/oids.js';

export type WireValue = string | Buffer | null;

/** Types whose text output is an integer's decimal digits (their values are numbers or bigints). */
const INTEGER_TEXT = new Set<number>([OID.int2, OID.int4, OID.int8]);

export class RowEncoder {
  private readonly encoders: ((value: unknown) => string | Buffer)[];
  /** Per column: sent as an integer's text, which the writer makes in place (Writer.lengthPrefixedInteger). */
  readonly integerText: boolean[];

  constructor(columns: ResultColumn[], formats: number[], io: TypeIoContext) {
    this.integerText = columns.map((c, i) => formats[i] !== 1 && INTEGER_TEXT.has(c.typeOid));
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
