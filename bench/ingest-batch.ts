// Rows/s to build and decode stream batches (src/worker/batch-format.ts).
//   node dist/bench/ingest-batch.js [rowsPerBatch] [batches]
import { BatchBuilder, decodeBatch } from '../src/worker/batch-format.js';
import { OID } from '../src/types/oids.js';
import { parseNumeric } from '../src/types/numeric.js';

const rowsPerBatch = Number(process.argv[2] ?? 10_000);
const batches = Number(process.argv[3] ?? 100);

interface Shape {
  name: string;
  types: number[];
  row: (i: number) => unknown[];
}

const shapes: Shape[] = [
  { name: 'cv1 (id int, val int)', types: [OID.int4, OID.int4], row: (i) => [i % 10, i] },
  {
    name: 'wide (int4, int8, float8, text, timestamptz, bool, text, numeric)',
    types: [OID.int4, OID.int8, OID.float8, OID.text, OID.timestamptz, OID.bool, OID.text, OID.numeric],
    row: (i) => [i, BigInt(i) * 1000n, i * 0.5, 'user-' + (i % 1000), 800_000_000_000_000 + i, (i & 1) === 0, i % 5 === 0 ? null : 'GET /index.html', parseNumeric(String(i % 100) + '.25')],
  },
];

function measure(shape: Shape): void {
  // Source rows made up front: the benchmark times the batch code only.
  const src: unknown[][] = [];
  for (let i = 0; i < rowsPerBatch; i++) src.push(shape.row(i));
  const builder = new BatchBuilder(shape.types, rowsPerBatch);
  const bufs: ArrayBuffer[] = [];
  let t0 = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < rowsPerBatch; i++) builder.addRow(src[i]!);
    bufs.push(builder.finish(b, 1, 0));
  }
  const buildNs = Number(process.hrtime.bigint() - t0);
  const row: unknown[] = [];
  let sink = 0;
  t0 = process.hrtime.bigint();
  for (const buf of bufs) {
    const d = decodeBatch(buf);
    for (let i = 0; i < d.rowCount; i++) {
      d.row(i, row);
      if (row[0] !== null) sink++;
    }
  }
  const decodeNs = Number(process.hrtime.bigint() - t0);
  const total = rowsPerBatch * batches;
  const bytes = bufs.reduce((a, b) => a + b.byteLength, 0);
  console.log(
    `${shape.name}: build ${Math.round(total / (buildNs / 1e9)).toLocaleString()} rows/s, ` +
      `decode ${Math.round(total / (decodeNs / 1e9)).toLocaleString()} rows/s, ` +
      `${(bytes / total).toFixed(1)} bytes/row (${sink === total ? 'ok' : 'mismatch'})`,
  );
}

for (const s of shapes) measure(s);
