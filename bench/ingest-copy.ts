// COPY FROM STDIN throughput: rows/s for parsing 1M lines of "id<TAB>val"
// (text) and "id,val" (csv), alone and followed by coercion to (int, int)
// and batch building, in 64 kB CopyData chunks and in one-line chunks
// (what psql sends).
//   node dist/bench/ingest-copy.js [lines]
import { CopyInParser, type CopyInOptions } from '../src/ingest/copy-in-parser.js';
import { compileCoercion } from '../src/ingest/stream-coercion.js';
import { BatchBuilder } from '../src/worker/batch-format.js';
import { OID } from '../src/types/oids.js';
import { evalContext } from '../src/sql/select/test-support.js';

const lines = Number(process.argv[2] ?? 1_000_000);
const TEXT: CopyInOptions = { csv: false, delimiter: '\t', null: '\\N', quote: '"', escape: '"', header: false };
const CSV: CopyInOptions = { csv: true, delimiter: ',', null: '', quote: '"', escape: '"', header: false };

function makeData(sep: string): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) parts.push(`${i % 10}${sep}${i}\n`);
  return Buffer.from(parts.join(''));
}

function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

function lineChunks(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let s = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 10) {
    out.push(data.subarray(s, i + 1));
    s = i + 1;
  }
  return out;
}

const columns = [
  { name: 'id', typeOid: OID.int4, typmod: -1 },
  { name: 'val', typeOid: OID.int4, typmod: -1 },
];
const ctx = evalContext();

function run(label: string, opts: CopyInOptions, parts: Buffer[], full: boolean): void {
  // As COPY runs it: int4 fields of plain digits come as numbers.
  const parser = new CopyInParser('cv1_stream', ['id', 'val'], opts, Uint8Array.of(9, 9));
  const coerce = compileCoercion(columns, [OID.unknown, OID.unknown], {
    errorContext: (i, v) => parser.fieldContext(i, v as string | number | null),
    integersRead: true,
  });
  const builder = new BatchBuilder([OID.int4, OID.int4], 16384);
  const row: unknown[] = [];
  let n = 0;
  let batches = 0;
  const sink = full
    ? (fields: (string | number | null)[]) => {
        builder.addRow(coerce(fields, ctx, row));
        if (builder.rowCount === 16384) {
          builder.finish(batches++, 1, 0);
        }
        n++;
      }
    : () => {
        n++;
      };
  const t0 = process.hrtime.bigint();
  for (const c of parts) parser.push(c, sink);
  parser.end(sink);
  if (full && builder.rowCount > 0) builder.finish(batches++, 1, 0);
  const ns = Number(process.hrtime.bigint() - t0);
  if (n !== lines) throw new Error(`${label}: ${n} rows`);
  console.log(`${label}: ${Math.round(n / (ns / 1e9)).toLocaleString()} rows/s`);
}

for (const [name, opts, sep] of [['text', TEXT, '\t'], ['csv', CSV, ',']] as const) {
  const data = makeData(sep);
  const big = chunks(data, 65536);
  const perLine = lineChunks(data);
  run(`${name} parse, 64 kB chunks`, opts, big, false);
  run(`${name} parse, one line per chunk`, opts, perLine, false);
  run(`${name} parse + coerce + batch, 64 kB chunks`, opts, big, true);
  run(`${name} parse + coerce + batch, one line per chunk`, opts, perLine, true);
}
