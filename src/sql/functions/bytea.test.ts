// Expected values come from PostgreSQL (15 as the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './index.js';
import { PgError } from '../../errors.js';
import { OID } from '../../types/oids.js';
import { call } from './test-support.js';

const { bytea, text, int4, name } = OID;
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: unknown) => Buffer.from(b as Uint8Array).toString('hex');
function pgError(code: string, message: string) {
  return (e: unknown) => e instanceof PgError && e.code === code && e.message === message;
}

test('encode', () => {
  assert.equal(call('encode', [bytea, text], [hex('00016162ff5c27'), 'escape']), "\\000\x01ab\\377\\\\'");
  assert.equal(call('encode', [bytea, text], [hex('6869'), 'HEX']), '6869');
  const long = new TextEncoder().encode('hello world this is a long string that exceeds seventy six characters in base64 output');
  assert.equal(
    call('encode', [bytea, text], [long, 'base64']),
    'aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxvbmcgc3RyaW5nIHRoYXQgZXhjZWVkcyBzZXZlbnR5IHNp\neCBjaGFyYWN0ZXJzIGluIGJhc2U2NCBvdXRwdXQ=',
  );
  assert.throws(() => call('encode', [bytea, text], [hex('61'), 'foo']), pgError('22023', 'unrecognized encoding: "foo"'));
});

test('decode', () => {
  assert.equal(toHex(call('decode', [text, text], ['aGVsbG8=', 'base64'])), '68656c6c6f');
  assert.equal(toHex(call('decode', [text, text], ['61 62', 'hex'])), '6162');
  assert.equal(toHex(call('decode', [text, text], ['a\\000\\\\b', 'escape'])), '61005c62');
  assert.throws(() => call('decode', [text, text], ['6', 'hex']), pgError('22023', 'invalid hexadecimal data: odd number of digits'));
  assert.throws(() => call('decode', [text, text], ['zz', 'hex']), pgError('22023', 'invalid hexadecimal digit: "z"'));
  assert.throws(() => call('decode', [text, text], ['a', 'base64']), pgError('22023', 'invalid base64 end sequence'));
  assert.throws(() => call('decode', [text, text], ['a=b=', 'base64']), pgError('22023', 'unexpected "=" while decoding base64 sequence'));
});

test('convert_from / convert_to', () => {
  assert.equal(call('convert_from', [bytea, name], [hex('c3a9'), 'UTF8']), 'é');
  assert.equal(call('convert_from', [bytea, name], [hex('e9'), 'LATIN1']), 'é');
  assert.equal(toHex(call('convert_to', [text, name], ['é', 'utf8'])), 'c3a9');
  assert.equal(toHex(call('convert_to', [text, name], ['é', 'latin1'])), 'e9');
  assert.throws(() => call('convert_from', [bytea, name], [hex('ff'), 'UTF8']), pgError('22021', 'invalid byte sequence for encoding "UTF8": 0xff'));
  assert.throws(() => call('convert_from', [bytea, name], [hex('61'), 'FOO']), pgError('22023', 'invalid source encoding name "FOO"'));
});

test('md5 and bytea string functions', () => {
  assert.equal(call('md5', [text], ['abc']), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(call('md5', [text], ['']), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.equal(call('md5', [bytea], [hex('00')]), '93b885adfe0da089cdf634904fd59f71');
  assert.equal(call('get_byte', [bytea, int4], [hex('0102'), 1]), 2);
  assert.equal(toHex(call('substr', [bytea, int4, int4], [hex('010203'), 2, 1])), '02');
  assert.equal(toHex(call('btrim', [bytea, bytea], [hex('0001020100'), hex('00')])), '010201');
  assert.equal(call('position', [bytea, bytea], [hex('010203'), hex('02')]), 2);
  assert.equal(call('length', [bytea], [hex('0102')]), 2);
  assert.equal(toHex(call('overlay', [bytea, bytea, int4], [hex('010203'), hex('ff'), 2])), '01ff03');
  assert.throws(() => call('get_byte', [bytea, int4], [hex('01'), 1]), pgError('2202E', 'index 1 out of valid range, 0..0'));
});
