// Step/s, merge/s and serialize+deserialize/s of the core aggregates, through
// the engine's real path: each aggregate is compiled as a one-aggregate
// continuous view (SELECT agg(x) FROM s) by compileContinuousPlan, and the
// plan's step / merge / serializeStates / deserializeStates are timed.
//   node dist/bench/aggregates.js [seconds per measurement = 0.25] [filter]
// step:   rows folded into one group's states; the states start afresh every
//         1,000 rows so array_agg / string_agg / json_agg stay batch-sized.
// merge:  plan.merge of two partials of 100 rows each (the partials are made
//         by deserializing, untimed, because merge consumes `from`).
// ser+de: serializeStates + deserializeStates of one 100-row partial; the
//         encoded size is shown beside it.
import { loadParser } from '../src/sql/parse-statements.js';
import { compileContinuousPlan } from '../src/planner/compile-plan.js';
import type { CompiledContinuousPlan, ContinuousViewDefinition } from '../src/planner/continuous-plan.js';
import { defaultIoContext } from '../src/types/io-context.js';
import { OID } from '../src/types/oids.js';
import { parseNumeric } from '../src/types/numeric.js';
import { threadEvalContext } from '../src/engine/thread-eval-context.js';

const budgetMs = Number(process.argv[2] ?? 0.25) * 1000;
const filter = process.argv[3] ?? '';

await loadParser();
const io = defaultIoContext();
const ctx = threadEvalContext(io);

const col = (name: string, typeOid: number) => ({ name, typeOid, typmod: -1 });
const stream = {
  name: 's',
  columns: [col('i4', OID.int4), col('i8', OID.int8), col('f8', OID.float8), col('n', OID.numeric), col('t', OID.text), col('ts', OID.timestamptz)],
};

// One pool of source rows, made up front; the last column is arrival_timestamp.
const ROWS = 1 << 16;
const rows: unknown[][] = [];
for (let i = 0; i < ROWS; i++) {
  const v = (i * 7919) % 100_003;
  rows.push([v, BigInt(v) * 1_000_003n, v * 0.25, parseNumeric(`${v % 10_000}.25`), 'user-' + (v % 1000), 800_000_000_000_000 + v * 1_000_000, 800_000_000_000_000 + i]);
}

const aggregates = [
  'count(*)', 'count(i4)',
  'sum(i4)', 'sum(i8)', 'sum(f8)', 'sum(n)',
  'avg(i4)', 'avg(i8)', 'avg(f8)', 'avg(n)',
  'min(i4)', 'max(i4)', 'min(t)', 'max(t)', 'min(ts)', 'max(ts)',
  'stddev(i4)', 'stddev(f8)', 'stddev(n)',
  "string_agg(t, ',')", 'array_agg(i4)', 'array_agg(t)', 'json_agg(i4)', 'json_agg(t)',
];

/** Repeats `chunk` (which does `per` operations and returns its own timed ns) until the budget is spent; ops/s. */
function rate(per: number, chunk: () => number): number {
  chunk(); // warm-up, not counted
  let ops = 0;
  let ns = 0;
  const end = performance.now() + budgetMs;
  while (performance.now() < end) {
    ns += chunk();
    ops += per;
  }
  return ops / (ns / 1e9);
}

function partial(plan: CompiledContinuousPlan, offset: number): unknown[] {
  const s = plan.newStates();
  for (let i = 0; i < 100; i++) plan.step(s, rows[(offset + i) & (ROWS - 1)]!, ctx);
  return s;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`${'aggregate'.padEnd(20)} ${'step'.padStart(14)} ${'merge (100+100)'.padStart(16)} ${'ser+de (100 rows)'.padStart(18)} ${'bytes'.padStart(6)}`);

let sink = 0;
for (const agg of aggregates) {
  if (!agg.includes(filter)) continue;
  const def: ContinuousViewDefinition = { name: 'bench_cv', query: `SELECT ${agg} FROM s`, stream };
  const plan = compileContinuousPlan(def, io);

  let offset = 0;
  const step = rate(1000, () => {
    const s = plan.newStates();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) plan.step(s, rows[(offset + i) & (ROWS - 1)]!, ctx);
    const ns = Number(process.hrtime.bigint() - t0);
    offset = (offset + 1000) & (ROWS - 1);
    if (s.length === 0) sink++;
    return ns;
  });

  const encoded: Uint8Array[] = [];
  for (let p = 0; p < 64; p++) encoded.push(plan.serializeStates(partial(plan, p * 1009)));
  const PAIRS = 500;
  const merge = rate(PAIRS, () => {
    const into: unknown[][] = [];
    const from: unknown[][] = [];
    for (let p = 0; p < PAIRS; p++) {
      into.push(plan.deserializeStates(encoded[p & 63]!));
      from.push(plan.deserializeStates(encoded[(p + 1) & 63]!));
    }
    const t0 = process.hrtime.bigint();
    for (let p = 0; p < PAIRS; p++) plan.merge(into[p]!, from[p]!);
    return Number(process.hrtime.bigint() - t0);
  });

  const states = encoded.map((e) => plan.deserializeStates(e));
  const serde = rate(64, () => {
    const t0 = process.hrtime.bigint();
    for (let p = 0; p < 64; p++) sink += plan.deserializeStates(plan.serializeStates(states[p]!)).length;
    return Number(process.hrtime.bigint() - t0);
  });
  const bytes = encoded.reduce((a, e) => a + e.length, 0) / encoded.length;

  console.log(`${agg.padEnd(20)} ${(fmt(step) + '/s').padStart(14)} ${(fmt(merge) + '/s').padStart(16)} ${(fmt(serde) + '/s').padStart(18)} ${bytes.toFixed(0).padStart(6)}`);
}
if (sink < 0) console.log('unreachable');
