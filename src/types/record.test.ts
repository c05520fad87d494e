import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID } from './oids.js';
import { defaultIoContext } from './io-context.js';
import { PgRecord } from './record.js';
import { binaryIn, binaryOut, textIn, textOut } from './type-io.js';

const io = defaultIoContext();

test('record text output quotes fields as record_out does', () => {
  const r = new PgRecord([OID.text, OID.int8, OID.text, OID.text, OID.text], ['a b', 3n, '', null, 'x"y\\z']);
  assert.equal(textOut(OID.record, r, io), '("a b",3,"",,"x""y\\\\z")');
  assert.equal(textOut(OID.record, new PgRecord([OID.int4, OID.bool], [1, true]), io), '(1,t)');
  assert.equal(textOut(OID.record, new PgRecord([OID.text], ['(x,y)']), io), '("(x,y)")');
});

test('record binary output is field count, then type OID and length-prefixed value per field', () => {
  const b = binaryOut(OID.record, new PgRecord([OID.int4, OID.text], [7, null]), io);
  assert.deepEqual([...b], [0, 0, 0, 2, 0, 0, 0, 23, 0, 0, 0, 4, 0, 0, 0, 7, 0, 0, 0, 25, 255, 255, 255, 255]);
});

test('records cannot be read back', () => {
  assert.throws(() => textIn(OID.record, '(1,2)', -1, io), (e: { code?: string }) => e.code === '0A000');
  assert.throws(() => binaryIn(OID.record, Buffer.alloc(4), -1, io), (e: { code?: string }) => e.code === '0A000');
});
