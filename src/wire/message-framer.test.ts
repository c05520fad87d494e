import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serialize } from 'pg-protocol';
import { PgError } from '../errors.js';
import { MessageFramer, type FramedMessage } from './message-framer.js';
import { ProtocolError } from './protocol-error.js';
import { decodeFrontendMessage, decodePassword, decodeSASLInitialResponse } from './frontend-messages.js';
import { decodeStartupPacket } from './startup-packet.js';
import { mulberry32 as rng } from '../testing/prng.js';

function header(type: string, length: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = type.charCodeAt(0);
  b.writeInt32BE(length, 1);
  return b;
}

function drain(f: MessageFramer): FramedMessage[] {
  return [...f];
}

function expectFramerError(fn: () => unknown, message: string, reportToClient: boolean): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtocolError);
    assert.equal(e.message, message);
    assert.equal(e.code, '08P01');
    assert.equal(e.reportToClient, reportToClient);
    return true;
  });
}

const SESSION = [
  serialize.parse({ name: 's', text: 'select $1::int', types: [23] }),
  serialize.bind({ statement: 's', values: ['42', null, Buffer.from([1, 2])] }),
  serialize.describe({ type: 'P' }),
  serialize.execute({ rows: 0 }),
  serialize.sync(),
  serialize.query('select ' + 'x'.repeat(300)),
  serialize.copyData(Buffer.alloc(5000, 0x61)),
  serialize.copyDone(),
  serialize.flush(),
  serialize.end(),
];

function decodedSession(f: MessageFramer): unknown[] {
  return drain(f).map((m) => decodeFrontendMessage(m.type, m.body));
}

test('many messages in one chunk come out as zero-copy subarrays', () => {
  const all = Buffer.concat(SESSION);
  const f = new MessageFramer({ mode: 'normal' });
  f.push(all);
  const msgs = drain(f);
  assert.deepEqual(
    msgs.map((m) => String.fromCharCode(m.type)),
    ['P', 'B', 'D', 'E', 'S', 'Q', 'd', 'c', 'H', 'X'],
  );
  for (const m of msgs) assert.equal(m.body.buffer, all.buffer);
  assert.equal(f.buffered, 0);
  assert.equal(f.read(), null);
});

test('one byte at a time yields the same messages', () => {
  const all = Buffer.concat(SESSION);
  const whole = new MessageFramer({ mode: 'normal' });
  whole.push(all);
  const expected = decodedSession(whole);

  const f = new MessageFramer({ mode: 'normal' });
  const got: unknown[] = [];
  for (let i = 0; i < all.length; i++) {
    f.push(all.subarray(i, i + 1));
    got.push(...decodedSession(f));
  }
  assert.deepEqual(got, expected);
  assert.equal(f.buffered, 0);
});

test('irregular chunk sizes across message boundaries', () => {
  const all = Buffer.concat(SESSION);
  const whole = new MessageFramer({ mode: 'normal' });
  whole.push(all);
  const expected = decodedSession(whole);
  for (const size of [2, 3, 5, 7, 13, 64, 999]) {
    const f = new MessageFramer({ mode: 'normal' });
    const got: unknown[] = [];
    for (let i = 0; i < all.length; i += size) {
      f.push(all.subarray(i, i + size));
      got.push(...decodedSession(f));
    }
    assert.deepEqual(got, expected, `chunk size ${size}`);
  }
});

test('a large message in many chunks is assembled once, correctly', () => {
  const payload = Buffer.alloc(3_000_000);
  for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
  const bytes = serialize.copyData(payload);
  const f = new MessageFramer({ mode: 'normal' });
  let result: FramedMessage | null = null;
  for (let i = 0; i < bytes.length; i += 1000) {
    f.push(bytes.subarray(i, i + 1000));
    const m = f.read();
    if (m) result = m;
    else assert.equal(f.buffered, Math.min(i + 1000, bytes.length));
  }
  assert.ok(result);
  assert.equal(result.type, 0x64);
  assert.ok(result.body.equals(payload));
  assert.equal(f.buffered, 0);
});

