// Turns a result row's values into wire values: per column, the text or binary
// output function is looked up once per result, not per value.
import { getBinaryOutput, getTextOutput } from '../types/type-io.js';
import type { TypeIoContext } from '../types/io-context.js';
import type { ResultColumn } from './statement-plan.js';

export type WireValue = string | Buffer | null;

export class RowEncoder {
  private readonly encoders: ((value: unknown) => string | Buffer)[];

  constructor(columns: ResultColumn[], formats: number[], io: TypeIoContext) {
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
