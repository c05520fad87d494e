// A worker's per-row cost for cv1: batches of 10,000 rows (ids uniform over
// 1,000,000, as a bulk load hands them over, so nearly every row is a new
// group of its batch) decoded and aggregated by aggregateView into one
// combiner's partials message, as worker-main does.
//   node dist/bench/worker-aggregate.js [batches = 200]
// Prints the rate and time per row of each of three rounds over the same batches.
import { OID } from '../src/types/oids.js';
import { defaultIoContext } from '../src/types/io-context.js';
import { loadParser } from '../src/sql/parse-statements.js';
import '../src/sql/builtins.js';
import { evalContext } from '../src/sql/select/test-support.js';
import { compileCv1 } from './cv1-plan.js';
import { BatchBuilder, decodeBatch } from '../src/worker/batch-format.js';
import { PartialsWriter } from '../src/engine/partials-codec.js';
import { aggregateView } from '../src/worker/partial-aggregator.js';
import { mulberry32 } from '../src/testing/prng.js';

await loadParser();
const batches = Number(process.argv[2] ?? 200);
const ROWS = 10_000;
const io = defaultIoContext();
const ctx = evalContext();
const plan = compileCv1(io);
const rand = mulberry32(3);
const bufs: ArrayBuffer[] = [];
for (let b = 0; b < batches; b++) {
  // The stream's columns, then arrival_timestamp.
  const builder = new BatchBuilder([OID.int4, OID.int4, OID.timestamptz], ROWS);
  for (let i = 0; i < ROWS; i++) builder.addRow([1 + Math.floor(rand() * 1_000_000), Math.floor(rand() * 5_000_000), 0]);
  bufs.push(builder.finish(b, 0));
}
const writers = [new PartialsWriter()];
const view = { viewOid: 16400, plan };
for (let round = 0; round < 3; round++) {
  const t0 = performance.now();
  let groups = 0;
  for (const buf of bufs) {
    writers[0]!.reset();
    groups += aggregateView(view, decodeBatch(buf), 3, ctx, writers).groups;
  }
  const ms = performance.now() - t0;
  const rows = ROWS * batches;
  console.log(
    `round ${round + 1}: ${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s, ${((ms * 1000) / rows).toFixed(3)} us per row ` +
      `(${groups.toLocaleString('en-US')} groups from ${rows.toLocaleString('en-US')} rows)`,
  );
}
