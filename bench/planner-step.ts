// Per-row and per-group costs of a compiled continuous-view plan.
//   node dist/bench/planner-step.js [rows] [groups]
// Reports ns/row for groupKey+step (with and without the worker's key
// encoding and Map lookup) and ns/group for merge and the state codecs,
// next to the aggregates' own JSON codec (src/sql/aggregates/state-codec.ts).
import { loadParser } from '../src/sql/parse-statements.js';
import { compileContinuousPlan } from '../src/planner/compile-plan.js';
import type { CompiledContinuousPlan, ContinuousViewDefinition } from '../src/planner/continuous-plan.js';
import { defaultIoContext } from '../src/types/io-context.js';
import { OID } from '../src/types/oids.js';
import { parseNumeric } from '../src/types/numeric.js';
import { threadEvalContext } from '../src/engine/thread-eval-context.js';
import { encodeState, decodeState } from '../src/sql/aggregates/state-codec.js';

const rowCount = Number(process.argv[2] ?? 1_000_000);
const groupCount = Number(process.argv[3] ?? 1000);

await loadParser();
const io = defaultIoContext();
const ctx = threadEvalContext(io);

interface Case {
  def: ContinuousViewDefinition;
  row: (i: number) => unknown[];
}

const col = (name: string, typeOid: number) => ({ name, typeOid, typmod: -1 });
const cases: Case[] = [
  {
    def: {
      name: 'cv1',
      query: 'SELECT id, count(*), avg(val), min(val), max(val), sum(val) FROM s1 GROUP BY id',
      stream: { name: 's1', columns: [col('id', OID.int4), col('val', OID.int4)] },
    },
    row: (i) => [i % groupCount, (i * 7919) % 100_003, 800_000_000_000_000 + i],
  },
  {
    def: {
      name: 'floats_text',
      query: 'SELECT k, count(*), sum(x), avg(x), max(x) FROM s2 GROUP BY k',
      stream: { name: 's2', columns: [col('k', OID.text), col('x', OID.float8)] },
    },
    row: (i) => ['user-' + (i % groupCount), i * 0.25, 800_000_000_000_000 + i],
  },
  {
    def: {
      name: 'numeric',
      query: 'SELECT k, sum(x), avg(x) FROM s3 GROUP BY k',
      stream: { name: 's3', columns: [col('k', OID.int8), col('x', OID.numeric)] },
    },
    row: (i) => [BigInt(i % groupCount), parseNumeric(String(i % 1000) + '.25'), 800_000_000_000_000 + i],
  },
];

function ns(t0: bigint, n: number): string {
  return (Number(process.hrtime.bigint() - t0) / n).toFixed(1);
}

function run(c: Case): void {
  const plan: CompiledContinuousPlan = compileContinuousPlan(c.def, io);
  const rows: unknown[][] = [];
  for (let i = 0; i < rowCount; i++) rows.push(c.row(i));

  // groupKey + step, group found by key value (no byte encoding).
  for (let pass = 0; pass < 2; pass++) {
    const byValue = new Map<unknown, unknown[]>();
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < rowCount; i++) {
      const row = rows[i];
      const key = plan.groupKey(row, ctx)!;
      let s = byValue.get(key[0]);
      if (!s) byValue.set(key[0], (s = plan.newStates()));
      plan.step(s, row, ctx);
    }
    const keyStep = ns(t0, rowCount);

    // The worker's path: groupKey, encodeKey, latin1 map key, lookup, step.
    const byBytes = new Map<string, { key: Uint8Array; states: unknown[] }>();
    t0 = process.hrtime.bigint();
    for (let i = 0; i < rowCount; i++) {
      const row = rows[i];
      const key = plan.groupKey(row, ctx)!;
      const kb = plan.encodeKey(key);
      const mk = Buffer.from(kb.buffer, kb.byteOffset, kb.byteLength).toString('latin1');
      let g = byBytes.get(mk);
      if (!g) byBytes.set(mk, (g = { key: kb, states: plan.newStates() }));
      plan.step(g.states, row, ctx);
    }
    const workerPath = ns(t0, rowCount);

    // encodeKey alone, on keys made up front.
    const keys = rows.slice(0, 100_000).map((row) => plan.groupKey(row, ctx)!);
    let keyBytes = 0;
    t0 = process.hrtime.bigint();
    for (let r = 0; r < 10; r++) for (const k of keys) keyBytes += plan.encodeKey(k).length;
    const encodeKey = ns(t0, 10 * keys.length);

    // Per group: serialize, deserialize, merge; the JSON codec for comparison.
    const groups = [...byBytes.values()];
    const reps = Math.max(1, Math.floor(200_000 / groups.length));
    let bytes = 0;
    t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) for (const g of groups) bytes += plan.serializeStates(g.states).length;
    const ser = ns(t0, reps * groups.length);
    const encoded = groups.map((g) => plan.serializeStates(g.states));
    t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) for (const e of encoded) plan.deserializeStates(e);
    const de = ns(t0, reps * groups.length);
    t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) for (const e of encoded) plan.merge(plan.deserializeStates(e), plan.deserializeStates(e));
    const mergeDe = ns(t0, reps * groups.length);
    let jsonBytes = 0;
    t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) for (const g of groups) jsonBytes += encodeState(g.states).length;
    const jsonSer = ns(t0, reps * groups.length);
    const jsonEncoded = groups.map((g) => encodeState(g.states));
    t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) for (const e of jsonEncoded) decodeState(e);
    const jsonDe = ns(t0, reps * groups.length);

    if (pass === 1) {
      console.log(`${c.def.name}: ${c.def.query}`);
      console.log(`  groupKey+step              ${keyStep} ns/row`);
      console.log(`  + encodeKey + Map lookup   ${workerPath} ns/row (latin1 Map key via Buffer, as src/worker does)`);
      console.log(`  encodeKey alone            ${encodeKey} ns/key, ${(keyBytes / (10 * keys.length)).toFixed(1)} bytes`);
      console.log(`  serializeStates            ${ser} ns/group, ${(bytes / (reps * groups.length)).toFixed(1)} bytes`);
      console.log(`  deserializeStates          ${de} ns/group`);
      console.log(`  2x deserialize + merge     ${mergeDe} ns/group`);
      console.log(`  JSON codec (state-codec)   ${jsonSer} ns/group encode, ${jsonDe} ns/group decode, ${(jsonBytes / (reps * groups.length)).toFixed(1)} bytes`);
    }
  }
}

console.log(`${rowCount} rows, ${groupCount} groups (second of two passes)`);
for (const c of cases) run(c);
