// Frontend messages produced by pg-protocol's serializer (the oracle), framed
// with MessageFramer and decoded with decodeFrontendMessage; then malformed
// bodies, each expected to fail the way PostgreSQL reports it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serialize } from 'pg-protocol';
import { PgError } from '../errors.js';
import { MessageFramer } from './message-framer.js';
import { ProtocolError } from './protocol-error.js';
import { decodeClientText } from './client-text.js';
import {
  decodeFrontendMessage,
  decodePassword,
  decodeSASLInitialResponse,
  type FrontendMessage,
} from './frontend-messages.js';

function frameOne(bytes: Buffer): { type: number; body: Buffer } {
  const f = new MessageFramer({ mode: 'normal' });
  f.push(bytes);
  const m = f.read();
  assert.ok(m, 'a complete message');
  assert.equal(f.read(), null);
  assert.equal(f.buffered, 0);
  return m;
}

function decode(bytes: Buffer): FrontendMessage {
  const m = frameOne(bytes);
  return decodeFrontendMessage(m.type, m.body);
}

/** Builds a framed message from a type char and a raw body. */
function msg(type: string, body: Buffer | string): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(b.length + 4, 1);
  return Buffer.concat([head, b]);
}

function expectProtocolError(fn: () => unknown, message: string, severity = 'ERROR'): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtocolError, `expected ProtocolError, got ${String(e)}`);
    assert.equal(e.message, message);
    assert.equal(e.code, '08P01');
    assert.equal(e.severity, severity);
    return true;
  });
}

test('Query', () => {
  assert.deepEqual(decode(serialize.query('select 1; select ☃')), { type: 'Query', query: 'select 1; select ☃' });
  assert.deepEqual(decode(serialize.query('')), { type: 'Query', query: '' });
});

test('Parse with and without parameter types', () => {
  assert.deepEqual(decode(serialize.parse({ name: 's1', text: 'select $1, $2', types: [23, 25] })), {
    type: 'Parse',
    name: 's1',
    query: 'select $1, $2',
    paramTypes: [23, 25],
  });
  assert.deepEqual(decode(serialize.parse({ text: 'select 1' })), {
    type: 'Parse',
    name: '',
    query: 'select 1',
    paramTypes: [],
  });
  // OIDs are unsigned.
  const m = decode(msg('P', Buffer.concat([Buffer.from('\0q\0'), Buffer.from([0, 1, 0xff, 0xff, 0xff, 0xfe])])));
  assert.deepEqual(m, { type: 'Parse', name: '', query: 'q', paramTypes: [4294967294] });
});

test('Bind with text, null and binary params; params are subarrays of the frame', () => {
  const bytes = serialize.bind({
    portal: 'p1',
    statement: 's1',
    values: ['héllo', null, Buffer.from([0, 1, 2, 255]), ''],
    binary: true,
  });
  const framed = frameOne(bytes);
  const m = decodeFrontendMessage(framed.type, framed.body);
  assert.equal(m.type, 'Bind');
  if (m.type !== 'Bind') return;
  assert.equal(m.portal, 'p1');
  assert.equal(m.statement, 's1');
  assert.deepEqual(m.paramFormats, [0, 0, 1, 0]);
  assert.equal(m.params.length, 4);
  assert.equal(m.params[0]!.toString('utf8'), 'héllo');
  assert.equal(m.params[1], null);
  assert.deepEqual([...m.params[2]!], [0, 1, 2, 255]);
  assert.equal(m.params[3]!.length, 0);
  assert.deepEqual(m.resultFormats, [1]);
  // No copies: each value views the bytes handed to the framer.
  for (const p of [m.params[0]!, m.params[2]!]) {
    assert.equal(p.buffer, bytes.buffer);
    assert.ok(p.byteOffset >= bytes.byteOffset && p.byteOffset + p.length <= bytes.byteOffset + bytes.length);
  }
  const d = decode(serialize.bind({}));
  assert.deepEqual(d, { type: 'Bind', portal: '', statement: '', paramFormats: [], params: [], resultFormats: [0] });
});

