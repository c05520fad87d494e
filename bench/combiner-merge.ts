// The combiner's per-partial cost, in process: cv1's partials (one row each,
// ids uniform over 1,000,000, as a bulk load of cv1 hands them over) merged
// by the combiner's GroupMerger into a temporary LMDB view-state store, with
// commits as combiner-main makes them while behind its input: when the
// changed groups fill the cache budget, or when commitDueAt says (a multiple
// of the last commit's time, at least commit_interval, 50 ms, since it started).
// Commits are stored by a writer thread while merging goes on, as in the
// combiner; `sync` stores them on the merging thread instead.
//   node dist/bench/combiner-merge.js [partials = 1000000] [cache MB = 256, pipelinedb.combiner_work_mem's default] [sync] [bytes]
// Prints the time (wall, and CPU of every thread) per partial, and the commits' group writes and time.
// The partials come as a worker sends cv1's: records of doubles, a message per
// 10,000-row batch (GroupMerger.mergeRecords); `bytes`: serialized states where
// they lie in a message (GroupMerger.mergeAt), as for keys too long for a numeric id.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultIoContext } from '../src/types/io-context.js';
import { loadParser } from '../src/sql/parse-statements.js';
import '../src/sql/builtins.js';
import { evalContext } from '../src/sql/select/test-support.js';
import { compileCv1 } from './cv1-plan.js';
import { openEnvironment } from '../src/storage/lmdb-env.js';
import { ViewStateStore } from '../src/storage/view-state-store.js';
import { ByteWriter } from '../src/planner/bytes.js';
import { GroupMerger, type PreparedCommit } from '../src/combiner/group-merger.js';
import { commitDueAt } from '../src/combiner/commit-schedule.js';
import { CommitWriter } from '../src/combiner/commit-writer.js';
import { mulberry32 } from '../src/testing/prng.js';
import { PartialsWriter, type RecordPartials } from '../src/engine/partials-codec.js';
import { aggregateView } from '../src/worker/partial-aggregator.js';

await loadParser();
const partials = Number(process.argv[2] ?? 1_000_000);
const cacheBudgetBytes = Number(process.argv[3] ?? 256) * 1024 * 1024;
const onThisThread = process.argv.slice(4).includes('sync');
const asBytes = process.argv.slice(4).includes('bytes');
const VIEW_OID = 16400;
/** pipelinedb.commit_interval's default. */
const COMMIT_INTERVAL_MS = 50;
const io = defaultIoContext();
const ctx = evalContext();
const plan = compileCv1(io);

// The partials are made up front, as workers make them: key bytes and
// serialized states, back to back in one buffer as a partials message holds
// them (millions of small arrays kept alive would make every GC slow, which
// the combiner does not see).
const rand = mulberry32(7);
const packed = new ByteWriter(1 << 20);
/** Where partial i's key starts, its state starts, and it ends. */
const bounds = new Int32Array(2 * partials + 1);
for (let i = 0; asBytes && i < partials; i++) {
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

// The same rows as a worker's record messages, one per batch of ROWS_PER_BATCH.
const ROWS_PER_BATCH = 10_000;
const messages: RecordPartials[] = [];
if (!asBytes) {
  const again = mulberry32(7);
  const writer = new PartialsWriter();
  for (let i = 0; i < partials; i += ROWS_PER_BATCH) {
    const n = Math.min(ROWS_PER_BATCH, partials - i);
    const rows = Array.from({ length: n }, () => [1 + Math.floor(again() * 1_000_000), Math.floor(again() * 5_000_000), 0]);
    writer.reset();
    aggregateView({ viewOid: VIEW_OID, plan }, { rowCount: n, row: (r, out) => rows[r]!.forEach((v, c) => (out[c] = v)) }, 3, ctx, [writer]);
    messages.push(...writer.recordPartials());
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'combiner-merge-'));
const env = openEnvironment(dir);
try {
  const store = new ViewStateStore(env);
  const merger = new GroupMerger(store, () => plan, { cacheBudgetBytes });
  const writer = onThisThread ? null : new CommitWriter(dir);
  let commitMs = 0;
  let commits = 0;
  let groupWrites = 0;
  let lastStart = performance.now();
  let lastMs = 0;
  const commit = () => {
    if (writer?.busy) return;
    const started = (lastStart = performance.now());
    groupWrites += merger.dirtyCount;
    commits++;
    let prepared: PreparedCommit | null = null;
    const stored = (n: number) => {
      merger.finishCommit(prepared!, n);
      lastMs = performance.now() - started;
      commitMs += lastMs;
    };
    let sent = false;
    prepared = merger.prepareCommit((slice) => {
      if (!writer) return;
      if (!sent)
        writer.begin((r) => {
          if (r.error !== null) throw new Error(r.error);
          stored(r.stored);
        });
      sent = true;
      writer.send(slice.bytes, slice.groups);
    });
    if (prepared?.error) throw prepared.error;
    if (sent) writer!.end();
    if (!prepared || writer) return;
    for (const slice of prepared.slices) store.writePacked(slice.bytes);
    stored(prepared.slices.length);
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const check = async (): Promise<void> => {
    if (merger.mustCommit) {
      writer?.settle();
      if (merger.mustCommit) commit();
    } else if (performance.now() >= commitDueAt(lastStart, lastMs, COMMIT_INTERVAL_MS)) commit();
    await new Promise((r) => setImmediate(r));
  };
  // combiner-main checks once per partials message (a worker batch), and the writer's answers arrive between messages.
  for (const m of messages) {
    merger.mergeRecords(m.viewOid, m.records, m.stride, (_at, e) => {
      throw e;
    });
    await check();
  }
  for (let i = 0; asBytes && i < partials; i++) {
    const k = bounds[2 * i]!;
    const st = bounds[2 * i + 1]!;
    // Where each partial lies, as combiner-main hands them over (forEachPartialAt).
    merger.mergeAt(VIEW_OID, all, k, st, st, bounds[2 * i + 2]!);
    // combiner-main checks once per partials message (a worker batch, up to 10,000 rows),
    // and the writer's answers arrive between messages.
    if (i % ROWS_PER_BATCH === ROWS_PER_BATCH - 1) await check();
  }
  writer?.settle();
  commit();
  writer?.settle();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);

  console.log(
    `${partials.toLocaleString('en-US')} partials in ${(ms / 1000).toFixed(2)} s: ${Math.round(partials / (ms / 1000)).toLocaleString('en-US')} partials/s, ` +
      `${((ms * 1000) / partials).toFixed(2)} us per partial, ${((cpu.user + cpu.system) / partials).toFixed(2)} us of CPU ` +
      `(${commits} commits writing ${groupWrites.toLocaleString('en-US')} groups, ${((1000 * commitMs) / groupWrites).toFixed(2)} us each until stored, ` +
      `${writer ? 'stored by a writer thread' : 'stored on the merging thread'}; partials as ${asBytes ? 'bytes' : 'records'})`,
  );
  await writer?.close();
} finally {
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
