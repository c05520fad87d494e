// The combiner's per-partial cost, in process: cv1's partials (one row each,
// ids uniform over 1,000,000, as a bulk load of cv1 hands them over) merged
// by the combiner's GroupMerger into a temporary LMDB view-state store, with
// commits as combiner-main makes them while behind its input: when the
// changed groups fill the cache budget, or when commitDueAt says (a multiple
// of the last commit's time, at least commit_interval, 50 ms, since it started).
//   node dist/bench/combiner-merge.js [partials = 1000000] [cache MB = 256, pipelinedb.combiner_work_mem's default]
// Prints the time (wall and CPU) per partial, and the commits' group writes and share of the time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OID } from '../src/types/oids.js';
import { defaultIoContext } from '../src/types/io-context.js';
import { loadParser } from '../src/sql/parse-statements.js';
import '../src/sql/builtins.js';
import { evalContext } from '../src/sql/select/test-support.js';
import { compileContinuousPlan } from '../src/planner/compile-plan.js';
import { openEnvironment } from '../src/storage/lmdb-env.js';
import { ViewStateStore } from '../src/storage/view-state-store.js';
import { ByteWriter } from '../src/planner/bytes.js';
import { GroupMerger } from '../src/combiner/group-merger.js';
import { commitDueAt } from '../src/combiner/commit-schedule.js';
import { mulberry32 } from '../src/testing/prng.js';

await loadParser();
const partials = Number(process.argv[2] ?? 1_000_000);
const cacheBudgetBytes = Number(process.argv[3] ?? 256) * 1024 * 1024;
const VIEW_OID = 16400;
/** pipelinedb.commit_interval's default. */
const COMMIT_INTERVAL_MS = 50;
const io = defaultIoContext();
const ctx = evalContext();
const plan = compileContinuousPlan(
  {
    name: 'cv1',
    query: 'SELECT id, count(*), avg(val), min(val), max(val), sum(val) FROM s GROUP BY id',
    stream: { name: 's', columns: [{ name: 'id', typeOid: OID.int4, typmod: -1 }, { name: 'val', typeOid: OID.int4, typmod: -1 }] },
  },
  io,
);

// The partials are made up front, as workers make them: key bytes and
// serialized states, back to back in one buffer as a partials message holds
// them (millions of small arrays kept alive would make every GC slow, which
// the combiner does not see).
const rand = mulberry32(7);
const packed = new ByteWriter(1 << 20);
/** Where partial i's key starts, its state starts, and it ends. */
const bounds = new Int32Array(2 * partials + 1);
for (let i = 0; i < partials; i++) {
  const id = 1 + Math.floor(rand() * 1_000_000);
  const s = plan.newStates();
  plan.step(s, [id, Math.floor(rand() * 5_000_000), 0], ctx);
  bounds[2 * i] = packed.pos;
  packed.bytes(plan.encodeKey([id]));
  bounds[2 * i + 1] = packed.pos;
  packed.bytes(plan.serializeStates(s));
}
bounds[2 * partials] = packed.pos;
const all = packed.buf;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'combiner-merge-'));
const env = openEnvironment(dir);
try {
  const merger = new GroupMerger(new ViewStateStore(env), () => plan, { cacheBudgetBytes });
  let commitMs = 0;
  let commits = 0;
  let groupWrites = 0;
  let lastStart = performance.now();
  let lastMs = 0;
  const commit = () => {
    lastStart = performance.now();
    groupWrites += merger.dirtyCount;
    merger.commit();
    lastMs = performance.now() - lastStart;
    commitMs += lastMs;
    commits++;
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < partials; i++) {
    const k = bounds[2 * i]!;
    const st = bounds[2 * i + 1]!;
    // Where each partial lies, as combiner-main hands them over (forEachPartialAt).
    merger.mergeAt(VIEW_OID, all, k, st, st, bounds[2 * i + 2]!);
    // combiner-main checks once per partials message (a worker batch, up to 10,000 rows).
    if (i % 10_000 === 9_999 && (merger.mustCommit || performance.now() >= commitDueAt(lastStart, lastMs, COMMIT_INTERVAL_MS))) commit();
  }
  commit();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${partials.toLocaleString('en-US')} partials in ${(ms / 1000).toFixed(2)} s: ${Math.round(partials / (ms / 1000)).toLocaleString('en-US')} partials/s, ` +
      `${((ms * 1000) / partials).toFixed(2)} us per partial, ${((cpu.user + cpu.system) / partials).toFixed(2)} us of CPU ` +
      `(${commits} commits writing ${groupWrites.toLocaleString('en-US')} groups, ${((1000 * commitMs) / groupWrites).toFixed(2)} us each, ${((100 * commitMs) / ms).toFixed(0)} % of the time)`,
  );
} finally {
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
