import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from './buffer-writer.js';

test('fluent primitives write big-endian bytes', () => {
  const w = new Writer();
  w.byte(0x41).int16(-2).int16(0x1234).int32(-1).int32(0x01020304).int32(4294967295).cstring('hi').bytes(Buffer.from([9, 8]));
  assert.equal(w.length, 1 + 2 + 2 + 4 + 4 + 4 + 3 + 2);
  assert.equal(w.take().toString('hex'), '41' + 'fffe' + '1234' + 'ffffffff' + '01020304' + 'ffffffff' + '686900' + '0908');
  assert.equal(w.length, 0);
});

test('length-prefixed strings and bytes, null as -1', () => {
  const w = new Writer();
  w.lengthPrefixedString('é').lengthPrefixedString(null).lengthPrefixedString('').lengthPrefixedBytes(Buffer.from('ab')).lengthPrefixedBytes(null);
  assert.equal(w.take().toString('hex'), '00000002c3a9' + 'ffffffff' + '00000000' + '000000026162' + 'ffffffff');
});

test('UTF-8 encoding matches Buffer.from for short and long strings', () => {
  const samples = [
    'plain ascii',
    'ü',
    'ß€𝄞',
    '\u07ff\u0800\uffff',
    '\ud83d\ude00 grin',
    'lone \ud800 high',
    'lone \udc00 low',
    'end high \ud83d',
    'x'.repeat(63) + '€',
    'y'.repeat(200) + '🐘' + 'z'.repeat(50),
    '',
  ];
  for (const s of samples) {
    const w = new Writer(256);
    w.lengthPrefixedString(s);
    const out = w.take();
    const expected = Buffer.from(s, 'utf8');
    assert.equal(out.readInt32BE(0), expected.length, JSON.stringify(s));
    assert.deepEqual(out.subarray(4), expected, JSON.stringify(s));
  }
});

test('cstring stops at an embedded NUL (short and long strings)', () => {
  const w = new Writer();
  w.cstring('ab\0cd').cstring('q'.repeat(60) + '\0tail');
  assert.deepEqual(w.take(), Buffer.concat([Buffer.from('ab\0'), Buffer.from('q'.repeat(60) + '\0')]));
});

test('messages: length patched, nested start and unmatched end rejected', () => {
  const w = new Writer();
  w.startMessage('C').cstring('SELECT 1').endMessage();
  assert.equal(w.take().toString('hex'), '43' + '0000000d' + Buffer.from('SELECT 1\0').toString('hex'));
  w.startMessage(0x5a);
  assert.throws(() => w.startMessage('Z'), /not ended/);
  assert.throws(() => w.take(), /not ended/);
  w.byte(0x49).endMessage();
  assert.throws(() => w.endMessage(), /no message started/);
  assert.equal(w.take().toString('hex'), '5a0000000549');
});

test('growth keeps untaken bytes and an open message intact', () => {
  const w = new Writer(256);
  w.startMessage('d');
  const big = Buffer.alloc(100_000, 7);
  w.bytes(big).int32(5);
  w.endMessage();
  const out = w.take();
  assert.equal(out.length, 5 + 100_004);
  assert.equal(out.readInt32BE(1), 100_008);
  assert.ok(out.subarray(5, 100_005).every((b) => b === 7));
  assert.equal(out.readInt32BE(100_005), 5);
});

test('taken buffers are never overwritten by later writes', () => {
  const w = new Writer(256);
  const taken: Buffer[] = [];
  for (let i = 0; i < 500; i++) {
    w.lengthPrefixedString('row ' + i + ' ' + 'é'.repeat(i % 40));
    taken.push(w.take());
  }
  for (let i = 0; i < 500; i++) {
    const s = 'row ' + i + ' ' + 'é'.repeat(i % 40);
    assert.equal(taken[i]!.readInt32BE(0), Buffer.byteLength(s));
    assert.equal(taken[i]!.toString('utf8', 4), s);
  }
});

test('a string longer than the free space (exact size path) grows correctly', () => {
  const w = new Writer(256);
  w.bytes(Buffer.alloc(200));
  const s = 'ö'.repeat(5000);
  w.lengthPrefixedString(s);
  const out = w.take();
  assert.equal(out.length, 200 + 4 + 10000);
  assert.equal(out.readInt32BE(200), 10000);
  assert.equal(out.toString('utf8', 204), s);
});

test('truncate rolls back a half-written message', () => {
  const w = new Writer();
  w.startMessage('C').cstring('ok').endMessage();
  const mark = w.length;
  w.startMessage('D').int16(2).lengthPrefixedString('a');
  w.truncate(mark);
  w.startMessage('Z').byte(0x49).endMessage();
  assert.equal(w.take().toString('hex'), '43000000076f6b00' + '5a0000000549');
  assert.throws(() => w.truncate(1), RangeError);
});

test('lengthPrefixedInteger writes what String() gives, for int2 / int4 / int8 values', () => {
  const w = new Writer(256);
  const check = (v: number | bigint) => {
    w.lengthPrefixedInteger(v);
    const out = w.take();
    const want = String(v);
    assert.equal(out.readInt32BE(0), want.length, `length of ${want}`);
    assert.equal(out.toString('latin1', 4), want);
  };
  for (const v of [0, -0, 1, -1, 9, 10, 99, 100, 32767, -32768, 2147483647, -2147483648, 2 ** 53 - 1, -(2 ** 53 - 1)]) check(v);
  // Not a safe integer: through String(), as the types' output functions print it.
  for (const v of [2 ** 53, -(2 ** 60), 1.5, NaN, Infinity]) check(v);
  // int8: exact past 2^53, through String().
  for (const v of [0n, -1n, 9007199254740991n, -9007199254740991n, 9007199254740992n, -9007199254740993n, 9223372036854775807n, -9223372036854775808n]) check(v);
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 20_000; i++) check(Math.floor((next() - 0.5) * 2 ** Math.floor(next() * 54)));
  // Near the end of a chunk, the writer grows first.
  const small = new Writer(256);
  small.bytes(Buffer.alloc(250));
  small.lengthPrefixedInteger(-1234567890123456);
  const out = small.take();
  assert.equal(out.toString('latin1', 254), '-1234567890123456');
});
