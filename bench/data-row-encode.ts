// DataRow encoding in process (no socket): cv1's rows (id int4, count int8,
// avg numeric from avg() over integers, min / max int4, sum int8) through
// BackendOutput.dataRow and RowEncoder, in text format, as a client reading
// a view gets them. Prints ns per row, the best of nine rounds.
//   node dist/bench/data-row-encode.js [rows per round = 200000]
import type { Socket } from 'node:net';
import { BackendOutput } from '../src/server/backend-output.js';
import { RowEncoder } from '../src/server/row-encoder.js';
import { computedColumn } from '../src/server/statement-plan.js';
import { OID } from '../src/types/oids.js';
import { numericDivSmallInts } from '../src/types/numeric.js';
import { defaultIoContext } from '../src/types/io-context.js';

const rowsPerRound = Number(process.argv[2] ?? 200_000);
let bytes = 0;
const socket = { destroyed: false, writableLength: 0, write: (b: Buffer) => ((bytes += b.length), true) } as unknown as Socket;
const out = new BackendOutput(socket);
const columns = [OID.int4, OID.int8, OID.numeric, OID.int4, OID.int4, OID.int8].map((t, i) => computedColumn(`c${i}`, t));
const encoder = new RowEncoder(columns, [0, 0, 0, 0, 0, 0], defaultIoContext());

/** A group of 1 to 9 rows with values uniform over 5,000,000, as the bench suite's cv1 has. */
function row(i: number): unknown[] {
  const count = 1 + (i % 9);
  const sum = ((i * 7919) % 5_000_000) * count;
  // Finalized fresh for each read, as a view's scan makes them.
  return [i, BigInt(count), numericDivSmallInts(sum, count), i % 5_000_000, (i * 31) % 5_000_000, BigInt(sum)];
}

let best = Infinity;
for (let round = 0; round < 9; round++) {
  const rows = Array.from({ length: rowsPerRound }, (_, i) => row(i + round));
  const t0 = process.hrtime.bigint();
  for (const r of rows) out.dataRow(r, encoder);
  out.flush();
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / rowsPerRound);
}
console.log(`cv1 DataRow, text format: ${best.toFixed(0)} ns/row (${(bytes / (9 * rowsPerRound)).toFixed(1)} bytes per row)`);