test('startup packet then typed messages in the same chunk', () => {
  const f = new MessageFramer();
  f.push(Buffer.concat([serialize.startup({ user: 'u' }), serialize.query('select 1')]));
  const s = f.read();
  assert.ok(s);
  assert.equal(s.type, 0);
  const p = decodeStartupPacket(s.body);
  assert.equal(p.type === 'StartupMessage' && p.parameters.get('user'), 'u');
  f.mode = 'normal';
  const q = f.read();
  assert.ok(q);
  assert.deepEqual(decodeFrontendMessage(q.type, q.body), { type: 'Query', query: 'select 1' });
});

test('startup packet delivered a byte at a time', () => {
  const bytes = serialize.startup({ user: 'someone', database: 'somewhere' });
  const f = new MessageFramer();
  let got: FramedMessage | null = null;
  for (let i = 0; i < bytes.length; i++) {
    f.push(bytes.subarray(i, i + 1));
    const m = f.read();
    if (m) {
      assert.equal(i, bytes.length - 1);
      got = m;
    }
  }
  assert.ok(got);
  assert.deepEqual(got.body, bytes.subarray(4));
});

test('startup length limits (PostgreSQL: 4..10000 bytes after the length word)', () => {
  for (const len of [0, 7, -1, 10005, 0x7fffffff]) {
    const f = new MessageFramer();
    const b = Buffer.alloc(4);
    b.writeInt32BE(len);
    f.push(b);
    expectFramerError(() => f.read(), 'invalid length of startup packet', false);
  }
  const f = new MessageFramer();
  const big = Buffer.alloc(10004);
  big.writeInt32BE(10004);
  f.push(big);
  assert.equal(f.read()!.body.length, 10000);
});

test('typed length < 4, negative or huge fails as soon as the length word is in', () => {
  for (const len of [0, 3, -1, -2147483648]) {
    const f = new MessageFramer({ mode: 'normal' });
    f.push(header('Q', len));
    expectFramerError(() => f.read(), 'invalid message length', false);
  }
  const f = new MessageFramer({ mode: 'normal' });
  f.push(header('Q', 0x3fffffff)); // one past PostgreSQL's large-message limit
  expectFramerError(() => f.read(), 'invalid message length', false);
  const ok = new MessageFramer({ mode: 'normal' });
  ok.push(header('Q', 0x3ffffffe));
  assert.equal(ok.read(), null); // within the limit: waits for the body
});

test('small message types are limited to 10000 bytes, p to 65535', () => {
  for (const t of ['S', 'H', 'X', 'D', 'C', 'E', 'c', 'f']) {
    const f = new MessageFramer({ mode: 'normal' });
    f.push(header(t, 10001));
    expectFramerError(() => f.read(), 'invalid message length', false);
    const g = new MessageFramer({ mode: 'normal' });
    g.push(header(t, 10000));
    assert.equal(g.read(), null, t);
  }
  const p = new MessageFramer({ mode: 'normal' });
  p.push(header('p', 65536));
  expectFramerError(() => p.read(), 'invalid message length', false);
  for (const t of ['Q', 'P', 'B', 'd', 'F']) {
    const g = new MessageFramer({ mode: 'normal' });
    g.push(header(t, 1_000_000));
    assert.equal(g.read(), null, t);
  }
});

test('maxMessageLength caps the large types', () => {
  const f = new MessageFramer({ mode: 'normal', maxMessageLength: 1000 });
  f.push(header('Q', 1001));
  expectFramerError(() => f.read(), 'invalid message length', false);
  const g = new MessageFramer({ mode: 'normal', maxMessageLength: 1000 });
  g.push(serialize.query('x'.repeat(995)));
  assert.equal(g.read()!.body.length, 996);
  assert.throws(() => new MessageFramer({ maxMessageLength: 3 }), RangeError);
});

test('an unknown type byte is FATAL at once, before its length arrives', () => {
  const f = new MessageFramer({ mode: 'normal' });
  f.push(Buffer.from('Z'));
  assert.throws(
    () => f.read(),
    (e: unknown) =>
      e instanceof ProtocolError && e.message === 'invalid frontend message type 90' && e.severity === 'FATAL' && e.reportToClient,
  );
  const g = new MessageFramer({ mode: 'normal' });
  g.push(Buffer.concat([serialize.sync(), Buffer.from([0])]));
  assert.equal(g.read()!.type, 0x53);
  assert.throws(() => g.read(), /invalid frontend message type 0/);
});

