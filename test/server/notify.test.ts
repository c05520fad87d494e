// LISTEN / NOTIFY between node-postgres clients: exact channel, payload and
// sender pid; delivery only at commit (never after rollback); UNLISTEN;
// LISTEN/UNLISTEN follow their transaction; channels are per database.
//
// "Not delivered" is proven without timing: notifications reach a listener
// in commit order, so once a later marker notification has arrived, an
// earlier one that was going to arrive would already be there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { connectClient, endAll, expectPgError, withClient } from '../harness/pg-client.js';
import { Wakeup } from '../harness/wait.js';

let server: TestServer;
const open: pg.Client[] = [];

interface Note {
  processId: number;
  channel: string;
  payload: string;
}

interface Listener {
  client: pg.Client;
  notes: Note[];
  /** Resolves with the notes received so far once one matches. */
  waitFor(match: (n: Note) => boolean, timeoutMs?: number): Promise<Note[]>;
}

before(async () => {
  server = await startTestServer();
  await withClient(server, (admin) => admin.query('CREATE DATABASE notify_other'));
});

after(async () => {
  await endAll(open);
  await server?.stop();
});

async function session(database = 'postgres'): Promise<pg.Client> {
  const c = await connectClient(server, { database });
  open.push(c);
  return c;
}

async function listener(database = 'postgres'): Promise<Listener> {
  const client = await session(database);
  const notes: Note[] = [];
  const arrived = new Wakeup();
  client.on('notification', (n) => {
    notes.push({ processId: n.processId, channel: n.channel, payload: n.payload ?? '' });
    arrived.wake();
  });
  return {
    client,
    notes,
    async waitFor(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!notes.some(match)) {
        const left = deadline - Date.now();
        if (left <= 0) assert.fail(`no matching notification within ${timeoutMs} ms; got ${JSON.stringify(notes)}`);
        await arrived.wait(left);
      }
      return [...notes];
    },
  };
}