test('Describe, Execute, Close', () => {
  assert.deepEqual(decode(serialize.describe({ type: 'S', name: 'stmt' })), { type: 'Describe', target: 'S', name: 'stmt' });
  assert.deepEqual(decode(serialize.describe({ type: 'P' })), { type: 'Describe', target: 'P', name: '' });
  assert.deepEqual(decode(serialize.execute({ portal: 'p1', rows: 10 })), { type: 'Execute', portal: 'p1', maxRows: 10 });
  assert.deepEqual(decode(serialize.execute()), { type: 'Execute', portal: '', maxRows: 0 });
  assert.deepEqual(decode(serialize.close({ type: 'S', name: 's1' })), { type: 'Close', target: 'S', name: 's1' });
  assert.deepEqual(decode(serialize.close({ type: 'P' })), { type: 'Close', target: 'P', name: '' });
});

test('Sync, Flush, Terminate, CopyData, CopyDone, CopyFail', () => {
  assert.deepEqual(decode(serialize.sync()), { type: 'Sync' });
  assert.deepEqual(decode(serialize.flush()), { type: 'Flush' });
  assert.deepEqual(decode(serialize.end()), { type: 'Terminate' });
  const cd = decode(serialize.copyData(Buffer.from('1\tone\n2\ttwo\n')));
  assert.equal(cd.type, 'CopyData');
  if (cd.type === 'CopyData') assert.equal(cd.data.toString(), '1\tone\n2\ttwo\n');
  assert.deepEqual(decode(serialize.copyDone()), { type: 'CopyDone' });
  assert.deepEqual(decode(serialize.copyFail('client gave up')), { type: 'CopyFail', message: 'client gave up' });
});

test("'p' bodies: password, SASLInitialResponse, SASLResponse", () => {
  const pw = decode(serialize.password('s3cret ünicode'));
  assert.equal(pw.type, 'AuthResponse');
  if (pw.type !== 'AuthResponse') return;
  assert.equal(decodePassword(pw.body), 's3cret ünicode');

  const init = decode(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'n,,n=*,r=abcdef'));
  if (init.type !== 'AuthResponse') return assert.fail();
  const sasl = decodeSASLInitialResponse(init.body);
  assert.equal(sasl.mechanism, 'SCRAM-SHA-256');
  assert.equal(sasl.data!.toString(), 'n,,n=*,r=abcdef');

  const fin = decode(serialize.sendSCRAMClientFinalMessage('c=biws,r=abcdef,p=proof'));
  if (fin.type !== 'AuthResponse') return assert.fail();
  assert.equal(fin.body.toString(), 'c=biws,r=abcdef,p=proof');

  // -1 length: no initial response data.
  const noData = Buffer.concat([Buffer.from('SCRAM-SHA-256\0'), Buffer.from([0xff, 0xff, 0xff, 0xff])]);
  assert.deepEqual(decodeSASLInitialResponse(noData), { mechanism: 'SCRAM-SHA-256', data: null });
});

test('malformed auth bodies are FATAL', () => {
  expectProtocolError(() => decodePassword(Buffer.from('abc')), 'invalid password packet size', 'FATAL');
  expectProtocolError(() => decodePassword(Buffer.from('ab\0c\0')), 'invalid password packet size', 'FATAL');
  expectProtocolError(() => decodePassword(Buffer.alloc(0)), 'invalid password packet size', 'FATAL');
  assert.equal(decodePassword(Buffer.from([0])), '');
  expectProtocolError(() => decodeSASLInitialResponse(Buffer.from('SCRAM')), 'invalid string in message', 'FATAL');
  expectProtocolError(
    () => decodeSASLInitialResponse(Buffer.from('SCRAM\0\0\0')),
    'insufficient data left in message',
    'FATAL',
  );
  expectProtocolError(
    () => decodeSASLInitialResponse(Buffer.concat([Buffer.from('M\0'), Buffer.from([0, 0, 0, 5]), Buffer.from('abc')])),
    'insufficient data left in message',
    'FATAL',
  );
  expectProtocolError(
    () => decodeSASLInitialResponse(Buffer.concat([Buffer.from('M\0'), Buffer.from([0, 0, 0, 1]), Buffer.from('ab')])),
    'invalid message format',
    'FATAL',
  );
});

