// Protocol robustness: specific malformed inputs get PostgreSQL's answer,
// then thousands of random and malformed messages over many connections
// while a healthy client keeps querying; the server must stay up and the
// healthy client must never see an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startTestServer, type TestServer } from '../harness/server.js';
import { RawClient, frontend, rawMessage, rawMessageWithLength, cstring, names, rows, type Msg } from '../harness/raw-client.js';
import { connectClient } from '../harness/pg-client.js';
import { mulberry32 as prng } from '../../src/testing/prng.js';

const FUZZ_MESSAGES = Number(process.env.FUZZ_MESSAGES ?? 10_000);
const FUZZ_TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 20_000);
const FUZZ_CONCURRENCY = 6;
const SEED = Number(process.env.FUZZ_SEED ?? 20260305);

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.stop();
});

async function session(): Promise<RawClient> {
  const c = await RawClient.connect(server.port);
  await c.startup();
  return c;
}

/** The only thing a server may send before hanging up on garbage: a FATAL 08P01 ErrorResponse. */
function assertOnlyFatalProtocolErrors(msgs: Msg[], what: string): void {
  for (const m of msgs) {
    assert.equal(m.name, 'error', `${what}: unexpected ${m.name}`);
    assert.equal(m.severity, 'FATAL', `${what}: ${m.message}`);
    assert.equal(m.code, '08P01', `${what}: ${m.message}`);
  }
}

test('unknown message type: FATAL 08P01 "invalid frontend message type", then the server hangs up', async () => {
  const c = await session();
  c.write(rawMessage('y', Buffer.from('whatever')));
  const msgs = await c.untilClosed();
  assert.deepEqual(names(msgs), ['error']);
  assert.equal(msgs[0].severity, 'FATAL');
  assert.equal(msgs[0].code, '08P01');
  assert.equal(msgs[0].message, 'invalid frontend message type 121');
});

test('message length below 4: the server hangs up (at most a FATAL 08P01 first)', async () => {
  for (const len of [3, 0, -1]) {
    const c = await session();
    c.write(rawMessageWithLength('Q', len, cstring('SELECT 1')));
    const msgs = await c.untilClosed();
    assertOnlyFatalProtocolErrors(msgs, `length ${len}`);
  }
});

// Stricter than PostgreSQL, which reports a malformed body as an ERROR and
// carries on: the issue asks that any malformed message end the connection,
// since the client's encoder can no longer be trusted.
test('truncated Bind: FATAL 08P01 ends that connection only', async () => {
  const c = await session();
  c.write(frontend.parse({ text: 'SELECT $1::int4 AS v' }));
  // portal "", statement "", no format codes, 1 parameter whose 4 length bytes are missing
  c.write(rawMessage('B', Buffer.concat([cstring(''), cstring(''), Buffer.from([0, 0, 0, 1])])));
  c.write(frontend.execute({}), frontend.sync());
  let msgs = await c.untilClosed();
  assert.deepEqual(names(msgs), ['parseComplete', 'error']);
  assert.equal(msgs[1].severity, 'FATAL');
  assert.equal(msgs[1].code, '08P01');
  assert.equal(msgs[1].message, 'insufficient data left in message');
  // a Bind cut inside its statement name (no terminating NUL)
  const d = await session();
  d.write(rawMessage('B', Buffer.from('portal\0stmt')), frontend.sync());
  msgs = await d.untilClosed();
  assert.deepEqual(names(msgs), ['error']);
  assert.equal(msgs[0].severity, 'FATAL');
  assert.equal(msgs[0].code, '08P01');
  // other sessions are untouched
  const e = await session();
  msgs = await e.query('SELECT 7');
  assert.deepEqual(rows(msgs), [['7']]);
  await e.terminate();
});

test('unsupported protocol version: FATAL 0A000', async () => {
  const c = await RawClient.connect(server.port);
  // (1234.5678 would be read as a CancelRequest, 1234.5679 as SSLRequest)
  const body = Buffer.concat([Buffer.from([0x00, 0x04, 0x00, 0x00]), cstring('user'), cstring('postgres'), Buffer.from([0])]); // 4.0
  const head = Buffer.alloc(4);
  head.writeInt32BE(body.length + 4);
  c.write(Buffer.concat([head, body]));
  const msgs = await c.untilClosed();
  assert.deepEqual(names(msgs), ['error']);
  assert.equal(msgs[0].severity, 'FATAL');
  assert.equal(msgs[0].code, '0A000');
  assert.match(msgs[0].message, /^unsupported frontend protocol 4\.0: server supports /);
});

