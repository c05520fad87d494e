import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serialize } from 'pg-protocol';
import { MessageFramer } from './message-framer.js';
import { ProtocolError } from './protocol-error.js';
import { decodeStartupPacket, type StartupPacket } from './startup-packet.js';

function decodeFramed(bytes: Buffer): StartupPacket {
  const f = new MessageFramer();
  f.push(bytes);
  const m = f.read();
  assert.ok(m);
  assert.equal(m.type, 0);
  assert.equal(f.buffered, 0);
  return decodeStartupPacket(m.body);
}

/** A startup body (after the length word) with the given version and raw pair bytes. */
function body(version: number, rest: string): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(version >>> 0);
  return Buffer.concat([b, Buffer.from(rest, 'utf8')]);
}

function expectError(fn: () => unknown, check: Record<string, unknown>): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtocolError);
    for (const [k, v] of Object.entries(check)) assert.equal((e as unknown as Record<string, unknown>)[k], v, k);
    return true;
  });
}

test('StartupMessage from pg-protocol', () => {
  const p = decodeFramed(serialize.startup({ user: 'bob', database: 'db1', application_name: 'psql ✓' }));
  assert.equal(p.type, 'StartupMessage');
  if (p.type !== 'StartupMessage') return;
  assert.equal(p.majorVersion, 3);
  assert.equal(p.minorVersion, 0);
  assert.deepEqual(
    [...p.parameters],
    [
      ['user', 'bob'],
      ['database', 'db1'],
      ['application_name', 'psql ✓'],
      ['client_encoding', 'UTF8'],
    ],
  );
  assert.deepEqual(p.unrecognizedOptions, []);
});

test('minor version > 0 and _pq_ options are reported for negotiation', () => {
  const p = decodeStartupPacket(body(196610, 'user\0u\0_pq_.foo\0x\0user\0v\0_pq_.bar\0\0\0'));
  assert.equal(p.type, 'StartupMessage');
  if (p.type !== 'StartupMessage') return;
  assert.equal(p.minorVersion, 2);
  assert.deepEqual(p.unrecognizedOptions, ['_pq_.foo', '_pq_.bar']);
  // A repeated name keeps the last value, as PostgreSQL does.
  assert.deepEqual([...p.parameters], [['user', 'v']]);
});

test('an empty parameter list is just the terminator', () => {
  const p = decodeStartupPacket(body(196608, '\0'));
  assert.equal(p.type === 'StartupMessage' && p.parameters.size, 0);
});

test('SSLRequest, GSSENCRequest, CancelRequest', () => {
  assert.deepEqual(decodeFramed(serialize.requestSsl()), { type: 'SSLRequest' });
  const gss = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30]);
  assert.deepEqual(decodeFramed(gss), { type: 'GSSENCRequest' });
  assert.deepEqual(decodeFramed(serialize.cancel(31337, -99)), { type: 'CancelRequest', processId: 31337, secretKey: -99 });
});

test('special requests with the wrong length are dropped silently', () => {
  expectError(() => decodeStartupPacket(body(80877102, 'abcd')), {
    message: 'invalid length of startup packet',
    reportToClient: false,
  });
  expectError(() => decodeStartupPacket(body(80877103, 'x')), { message: 'invalid length of startup packet' });
  expectError(() => decodeStartupPacket(Buffer.from([0, 3, 0])), { message: 'invalid length of startup packet' });
});

test('unsupported protocol versions', () => {
  expectError(() => decodeStartupPacket(body(0x00020000, '\0')), {
    message: 'unsupported frontend protocol 2.0: server supports 3.0 to 3.0',
    code: '0A000',
    severity: 'FATAL',
    protocol2Format: true,
  });
  expectError(() => decodeStartupPacket(body(0x00040001, '\0')), {
    message: 'unsupported frontend protocol 4.1: server supports 3.0 to 3.0',
    code: '0A000',
    protocol2Format: false,
  });
  expectError(() => decodeStartupPacket(body(80877105, '')), {
    message: 'unsupported frontend protocol 1234.5681: server supports 3.0 to 3.0',
  });
});

test('bad parameter layouts', () => {
  const layout = { message: 'invalid startup packet layout: expected terminator as last byte', code: '08P01', severity: 'FATAL' };
  expectError(() => decodeStartupPacket(body(196608, '')), layout);
  expectError(() => decodeStartupPacket(body(196608, 'user\0')), layout);
  expectError(() => decodeStartupPacket(body(196608, 'user\0\0')), layout);
  expectError(() => decodeStartupPacket(body(196608, 'user')), layout);
  expectError(() => decodeStartupPacket(body(196608, 'user\0bob')), layout);
  expectError(() => decodeStartupPacket(body(196608, 'user\0bob\0')), layout);
  expectError(() => decodeStartupPacket(body(196608, 'user\0bob\0\0x')), layout);
  expectError(() => decodeStartupPacket(body(196608, '\0\0')), layout);
});