test('peekType shows the next type byte without consuming it', () => {
  const f = new MessageFramer({ mode: 'normal' });
  assert.equal(f.peekType(), -1);
  f.push(Buffer.from('Q'));
  assert.equal(f.peekType(), 0x51);
  f.push(Buffer.from([0, 0, 0, 5, 0]));
  assert.equal(f.peekType(), 0x51);
  assert.equal(f.read()!.type, 0x51);
  assert.equal(f.peekType(), -1);
  f.push(Buffer.from('Z'));
  assert.equal(f.peekType(), 0x5a);
});

test('empty chunks are ignored', () => {
  const f = new MessageFramer({ mode: 'normal' });
  f.push(Buffer.alloc(0));
  assert.equal(f.read(), null);
  f.push(serialize.sync());
  f.push(Buffer.alloc(0));
  assert.equal(f.read()!.type, 0x53);
  assert.equal(f.read(), null);
});

// ---- fuzz: only ProtocolError (or 22021 for bad UTF-8 text) may escape.

function allowed(e: unknown): boolean {
  return e instanceof ProtocolError || (e instanceof PgError && e.code === '22021');
}

const SEEDS = [
  ...SESSION,
  serialize.password('pw'),
  serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'n,,n=,r=x'),
  serialize.copyFail('x'),
  serialize.close({ type: 'S', name: 'a' }),
];

function mutate(r: () => number): Buffer {
  const choice = r();
  if (choice < 0.3) {
    // Pure noise, sometimes behind a plausible type byte.
    const b = Buffer.alloc(Math.floor(r() * 40));
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
    if (b.length > 0 && r() < 0.5) b[0] = 'QPBDECSHXdcfpF'.charCodeAt(Math.floor(r() * 14));
    return b;
  }
  // A valid message with flipped bytes, truncated or extended, length kept consistent or not.
  const seed = Buffer.from(SEEDS[Math.floor(r() * SEEDS.length)]!.subarray(0, 600));
  let body = seed.subarray(5);
  const flips = Math.floor(r() * 4);
  for (let i = 0; i < flips && body.length > 0; i++) body[Math.floor(r() * body.length)] = Math.floor(r() * 256);
  if (r() < 0.3) body = body.subarray(0, Math.floor(r() * body.length));
  if (r() < 0.2) body = Buffer.concat([body, Buffer.from([Math.floor(r() * 256)])]);
  const out = Buffer.concat([seed.subarray(0, 5), body]);
  if (r() < 0.8) out.writeInt32BE(body.length + 4, 1);
  return out;
}

test('fuzz: framer + decoders throw nothing but protocol errors', () => {
  const r = rng(20240611);
  let decoded = 0;
  let rejected = 0;
  for (let iter = 0; iter < 3000; iter++) {
    const startup = r() < 0.15;
    const f = new MessageFramer({ mode: startup ? 'startup' : 'normal' });
    const data = startup ? Buffer.from(serialize.startup({ user: 'u' })) : Buffer.concat([mutate(r), mutate(r)]);
    if (startup) for (let i = 0; i < 3; i++) data[Math.floor(r() * data.length)] = Math.floor(r() * 256);
    try {
      let pos = 0;
      while (pos < data.length) {
        const n = 1 + Math.floor(r() * 16);
        f.push(data.subarray(pos, pos + n));
        pos += n;
        for (const m of f) {
          if (startup) {
            decodeStartupPacket(m.body);
            continue;
          }
          const msg = decodeFrontendMessage(m.type, m.body);
          if (msg.type === 'AuthResponse') {
            try {
              decodePassword(msg.body);
            } catch (e) {
              assert.ok(allowed(e), String(e));
            }
            decodeSASLInitialResponse(msg.body);
          }
          decoded++;
        }
      }
    } catch (e) {
      assert.ok(allowed(e), `iteration ${iter}: ${String((e as Error)?.stack ?? e)}`);
      rejected++;
    }
  }
  // Both outcomes must actually occur for the fuzz to mean anything.
  assert.ok(decoded > 100, `decoded ${decoded}`);
  assert.ok(rejected > 100, `rejected ${rejected}`);
});
