// Connection limits and login checks: max_connections (with
// superuser_reserved_connections), a role's and a database's CONNECTION
// LIMIT, ALLOW_CONNECTIONS false, NOLOGIN roles and unknown roles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { RawClient, frontend, names } from '../harness/raw-client.js';
import { connectClient, endAll, retryWhilePgError, withClient } from '../harness/pg-client.js';
import { sleep } from '../harness/wait.js';

const MAX_CONNECTIONS = 3;
let server: TestServer;

before(async () => {
  // one slot kept for superusers: plain roles may hold 2 of the 3
  server = await startTestServer({ settings: { max_connections: String(MAX_CONNECTIONS), superuser_reserved_connections: '1' } });
  await withClient(server, async (admin) => {
    await admin.query('CREATE ROLE dave LOGIN');
    await admin.query('CREATE ROLE nologin_role NOLOGIN');
    await admin.query('CREATE ROLE limited LOGIN CONNECTION LIMIT 1');
    await admin.query('CREATE DATABASE limited_db CONNECTION LIMIT 1');
    await admin.query('CREATE DATABASE closed_db ALLOW_CONNECTIONS false');
  });
});

after(async () => {
  await server?.stop();
});

const TOO_MANY = 'sorry, too many clients already';

/**
 * Asserts that connecting fails with this FATAL error. Sessions of an earlier
 * test may still be on their way out, so "too many clients" is retried for a
 * while when another error is expected.
 */
async function refused(extra: Partial<pg.ClientConfig>, code: string, message: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let err: any = null;
  for (;;) {
    let c: pg.Client | null = null;
    err = null;
    try {
      c = await connectClient(server, extra);
    } catch (e) {
      err = e;
    }
    if (c !== null) {
      await c.end();
      assert.fail(`connecting with ${JSON.stringify(extra)} succeeded; expected ${code} ${message}`);
    }
    if (err.message !== TOO_MANY || message === TOO_MANY || Date.now() > deadline) break;
    await sleep(50);
  }
  assert.equal(err.code, code, JSON.stringify(extra));
  assert.equal(err.severity, 'FATAL');
  assert.equal(err.message, message);
}

/**
 * A closed session frees its slot a moment after the client sees the socket
 * close (in PostgreSQL too), so the first retry may still be refused.
 */
function connectWhenFree(extra: Partial<pg.ClientConfig> = {}, timeoutMs = 10_000): Promise<pg.Client> {
  return retryWhilePgError('53300', () => connectClient(server, extra), timeoutMs);
}

test('max_connections = 3: the 4th connection is refused with 53300 until one closes', async () => {
  const held: pg.Client[] = [];
  try {
    for (let i = 0; i < MAX_CONNECTIONS; i++) held.push(await connectWhenFree());
    await refused({}, '53300', TOO_MANY);
    await refused({}, '53300', TOO_MANY);
    // the ones in are unaffected
    const r = await held[0]!.query('SELECT 1 AS one');
    assert.equal(r.rows[0].one, 1);

    await held.pop()!.end();
    const again = await connectWhenFree();
    held.push(again);
    assert.equal((await again.query('SELECT 2 AS two')).rows[0].two, 2);
    await refused({}, '53300', TOO_MANY);
  } finally {
    await endAll(held);
  }
});

test('too many clients: the error comes before any authentication exchange', async () => {
  const held: pg.Client[] = [];
  const raw = await RawClient.connect(server.port);
  try {
    for (let i = 0; i < MAX_CONNECTIONS; i++) held.push(await connectWhenFree());
    raw.write(frontend.startup({ user: 'postgres', database: 'postgres' }));
    const msgs = await raw.untilClosed();
    // PostgreSQL finds no free backend slot before it authenticates anyone
    assert.deepEqual(names(msgs), ['error']);
    assert.equal(msgs[0]!.code, '53300');
    assert.equal(msgs[0]!.severity, 'FATAL');
  } finally {
    raw.destroy();
    await endAll(held);
  }
});

test('superuser_reserved_connections = 1: a plain role may not take the last slot, a superuser may', async () => {
  const held: pg.Client[] = [];
  try {
    held.push(await connectWhenFree({ user: 'dave' }));
    held.push(await connectWhenFree());
    await refused({ user: 'dave' }, '53300', 'remaining connection slots are reserved for non-replication superuser connections');
    held.push(await connectClient(server));
    assert.equal((await held[2]!.query('SELECT current_user AS u')).rows[0].u, 'postgres');
    await refused({}, '53300', TOO_MANY);
  } finally {
    await endAll(held);
  }
});

test('a NOLOGIN role is not permitted to log in (28000)', async () => {
  await refused({ user: 'nologin_role' }, '28000', 'role "nologin_role" is not permitted to log in');
});

test('an unknown role does not exist (28000)', async () => {
  await refused({ user: 'nobody_here' }, '28000', 'role "nobody_here" does not exist');
});

test('CONNECTION LIMIT 1 on a role: its second session is refused (53300)', async () => {
  const first = await connectWhenFree({ user: 'limited' });
  try {
    await refused({ user: 'limited' }, '53300', 'too many connections for role "limited"');
  } finally {
    await first.end();
  }
  const next = await connectWhenFree({ user: 'limited' });
  await next.end();
});

test('CONNECTION LIMIT 1 on a database: a second non-superuser session is refused (53300)', async () => {
  const first = await connectWhenFree({ user: 'dave', database: 'limited_db' });
  try {
    await refused({ user: 'dave', database: 'limited_db' }, '53300', 'too many connections for database "limited_db"');
  } finally {
    await first.end();
  }
});

test('ALLOW_CONNECTIONS false: nobody may connect to the database (55000)', async () => {
  await refused({ database: 'closed_db' }, '55000', 'database "closed_db" is not currently accepting connections');
});