async function backendPid(c: pg.Client): Promise<number> {
  return (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
}

test('LISTEN/NOTIFY/UNLISTEN command tags', async () => {
  const c = await session();
  assert.equal((await c.query('LISTEN tag_chan')).command, 'LISTEN');
  assert.equal((await c.query("NOTIFY tag_chan, 'x'")).command, 'NOTIFY');
  assert.equal((await c.query('UNLISTEN tag_chan')).command, 'UNLISTEN');
  assert.equal((await c.query('UNLISTEN *')).command, 'UNLISTEN');
});

test('a notification carries the exact channel, payload and the sender backend pid', async () => {
  const l = await listener();
  await l.client.query('LISTEN chan_a');
  const sender = await session();
  const senderPid = await backendPid(sender);
  await sender.query("NOTIFY chan_a, 'hello, world ''quoted'' é'");
  const notes = await l.waitFor((n) => n.channel === 'chan_a');
  assert.deepEqual(notes, [{ processId: senderPid, channel: 'chan_a', payload: "hello, world 'quoted' é" }]);
  assert.notEqual(senderPid, await backendPid(l.client));
});

test('NOTIFY without a payload delivers an empty string; channel names follow identifier rules', async () => {
  const l = await listener();
  await l.client.query('LISTEN plain_chan');
  await l.client.query('LISTEN "Mixed Case"');
  await l.client.query('LISTEN mixedcase');
  const sender = await session();
  await sender.query('NOTIFY plain_chan');
  await sender.query(`NOTIFY "Mixed Case", 'quoted'`);
  await sender.query(`NOTIFY MixedCase, 'folded'`);
  await sender.query(`NOTIFY plain_chan, 'end'`);
  const notes = await l.waitFor((n) => n.payload === 'end');
  assert.deepEqual(
    notes.map((n) => [n.channel, n.payload]),
    [
      ['plain_chan', ''],
      ['Mixed Case', 'quoted'],
      ['mixedcase', 'folded'],
      ['plain_chan', 'end'],
    ],
  );
});

test('NOTIFY inside BEGIN is delivered at COMMIT, never after ROLLBACK', async () => {
  const l = await listener();
  await l.client.query('LISTEN tx_chan');
  const sender = await session();
  const other = await session();
  const senderPid = await backendPid(sender);
  const otherPid = await backendPid(other);

  await sender.query('BEGIN');
  await sender.query("NOTIFY tx_chan, 'committed'");
  await other.query("NOTIFY tx_chan, 'marker 1'");
  let notes = await l.waitFor((n) => n.payload === 'marker 1');
  assert.deepEqual(notes, [{ processId: otherPid, channel: 'tx_chan', payload: 'marker 1' }], 'nothing before COMMIT');
  await sender.query('COMMIT');
  notes = await l.waitFor((n) => n.payload === 'committed');
  assert.deepEqual(notes.map((n) => n.payload), ['marker 1', 'committed']);
  assert.equal(notes[1]!.processId, senderPid);

  await sender.query('BEGIN');
  await sender.query("NOTIFY tx_chan, 'rolled back'");
  await sender.query('ROLLBACK');
  await sender.query("NOTIFY tx_chan, 'marker 2'");
  notes = await l.waitFor((n) => n.payload === 'marker 2');
  assert.deepEqual(notes.map((n) => n.payload), ['marker 1', 'committed', 'marker 2']);
});

test('a notification is not sent to a listener inside a transaction block until it ends', async () => {
  const l = await listener();
  await l.client.query('LISTEN busy_chan');
  const sender = await session();
  await l.client.query('BEGIN');
  await sender.query("NOTIFY busy_chan, 'while busy'");
  // PostgreSQL holds notifications back while the listener is in a transaction block
  await l.client.query('SELECT 1');
  await l.client.query('SELECT 2');
  assert.deepEqual(l.notes, []);
  await l.client.query('COMMIT');
  const notes = await l.waitFor((n) => n.payload === 'while busy');
  assert.deepEqual(notes.map((n) => n.payload), ['while busy']);
});

test('the same notification twice in one transaction is folded into one; order is kept', async () => {
  const l = await listener();
  await l.client.query('LISTEN fold_chan');
  const sender = await session();
  await sender.query('BEGIN');
  await sender.query("NOTIFY fold_chan, 'a'");
  await sender.query("NOTIFY fold_chan, 'b'");
  await sender.query("NOTIFY fold_chan, 'a'");
  await sender.query("NOTIFY fold_chan, 'c'");
  await sender.query('COMMIT');
  await sender.query("NOTIFY fold_chan, 'end'");
  const notes = await l.waitFor((n) => n.payload === 'end');
  assert.deepEqual(notes.map((n) => n.payload), ['a', 'b', 'c', 'end']);
});

test('UNLISTEN stops delivery on that channel only; UNLISTEN * on all', async () => {
  const l = await listener();
  await l.client.query('LISTEN un_a');
  await l.client.query('LISTEN un_b');
  const sender = await session();
  await sender.query("NOTIFY un_a, '1'");
  await l.waitFor((n) => n.payload === '1');
  await l.client.query('UNLISTEN un_a');
  await sender.query("NOTIFY un_a, '2'");
  await sender.query("NOTIFY un_b, '3'");
  let notes = await l.waitFor((n) => n.payload === '3');
  assert.deepEqual(notes.map((n) => [n.channel, n.payload]), [['un_a', '1'], ['un_b', '3']]);

  await l.client.query('UNLISTEN *');
  await l.client.query('LISTEN un_marker');
  await sender.query("NOTIFY un_a, '4'");
  await sender.query("NOTIFY un_b, '5'");
  await sender.query("NOTIFY un_marker, '6'");
  notes = await l.waitFor((n) => n.payload === '6');
  assert.deepEqual(notes.map((n) => n.payload), ['1', '3', '6']);
});

test('a session gets its own notifications, with its own pid', async () => {
  const l = await listener();
  const pid = await backendPid(l.client);
  await l.client.query('LISTEN self_chan');
  await l.client.query("NOTIFY self_chan, 'me'");
  const notes = await l.waitFor((n) => n.payload === 'me');
  assert.deepEqual(notes, [{ processId: pid, channel: 'self_chan', payload: 'me' }]);
});

test('LISTEN and UNLISTEN take effect only if their transaction commits', async () => {
  const l = await listener();
  await l.client.query('LISTEN kept_chan');
  await l.client.query('LISTEN lu_marker');
  await l.client.query('BEGIN');
  await l.client.query('LISTEN rolled_chan');
  await l.client.query('UNLISTEN kept_chan');
  await l.client.query('ROLLBACK');
  const sender = await session();
  await sender.query("NOTIFY rolled_chan, 'not for you'");
  await sender.query("NOTIFY kept_chan, 'still listening'");
  await sender.query("NOTIFY lu_marker, 'end'");
  const notes = await l.waitFor((n) => n.payload === 'end');
  assert.deepEqual(notes.map((n) => [n.channel, n.payload]), [['kept_chan', 'still listening'], ['lu_marker', 'end']]);
});

test('channels are per database: a NOTIFY in another database is not delivered', async () => {
  const l = await listener('notify_other');
  await l.client.query('LISTEN db_chan');
  const here = await session('postgres');
  const there = await session('notify_other');
  await here.query("NOTIFY db_chan, 'other database'");
  await there.query("NOTIFY db_chan, 'same database'");
  const notes = await l.waitFor((n) => n.payload === 'same database');
  assert.deepEqual(notes.map((n) => n.payload), ['same database']);
});

test('DISCARD ALL unlistens', async () => {
  const l = await listener();
  await l.client.query('LISTEN discard_chan');
  await l.client.query('DISCARD ALL');
  await l.client.query('LISTEN discard_marker');
  const sender = await session();
  await sender.query("NOTIFY discard_chan, 'gone'");
  await sender.query("NOTIFY discard_marker, 'here'");
  const notes = await l.waitFor((n) => n.payload === 'here');
  assert.deepEqual(notes.map((n) => n.payload), ['here']);
});

test('a payload of 8000 bytes or more is refused (22023)', async () => {
  const c = await session();
  await c.query(`NOTIFY big_chan, '${'x'.repeat(7999)}'`);
  await expectPgError(c.query(`NOTIFY big_chan, '${'x'.repeat(8000)}'`), '22023', 'payload string too long');
});

test('pg_notify(channel, payload) notifies like NOTIFY', async () => {
  const l = await listener();
  await l.client.query('LISTEN fn_chan');
  const sender = await session();
  const senderPid = await backendPid(sender);
  const r = await sender.query("SELECT pg_notify('fn_chan', 'via function') AS v");
  assert.deepEqual(r.rows, [{ v: '' }]);
  const notes = await l.waitFor((n) => n.payload === 'via function');
  assert.deepEqual(notes, [{ processId: senderPid, channel: 'fn_chan', payload: 'via function' }]);
});
