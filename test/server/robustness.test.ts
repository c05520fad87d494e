// Behaviour under pressure and at the edges of the session lifecycle: the
// idle-in-transaction clock only counts time spent waiting for the client,
// nothing but password messages is buffered before login, many NOTIFYs in
// one transaction, PREPARE TRANSACTION ending the transaction, and a
// disconnected session's LISTEN never taking effect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.js';
import { RawClient, cstring, frontend, names, rawMessageWithLength, rows } from '../harness/raw-client.js';
import { connectClient, expectPgError, withClient } from '../harness/pg-client.js';
import { sleep } from '../harness/wait.js';

let server: TestServer;

before(async () => {
  server = await startTestServer({
    hba: 'host all scram_user 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n',
  });
  await withClient(server, (c) => c.query("CREATE ROLE scram_user LOGIN PASSWORD 'secret'"));
});

after(async () => {
  await server?.stop();
});

async function session(options?: string): Promise<RawClient> {
  const c = await RawClient.connect(server.port);
  await c.startup('postgres', 'postgres', options ? { options } : {});
  return c;
}

test('the idle-in-transaction clock does not run while a pipelined statement executes', async () => {
  const c = await session('-c idle_in_transaction_session_timeout=300');
  // BEGIN and a statement longer than the timeout, sent together.
  c.write(frontend.query('BEGIN'), frontend.query('SELECT pg_sleep(0.8)'));
  await c.readyForQuery();
  const msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
  assert.equal(msgs.at(-1)!.status, 'T');
  // Now idle inside the transaction: the timeout ends the session.
  const end = await c.untilClosed();
  const fatal = end.find((m) => m.name === 'error');
  assert.equal(fatal?.severity, 'FATAL');
  assert.equal(fatal?.code, '25P03');
});

test('before login, a non-password message is refused by its type byte, before its body is read', async () => {
  const c = await RawClient.connect(server.port);
  c.write(frontend.startup({ user: 'scram_user', database: 'postgres' }));
  const auth = await c.next();
  assert.equal(auth.name, 'authenticationSASL');
  // A Query header claiming almost 1 GB: refused on its type alone.
  c.write(rawMessageWithLength('Q', 0x3ffffff0, Buffer.from('SELECT 1')));
  const msgs = await c.untilClosed();
  assert.deepEqual(names(msgs), ['error']);
  assert.equal(msgs[0]!.severity, 'FATAL');
  assert.equal(msgs[0]!.code, '08P01');
  assert.equal(msgs[0]!.message, `expected password response, got message type ${'Q'.charCodeAt(0)}`);
});

test('40,000 NOTIFYs in one transaction are folded and delivered at commit', async () => {
  const listener = await connectClient(server);
  const sender = await connectClient(server);
  try {
    let received = 0;
    listener.on('notification', () => received++);
    await listener.query('LISTEN many');
    const r = await sender.query("SELECT count(pg_notify('many', (g % 20000)::text)) FROM generate_series(1, 40000) g");
    assert.equal(r.rows[0].count, '40000');
    // Duplicates within the transaction fold: 20,000 distinct payloads arrive.
    for (let i = 0; i < 100 && received < 20000; i++) await sleep(50);
    assert.equal(received, 20000);
  } finally {
    await listener.end();
    await sender.end();
  }
});

test('PREPARE TRANSACTION ends the transaction: an error in a live block, ROLLBACK in a failed one', async () => {
  const c = await connectClient(server);
  try {
    await c.query('BEGIN');
    await expectPgError(c.query("PREPARE TRANSACTION 'x'"), '55000', 'prepared transactions are disabled');
    assert.deepEqual((await c.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
    await c.query('BEGIN');
    await expectPgError(c.query('SELECT 1/0'), '22012', 'division by zero');
    const r = await c.query("PREPARE TRANSACTION 'y'");
    assert.equal(r.command, 'ROLLBACK');
    assert.deepEqual((await c.query('SELECT 2 AS two')).rows, [{ two: 2 }]);
    await expectPgError(c.query("COMMIT PREPARED 'x'"), '42704', 'prepared transaction with identifier "x" does not exist');
  } finally {
    await c.end();
  }
});

test('a LISTEN committed after its client disconnected never takes effect', async () => {
  const c = await session();
  // LISTEN runs after the sleep; the client leaves during the sleep.
  c.write(frontend.query('SELECT pg_sleep(0.5); LISTEN orphan'));
  await sleep(100);
  c.destroy();
  await sleep(700);
  await withClient(server, async (admin) => {
    const pid = (await admin.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    let got = 0;
    admin.on('notification', () => got++);
    await admin.query('LISTEN orphan');
    await admin.query('NOTIFY orphan');
    await sleep(100);
    // Only the live listener hears it; the dead session left no listener behind.
    assert.equal(got, 1);
    assert.ok(pid > 0);
  });
  const fresh = await session();
  const msgs = await fresh.query('SELECT 1');
  assert.deepEqual(rows(msgs), [['1']]);
  await fresh.terminate();
});

test('a bad message in the startup phase still gets a FATAL and closes only that connection', async () => {
  const c = await RawClient.connect(server.port);
  // A StartupMessage with a parameter name but no value terminator.
  const body = Buffer.concat([Buffer.from([0, 3, 0, 0]), cstring('user')]);
  const head = Buffer.alloc(4);
  head.writeInt32BE(body.length + 4);
  c.write(Buffer.concat([head, body]));
  const msgs = await c.untilClosed();
  assert.equal(msgs[0]?.severity, 'FATAL');
  const d = await session();
  assert.deepEqual(rows(await d.query('SELECT 2')), [['2']]);
  await d.terminate();
});
