// INSERT INTO stream throughput (src/ingest/insert-rows.ts):
//  - simple-query statements of 1,000 literal VALUES rows: parse (libpg-query)
//    + plan + execute per statement, and with the literal fast path
//  - a prepared single-row INSERT executed with new parameters each time.
//   node dist/bench/ingest-insert.js [seconds per case]
import { loadModule, parseSync } from 'libpg-query';
import { planStreamInsert, type StreamTarget } from '../src/ingest/insert-rows.js';
import { planLiteralInsert, scanLiteralInsert } from '../src/ingest/literal-insert.js';
import { OID } from '../src/types/oids.js';
import { defaultIoContext } from '../src/types/io-context.js';
import { evalContext } from '../src/sql/select/test-support.js';
import '../src/sql/builtins.js';

await loadModule();
const seconds = Number(process.argv[2] ?? 2);
const stream: StreamTarget = {
  name: 'cv1_stream',
  columns: [
    { name: 'id', typeOid: OID.int4, typmod: -1 },
    { name: 'val', typeOid: OID.int4, typmod: -1 },
  ],
};
const io = defaultIoContext();
// no per-statement row limit across the whole run
const ctx = evalContext({ limits: { checkInterrupts: () => {}, countRows: () => {} } });

function statement(seed: number): string {
  const rows: string[] = [];
  for (let i = 0; i < 1000; i++) rows.push(`(${(seed + i) % 10}, ${seed + i})`);
  return `INSERT INTO cv1_stream (id, val) VALUES ${rows.join(', ')}`;
}

/** Runs `fn` repeatedly for the time budget; returns calls per second. */
function rate(fn: (i: number) => number): { perSec: number; rows: number } {
  let calls = 0;
  let rows = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) for (let k = 0; k < 10; k++) rows += fn(calls++);
  return { perSec: calls / ((performance.now() - t0) / 1000), rows };
}

// Distinct statement texts, so no cache could help.
const texts = Array.from({ length: 50 }, (_, i) => statement(i * 1000));

const full = rate((i) => {
  const stmt = (parseSync(texts[i % texts.length]!) as any).stmts[0].stmt;
  return planStreamInsert(stmt, stream, [], io).execute([], ctx).length;
});
console.log(`1,000-row literal VALUES, libpg-query + plan + execute: ${full.perSec.toFixed(0)} statements/s (${Math.round(full.perSec * 1000).toLocaleString()} rows/s)`);

const fast = rate((i) => {
  const lit = scanLiteralInsert(texts[i % texts.length]!);
  if (!lit) throw new Error('fast path refused the statement');
  return planLiteralInsert(lit, stream).execute(ctx).length;
});
console.log(`1,000-row literal VALUES, literal fast path: ${fast.perSec.toFixed(0)} statements/s (${Math.round(fast.perSec * 1000).toLocaleString()} rows/s)`);

const prepared = planStreamInsert((parseSync('INSERT INTO cv1_stream (id, val) VALUES ($1, $2)') as any).stmts[0].stmt, stream, [], io);
const params: unknown[] = [0, 0];
const single = rate((i) => {
  params[0] = i % 10;
  params[1] = i;
  return prepared.execute(params, ctx).length;
});
console.log(`prepared single-row INSERT, execute only: ${Math.round(single.perSec).toLocaleString()} executes/s`);
