// Point reads of a continuous view vs a full scan, in process (no wire):
// cv1 = SELECT id, count(*), avg(val), sum(val) FROM s1 GROUP BY id with
// [groups] committed groups in a temporary LMDB view-state store, read
// through the SQL executor and the view reader as the server does (one plan,
// executed per read with a new $1).
//   node dist/bench/view-point-read.js [groups = 1000000] [seconds per case = 3]
// Over the wire, the same with pgbench (bench/view-point-read.pgbench, see there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OID } from '../src/types/oids.js';
import { defaultIoContext } from '../src/types/io-context.js';
import { loadParser } from '../src/sql/parse-statements.js';
import { evalContext, plan as planSql } from '../src/sql/select/test-support.js';
import type { RelationProvider } from '../src/sql/select/relation.js';
import { compileContinuousPlan } from '../src/planner/compile-plan.js';
import type { ContinuousViewDefinition } from '../src/planner/continuous-plan.js';
import { openEnvironment } from '../src/storage/lmdb-env.js';
import { ViewStateStore, type GroupWrite } from '../src/storage/view-state-store.js';
import { ViewReader } from '../src/engine/view-reader.js';
import type { Engine } from '../src/engine/engine.js';

await loadParser();
const groups = Number(process.argv[2] ?? 1_000_000);
const seconds = Number(process.argv[3] ?? 3);
const VIEW_OID = 16400;
const io = defaultIoContext();
const def: ContinuousViewDefinition = {
  name: 'cv1',
  query: 'SELECT id, count(*), avg(val), sum(val) FROM s1 GROUP BY id',
  stream: { name: 's1', columns: [{ name: 'id', typeOid: OID.int4, typmod: -1 }, { name: 'val', typeOid: OID.int4, typmod: -1 }] },
};
// No per-statement row limit or cancel checks across the run.
const ctx = (params: unknown[]) => evalContext({ params, limits: { checkInterrupts: () => {}, countRows: () => {} } });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'view-point-read-'));
const env = openEnvironment(dir);
try {
  const store = new ViewStateStore(env);
  const plan = compileContinuousPlan(def, io);
  let t0 = performance.now();
  const CHUNK = 50_000;
  for (let start = 0; start < groups; start += CHUNK) {
    const batch: GroupWrite[] = [];
    for (let id = start; id < Math.min(groups, start + CHUNK); id++) {
      const states = plan.newStates();
      plan.step(states, [id, id, 0], ctx([]));
      plan.step(states, [id, id + 1, 0], ctx([]));
      batch.push({ viewOid: VIEW_OID, key: plan.encodeKey([id]), state: plan.serializeStates(states) });
    }
    store.write(batch);
  }
  console.log(`${groups.toLocaleString()} groups written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const engine = { scan: (oid: number) => store.scan(oid), get: (oid: number, key: Uint8Array) => store.get(oid, key) } as unknown as Engine;
  const reader = new ViewReader(engine, io);
  const relations: RelationProvider = { lookup: (s, n) => (s === null && n === 'cv1' ? reader.relation(VIEW_OID, def) : null) };

  /** Calls per second of fn over the time budget, and a checksum of what it returned. */
  const rate = (fn: (i: number) => number, budget = seconds): { perSec: number; calls: number; check: number } => {
    let calls = 0;
    let check = 0;
    const end = performance.now() + budget * 1000;
    const start = performance.now();
    while (performance.now() < end) for (let k = 0; k < 16; k++) check += fn(calls++);
    return { perSec: calls / ((performance.now() - start) / 1000), calls, check };
  };
  // A fixed pseudo-random walk over the ids, the same for every case.
  const idAt = (i: number) => (i * 7919 + 13) % groups;

  const getKey = (i: number) => (store.get(VIEW_OID, plan.encodeKey([idAt(i)])) ? 1 : 0);
  console.log(`store get (encodeKey + LMDB get):        ${rate(getKey).perSec.toFixed(0).padStart(9)} /s`);
  const rel = reader.relation(VIEW_OID, def);
  const lookup = (i: number) => (rel.lookup!([idAt(i)], ctx([])) ? 1 : 0);
  console.log(`relation lookup (+ decode, finalize):    ${rate(lookup).perSec.toFixed(0).padStart(9)} /s`);

  const point = planSql('SELECT * FROM cv1 WHERE id = $1', { relations }).plan;
  const pointRead = (i: number) => point.run(ctx([idAt(i)])).length;
  const p = rate(pointRead);
  console.log(`SELECT * FROM cv1 WHERE id = $1:         ${p.perSec.toFixed(0).padStart(9)} /s (${p.check}/${p.calls} found)`);

  const scan = planSql('SELECT * FROM cv1 WHERE id + 0 = $1', { relations }).plan;
  t0 = performance.now();
  const runs = 3;
  let found = 0;
  for (let i = 0; i < runs; i++) found += scan.run(ctx([idAt(i)])).length;
  const scanMs = (performance.now() - t0) / runs;
  console.log(`same row by full scan (id + 0 = $1):     ${(1000 / scanMs).toFixed(2).padStart(9)} /s (${scanMs.toFixed(0)} ms per read, ${found}/${runs} found)`);
  console.log(`point read / full scan: ${Math.round(p.perSec / (1000 / scanMs)).toLocaleString()}x`);

  const total = planSql('SELECT sum(count) FROM cv1', { relations }).plan;
  t0 = performance.now();
  for (let i = 0; i < runs; i++) total.run(ctx([]));
  const totalMs = (performance.now() - t0) / runs;
  console.log(`SELECT sum(count) FROM cv1:              ${(1000 / totalMs).toFixed(2).padStart(9)} /s (${totalMs.toFixed(0)} ms per read)`);
} finally {
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