test('startup packets with impossible lengths are dropped', async () => {
  for (const len of [0, 3, 7, 10_001, 0x7fffffff]) {
    const c = await RawClient.connect(server.port);
    const head = Buffer.alloc(8);
    head.writeInt32BE(len | 0, 0);
    head.writeInt32BE(196608, 4);
    c.write(head);
    c.socket.end();
    const msgs = await c.untilClosed();
    assertOnlyFatalProtocolErrors(msgs, `startup length ${len}`);
  }
});

// ---------------------------------------------------------------------------
// Random messages


class Gen {
  constructor(private readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  text(): string {
    return this.pick(['SELECT 1', 'SELEC', 'BEGIN', 'COMMIT', 'ROLLBACK', "SELECT 'x' || $1", 'SELECT $1::int4', '', ';', 'SHOW TimeZone', 'SELECT * FROM nope', this.bytes(this.int(20)).toString('latin1')]);
  }
  name(): string {
    return this.pick(['', 's1', 'p1', 'x'.repeat(this.int(70))]);
  }

  /** A well-formed frontend message of a random kind. */
  valid(): Buffer {
    switch (this.int(11)) {
      case 0: return frontend.query(this.text());
      case 1: return frontend.parse({ name: this.name(), text: this.text(), types: this.chance(0.3) ? [this.pick([0, 23, 25, 16, 99999])] : [] });
      case 2: return frontend.bind({ portal: this.name(), statement: this.name(), values: this.chance(0.5) ? [this.chance(0.5) ? '42' : this.bytes(this.int(9))] : [], binary: this.chance(0.3) });
      case 3: return frontend.describe({ type: this.pick(['S', 'P'] as const), name: this.name() });
      case 4: return frontend.execute({ portal: this.name(), rows: this.int(3) });
      case 5: return frontend.close({ type: this.pick(['S', 'P'] as const), name: this.name() });
      case 6: return frontend.sync();
      case 7: return frontend.flush();
      case 8: return frontend.copyData(this.bytes(this.int(16)));
      case 9: return frontend.copyDone();
      default: return frontend.copyFail('fuzz');
    }
  }

  /** A malformed or random message. FunctionCall ('F') is never generated: random OIDs could call real functions. */
  malformed(): Buffer {
    const base = this.valid();
    switch (this.int(7)) {
      case 0: { // random type byte
        let t = this.int(256);
        if (t === 0x46) t = 0x47;
        return rawMessage(t, this.bytes(this.int(64)));
      }
      case 1: { // known type, random body
        return rawMessage(this.pick(['P', 'B', 'D', 'E', 'S', 'H', 'C', 'Q', 'd', 'c', 'f', 'p']), this.bytes(this.int(100)));
      }
      case 2: { // impossible or lying length
        const body = base.subarray(5);
        const len = this.pick([0, 1, 2, 3, -1, -100, 0x7fffffff, 0x40000000 + 7, 20_000, body.length + 4 + 1 + this.int(50)]);
        return rawMessageWithLength(base[0], len, body);
      }
      case 3: { // body cut short, length adjusted to match
        const body = base.subarray(5, 5 + this.int(Math.max(1, base.length - 5)));
        return rawMessage(base[0], body);
      }
      case 4: { // flipped bytes
        const b = Buffer.from(base);
        for (let i = 0, n = 1 + this.int(3); i < n && b.length > 5; i++) b[5 + this.int(b.length - 5)] = this.int(256);
        if (b[0] === 0x46) b[0] = 0x47;
        return b;
      }
      case 5: // trailing garbage inside the message
        return rawMessage(base[0], Buffer.concat([base.subarray(5), this.bytes(1 + this.int(8))]));
      default:
        return this.bytes(1 + this.int(12)); // raw noise between messages
    }
  }

  startupPacket(params: Record<string, string>): Buffer {
    return frontend.startup(params);
  }
}

type Scenario = { bytes: Buffer; messages: number };

function scenario(g: Gen): Scenario {
  const kind = g.int(100);
  if (kind < 6) return { bytes: g.bytes(g.int(300)), messages: 1 }; // garbage instead of a startup packet
  if (kind < 10) { // startup with a bad length field
    const p = Buffer.from(g.startupPacket({ user: 'postgres', database: 'postgres' }));
    p.writeInt32BE(g.pick([0, 3, 7, 9, 10_001, 100_000, -8, 0x7fffffff]) | 0, 0);
    return { bytes: p, messages: 1 };
  }
  if (kind < 13) { // unknown protocol version
    const p = Buffer.from(g.startupPacket({ user: 'postgres' }));
    p.writeInt32BE(g.int(0x7fffffff), 4);
    return { bytes: p, messages: 1 };
  }
  if (kind < 16) { // SSLRequest then garbage
    return { bytes: Buffer.concat([frontend.requestSsl(), g.bytes(g.int(100))]), messages: 2 };
  }
  if (kind < 18) { // CancelRequest for a random backend
    return { bytes: frontend.cancel(g.int(0x7fffffff), g.int(0x7fffffff) | 0), messages: 1 };
  }
  if (kind < 21) { // startup with odd parameters
    const p = g.pick([
      g.startupPacket({ user: '' }),
      g.startupPacket({ database: 'postgres' }),
      g.startupPacket({ user: 'postgres', database: 'fuzz_nowhere' }),
      g.startupPacket({ user: 'fuzz_nobody' }),
      g.startupPacket({ user: 'postgres', options: '-c no_such_setting=1' }),
      rawMessageWithLength(0, 0).subarray(1), // length 0 only
    ]);
    return { bytes: Buffer.from(p), messages: 1 };
  }
  // a valid startup, then a burst of valid and malformed messages
  const parts: Buffer[] = [g.startupPacket({ user: 'postgres', database: 'postgres' })];
  const n = 10 + g.int(60);
  for (let i = 0; i < n; i++) parts.push(g.chance(0.35) ? g.valid() : g.malformed());
  return { bytes: Buffer.concat(parts), messages: n + 1 };
}

/** Writes the bytes in random chunks, half-closes, and waits for the server to close. */
function play(port: number, g: Gen, bytes: Buffer): Promise<'closed' | 'lingering'> {
  return new Promise((resolve) => {
    const sock: Socket = connect({ host: '127.0.0.1', port });
    let done = false;
    const finish = (how: 'closed' | 'lingering') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(how);
    };
    const timer = setTimeout(() => finish('lingering'), 5000);
    sock.on('error', () => {});
    sock.on('data', () => {});
    sock.once('close', () => finish('closed'));
    sock.once('connect', async () => {
      let off = 0;
      while (off < bytes.length && !sock.destroyed) {
        const n = 1 + g.int(g.chance(0.5) ? 7 : 400);
        sock.write(bytes.subarray(off, off + n));
        off += n;
        if (g.chance(0.3)) await new Promise((r) => setImmediate(r));
      }
      if (!sock.destroyed) sock.end();
    });
  });
}

