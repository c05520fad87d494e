// Query cancellation: a CancelRequest carrying the BackendKeyData,
// pg_cancel_backend() from SQL, and statement_timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { sendCancelRequest } from '../harness/raw-client.js';
import { connectClient, expectPgError } from '../harness/pg-client.js';
import { sleep } from '../harness/wait.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.stop();
});

/** pg's Client keeps the BackendKeyData here once connected. */
function backendKey(c: pg.Client): { processID: number; secretKey: number } {
  const k = c as unknown as { processID: number; secretKey: number };
  assert.ok(Number.isInteger(k.processID) && Number.isInteger(k.secretKey), 'client saw BackendKeyData');
  return { processID: k.processID, secretKey: k.secretKey };
}

/**
 * Calls `cancel` until `query` settles: the first attempt can reach the
 * server before the query does, and a cancel for an idle session is ignored.
 */
async function cancelUntilSettled(query: Promise<unknown>, cancel: () => Promise<void>): Promise<{ error: any; elapsedMs: number }> {
  let settled = false;
  const outcome = query.then(
    () => ({ error: null }),
    (error) => ({ error }),
  ).finally(() => {
    settled = true;
  });
  const start = Date.now();
  for (let attempt = 0; attempt < 50 && !settled; attempt++) {
    await sleep(attempt === 0 ? 100 : 200);
    if (!settled) await cancel();
  }
  const { error } = await outcome;
  return { error, elapsedMs: Date.now() - start };
}

test('CancelRequest with the BackendKeyData cancels a running query (57014); the session goes on', async () => {
  const victim = await connectClient(server);
  try {
    const { processID, secretKey } = backendKey(victim);
    const { error, elapsedMs } = await cancelUntilSettled(victim.query('SELECT pg_sleep(30)'), () => sendCancelRequest(server.port, processID, secretKey));
    assert.ok(error, 'pg_sleep(30) was not cancelled');
    assert.equal(error.code, '57014');
    assert.equal(error.message, 'canceling statement due to user request');
    assert.equal(error.severity, 'ERROR');
    // generous correctness bound: uncancelled, the query takes 30 s
    assert.ok(elapsedMs < 5000, `cancel took ${elapsedMs} ms`);
    const after = await victim.query('SELECT 2 AS two');
    assert.equal(after.rows[0].two, 2);
  } finally {
    await victim.end();
  }
});

test('a CancelRequest with the wrong secret key is ignored', async () => {
  const victim = await connectClient(server);
  try {
    const { processID, secretKey } = backendKey(victim);
    const query = victim.query('SELECT pg_sleep(1) AS slept, 42 AS answer');
    for (let i = 0; i < 3; i++) {
      await sleep(150);
      await sendCancelRequest(server.port, processID, secretKey ^ 0x5a5a5a5a);
    }
    const res = await query;
    assert.equal(res.rows[0].answer, 42);
  } finally {
    await victim.end();
  }
});

test('cancelling inside a transaction aborts it (25P02 until ROLLBACK)', async () => {
  const victim = await connectClient(server);
  try {
    const { processID, secretKey } = backendKey(victim);
    await victim.query('BEGIN');
    const { error } = await cancelUntilSettled(victim.query('SELECT pg_sleep(30)'), () => sendCancelRequest(server.port, processID, secretKey));
    assert.equal(error?.code, '57014');
    await assert.rejects(victim.query('SELECT 1'), { code: '25P02' });
    await victim.query('ROLLBACK');
    assert.equal((await victim.query('SELECT 1 AS one')).rows[0].one, 1);
  } finally {
    await victim.end();
  }
});

test('pg_cancel_backend(pid) from another session', async () => {
  const victim = await connectClient(server);
  const killer = await connectClient(server);
  try {
    const { processID } = backendKey(victim);
    const pidSeen = await victim.query('SELECT pg_backend_pid() AS pid');
    assert.equal(pidSeen.rows[0].pid, processID, 'pg_backend_pid() is the BackendKeyData process id');
    const results: boolean[] = [];
    const { error, elapsedMs } = await cancelUntilSettled(victim.query('SELECT pg_sleep(30)'), async () => {
      const r = await killer.query('SELECT pg_cancel_backend($1) AS ok', [processID]);
      results.push(r.rows[0].ok);
    });
    assert.equal(error?.code, '57014');
    assert.equal(error.message, 'canceling statement due to user request');
    assert.ok(elapsedMs < 5000, `cancel took ${elapsedMs} ms`);
    assert.ok(results.length >= 1 && results.every((ok) => ok === true), `pg_cancel_backend returned ${results}`);
    assert.equal((await victim.query('SELECT 3 AS three')).rows[0].three, 3);
  } finally {
    await victim.end();
    await killer.end();
  }
});

test('statement_timeout cancels a long statement with 57014', async () => {
  const c = await connectClient(server);
  try {
    await c.query('SET statement_timeout = 100');
    const start = Date.now();
    await expectPgError(c.query('SELECT pg_sleep(5)'), '57014', 'canceling statement due to statement timeout');
    assert.ok(Date.now() - start < 4000, 'the timeout fired before pg_sleep(5) finished');
    // short statements are unaffected, and RESET lifts the limit
    assert.equal((await c.query('SELECT 1 AS one')).rows[0].one, 1);
    await c.query('RESET statement_timeout');
    assert.equal((await c.query("SELECT pg_sleep(0.2), 'done' AS status")).rows[0].status, 'done');
  } finally {
    await c.end();
  }
});