test('FunctionCall is decoded', () => {
  const body = Buffer.concat([
    Buffer.from([0, 0, 0x04, 0xd2]), // oid 1234
    Buffer.from([0, 1, 0, 1]), // 1 format: binary
    Buffer.from([0, 2]), // 2 args
    Buffer.from([0, 0, 0, 2, 7, 8]),
    Buffer.from([0xff, 0xff, 0xff, 0xff]),
    Buffer.from([0, 0]), // result text
  ]);
  const m = decodeFrontendMessage(0x46, body);
  assert.equal(m.type, 'FunctionCall');
  if (m.type !== 'FunctionCall') return;
  assert.equal(m.functionOid, 1234);
  assert.deepEqual(m.argFormats, [1]);
  assert.deepEqual(
    m.args.map((a) => (a === null ? null : [...a])),
    [[7, 8], null],
  );
  assert.equal(m.resultFormat, 0);
  const negative = Buffer.from(body);
  negative.writeInt32BE(-5, 10);
  expectProtocolError(() => decodeFrontendMessage(0x46, negative), 'invalid argument size -5 in function call message');
  const mismatch = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 1])]);
  expectProtocolError(
    () => decodeFrontendMessage(0x46, mismatch),
    'function call message contains 2 argument formats but 1 arguments',
  );
});

test('unknown message type is FATAL', () => {
  expectProtocolError(() => decodeFrontendMessage(0x5a, Buffer.alloc(0)), 'invalid frontend message type 90', 'FATAL');
});

test('strings without NUL, trailing garbage, short integers', () => {
  expectProtocolError(() => decodeFrontendMessage(0x51, Buffer.from('select 1')), 'invalid string in message');
  expectProtocolError(() => decodeFrontendMessage(0x51, Buffer.alloc(0)), 'invalid string in message');
  expectProtocolError(() => decodeFrontendMessage(0x51, Buffer.from('select 1\0x')), 'invalid message format');
  expectProtocolError(() => decodeFrontendMessage(0x53, Buffer.from([0])), 'invalid message format');
  expectProtocolError(() => decodeFrontendMessage(0x48, Buffer.from([0])), 'invalid message format');
  expectProtocolError(() => decodeFrontendMessage(0x63, Buffer.from([0])), 'invalid message format');
  expectProtocolError(() => decodeFrontendMessage(0x44, Buffer.alloc(0)), 'no data left in message');
  expectProtocolError(() => decodeFrontendMessage(0x44, Buffer.from('S')), 'invalid string in message');
  expectProtocolError(() => decodeFrontendMessage(0x45, Buffer.from([0, 0])), 'insufficient data left in message');
  expectProtocolError(() => decodeFrontendMessage(0x66, Buffer.from('no nul')), 'invalid string in message');
  // Terminate is honoured whatever its body.
  assert.deepEqual(decodeFrontendMessage(0x58, Buffer.from('junk')), { type: 'Terminate' });
});

test('Describe/Close subtypes', () => {
  expectProtocolError(() => decodeFrontendMessage(0x44, Buffer.from('X\0')), 'invalid DESCRIBE message subtype 88');
  expectProtocolError(() => decodeFrontendMessage(0x43, Buffer.from('X\0')), 'invalid CLOSE message subtype 88');
  // Trailing bytes are reported before the subtype, as in PostgreSQL.
  expectProtocolError(() => decodeFrontendMessage(0x44, Buffer.from('X\0z')), 'invalid message format');
});