test(`>= ${FUZZ_MESSAGES} random and malformed messages; a concurrent healthy client never sees an error`, async (t) => {
  const healthy = await connectClient(server);
  let stop = false;
  let healthyQueries = 0;
  const healthyErrors: unknown[] = [];
  const healthyLoop = (async () => {
    for (let i = 0; !stop; i++) {
      try {
        if (i % 2 === 0) {
          const r = await healthy.query('SELECT $1::int4 + 1 AS n', [i]);
          assert.equal(r.rows[0].n, i + 1);
        } else {
          const r = await healthy.query("SELECT 'ok' AS status, 6 * 7 AS answer");
          assert.deepEqual(r.rows, [{ status: 'ok', answer: 42 }]);
        }
        healthyQueries++;
      } catch (e) {
        healthyErrors.push(e);
        if (healthyErrors.length > 10) break;
      }
    }
  })();

  let sent = 0;
  let connections = 0;
  let lingering = 0;
  const deadline = Date.now() + FUZZ_TIME_LIMIT_MS;
  const workers = Array.from({ length: FUZZ_CONCURRENCY }, async (_, w) => {
    const g = new Gen(prng(SEED + w));
    while (sent < FUZZ_MESSAGES && Date.now() < deadline) {
      const s = scenario(g);
      sent += s.messages;
      connections++;
      if ((await play(server.port, g, s.bytes)) === 'lingering') lingering++;
    }
  });
  await Promise.all(workers);
  stop = true;
  await healthyLoop;
  await healthy.end();

  const summary = `seed ${SEED}: ${sent} messages over ${connections} connections, ${healthyQueries} healthy queries`;
  t.diagnostic(summary);
  assert.deepEqual(healthyErrors, [], summary);
  assert.ok(sent >= FUZZ_MESSAGES, `only ${sent} messages within ${FUZZ_TIME_LIMIT_MS} ms (${summary})`);
  assert.ok(healthyQueries > 0, summary);
  assert.equal(lingering, 0, `${lingering} connections stayed open 5 s after the client hung up (${summary})`);

  // the server is still there and answers
  assert.doesNotThrow(() => process.kill(server.pid, 0), 'server process is alive');
  const after = await connectClient(server);
  const r = await after.query('SELECT 1 AS one');
  assert.equal(r.rows[0].one, 1);
  await after.end();
});
