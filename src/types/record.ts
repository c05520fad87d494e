// Anonymous records (type `record`), as set-returning functions such as
// PipelineDB's topk(topk) return them: each value carries its field types.
// Text output is PostgreSQL's record_out: "(a,b)", a NULL field empty, a
// field quoted when it is empty or holds a quote, backslash, parenthesis,
// comma or white space. Binary output is record_send: the field count, then
// per field its type OID and length-prefixed binary value (-1 for NULL).
// Reading a record from text or binary is refused, as PostgreSQL refuses
// input of anonymous composite types.
import { PgError, SQLSTATE } from '../errors.js';

export class PgRecord {
  constructor(
    readonly types: readonly number[],
    readonly values: readonly unknown[],
  ) {}
}

const NEEDS_QUOTES = /[\s"\\(),]/;

export function formatRecordText(r: PgRecord, fieldText: (type: number, v: unknown) => string): string {
  const parts = r.values.map((v, i) => {
    if (v === null) return '';
    const t = fieldText(r.types[i], v);
    if (t !== '' && !NEEDS_QUOTES.test(t)) return t;
    return `"${t.replace(/["\\]/g, (c) => c + c)}"`;
  });
  return `(${parts.join(',')})`;
}

export function recordToBinary(r: PgRecord, fieldBinary: (type: number, v: unknown) => Buffer): Buffer {
  const chunks: Buffer[] = [];
  const head = Buffer.allocUnsafe(4);
  head.writeInt32BE(r.values.length, 0);
  chunks.push(head);
  r.values.forEach((v, i) => {
    const field = Buffer.allocUnsafe(8);
    field.writeUInt32BE(r.types[i] >>> 0, 0);
    if (v === null) {
      field.writeInt32BE(-1, 4);
      chunks.push(field);
      return;
    }
    const data = fieldBinary(r.types[i], v);
    field.writeInt32BE(data.length, 4);
    chunks.push(field, data);
  });
  return Buffer.concat(chunks);
}

export function recordInputRefused(): PgError {
  return new PgError(SQLSTATE.feature_not_supported, 'input of anonymous composite types is not implemented');
}