test('counts are unsigned 16-bit; a "negative" count runs out of data', () => {
  expectProtocolError(
    () => decodeFrontendMessage(0x50, Buffer.from([0, 0, 0xff, 0xff])),
    'insufficient data left in message',
  );
  // Bind: 0 formats, 0xffff params.
  expectProtocolError(
    () => decodeFrontendMessage(0x42, Buffer.from([0, 0, 0, 0, 0xff, 0xff])),
    'insufficient data left in message',
  );
  // Bind: 1 param with length -2.
  expectProtocolError(
    () => decodeFrontendMessage(0x42, Buffer.from([0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0, 0])),
    'insufficient data left in message',
  );
  // Bind: param length beyond the body.
  expectProtocolError(
    () => decodeFrontendMessage(0x42, Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 1, 2, 0, 0])),
    'insufficient data left in message',
  );
  // Bind: 2 formats for 1 param.
  expectProtocolError(
    () => decodeFrontendMessage(0x42, Buffer.from([0, 0, 0, 2, 0, 0, 0, 1, 0, 1, 0xff, 0xff, 0xff, 0xff, 0, 0])),
    'bind message has 2 parameter formats but 1 parameters',
  );
  // 40000 params are legal (counts are unsigned): build one with NULLs.
  const n = 40000;
  const body = Buffer.alloc(2 + 2 + 2 + n * 4 + 2, 0xff);
  body.writeUInt16BE(0, 0); // '' portal + '' statement
  body.writeUInt16BE(0, 2); // 0 formats
  body.writeUInt16BE(n, 4);
  body.writeUInt16BE(0, 6 + n * 4);
  const m = decodeFrontendMessage(0x42, body);
  assert.equal(m.type === 'Bind' && m.params.length, n);
  assert.equal(m.type === 'Bind' && m.params.every((p) => p === null), true);
});

test('every truncation of a valid message fails with a ProtocolError', () => {
  const samples = [
    serialize.query('select 1'),
    serialize.parse({ name: 'n', text: 'select $1', types: [23] }),
    serialize.bind({ portal: 'p', statement: 's', values: ['a', null, Buffer.from([1])], binary: true }),
    serialize.describe({ type: 'S', name: 'x' }),
    serialize.execute({ portal: 'p', rows: 5 }),
    serialize.close({ type: 'P', name: 'p' }),
    serialize.copyFail('bye'),
  ];
  for (const s of samples) {
    const { type, body } = frameOne(s);
    for (let cut = 0; cut < body.length; cut++) {
      assert.throws(
        () => decodeFrontendMessage(type, body.subarray(0, cut)),
        (e: unknown) => e instanceof ProtocolError && e.severity === 'ERROR',
        `${String.fromCharCode(type)} cut at ${cut}`,
      );
    }
    expectProtocolError(() => decodeFrontendMessage(type, Buffer.concat([body, Buffer.from([0])])), 'invalid message format');
  }
});

test('invalid UTF-8 in strings is rejected like PostgreSQL (22021)', () => {
  const cases: [number[], string][] = [
    [[0xff, 0], 'invalid byte sequence for encoding "UTF8": 0xff'],
    [[0x73, 0xe2, 0x82, 0], 'invalid byte sequence for encoding "UTF8": 0xe2 0x82'],
    [[0xc0, 0xaf, 0], 'invalid byte sequence for encoding "UTF8": 0xc0 0xaf'],
    [[0x61, 0xed, 0xa0, 0x80, 0], 'invalid byte sequence for encoding "UTF8": 0xed 0xa0 0x80'],
    [[0xf4, 0x90, 0x80, 0x80, 0], 'invalid byte sequence for encoding "UTF8": 0xf4 0x90 0x80 0x80'],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(
      () => decodeFrontendMessage(0x51, Buffer.from(bytes)),
      (e: unknown) => e instanceof PgError && !(e instanceof ProtocolError) && e.code === '22021' && e.message === message,
      message,
    );
  }
  // A genuine U+FFFD passes.
  assert.deepEqual(decodeFrontendMessage(0x51, Buffer.from('a\uFFFDb\0')), { type: 'Query', query: 'a\uFFFDb' });
  // Text parameters: NUL is an invalid byte too.
  assert.equal(decodeClientText(Buffer.from('ok ✓')), 'ok ✓');
  assert.throws(
    () => decodeClientText(Buffer.from([0x61, 0, 0x62])),
    (e: unknown) => e instanceof PgError && e.message === 'invalid byte sequence for encoding "UTF8": 0x00',
  );
  assert.equal(decodeClientText(Buffer.from('xa\0b'), 0, 2), 'xa');
});
