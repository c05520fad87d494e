// For worker tests: a worker's partials message with its record sections
// (RecordPartials) written as bytes, as the object form writes them, so
// both forms can be compared byte for byte.
import { keyIdBytes } from '../engine/key-string.js';
import { forEachPartialAt, PartialsWriter } from '../engine/partials-codec.js';
import { writeFixedFields } from '../planner/fixed-fields.js';

/** The writer's message (finish()) with its records appended as groups in bytes; `fieldsOf` gives a view's fields. */
export function messageBytes(w: PartialsWriter, fieldsOf: (viewOid: number) => Uint8Array): ArrayBuffer {
  const records = w.recordPartials();
  const bytes = w.finish();
  if (records.length === 0) return bytes;
  const out = new PartialsWriter();
  forEachPartialAt(bytes, (viewOid, b, keyStart, keyEnd, stateStart, stateEnd) => {
    out.beginGroup(viewOid, b.subarray(keyStart, keyEnd)).bytes(b.subarray(stateStart, stateEnd));
    out.endGroup();
  });
  for (const { viewOid, stride, records: r } of records) {
    const fields = fieldsOf(viewOid);
    if (fields.length + 1 !== stride) throw new Error(`records of ${stride} doubles for ${fields.length} fields`);
    for (let at = 0; at < r.length; at += stride) {
      writeFixedFields(out.beginGroup(viewOid, keyIdBytes(r[at]!)), fields, r, at + 1);
      out.endGroup();
    }
  }
  return out.finish();
}
