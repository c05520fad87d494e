// Backend messages written with our Writer, read back with pg-protocol's
// client-side parser (the oracle), plus byte-level checks for what
// pg-protocol does not parse (V field, NegotiateProtocolVersion, SSL byte).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'pg-protocol/dist/parser.js';
import { PgError, SQLSTATE } from '../errors.js';
import { Writer } from './buffer-writer.js';
import * as be from './backend-messages.js';

// pg-protocol's message classes vary per type; the tests look at fields by name.
type Parsed = Record<string, any>;

function parseAll(buf: Buffer): Parsed[] {
  const out: Parsed[] = [];
  new Parser().parse(buf, (m) => out.push(m as unknown as Parsed));
  return out;
}

function one(write: (w: Writer) => void): Parsed {
  const w = new Writer();
  write(w);
  const msgs = parseAll(w.take());
  assert.equal(msgs.length, 1);
  return msgs[0]!;
}

/** Splits an ErrorResponse/NoticeResponse body into [code, value] pairs in order. */
function errorFields(buf: Buffer): [string, string][] {
  const out: [string, string][] = [];
  let p = 5;
  while (buf[p] !== 0) {
    const code = String.fromCharCode(buf[p]!);
    const end = buf.indexOf(0, p + 1);
    out.push([code, buf.toString('utf8', p + 1, end)]);
    p = end + 1;
  }
  assert.equal(p, buf.length - 1);
  assert.equal(buf.readInt32BE(1), buf.length - 1);
  return out;
}

test('authentication requests', () => {
  assert.equal(one((w) => be.authenticationOk(w)).name, 'authenticationOk');
  assert.equal(one((w) => be.authenticationCleartextPassword(w)).name, 'authenticationCleartextPassword');
  const md5 = one((w) => be.authenticationMD5Password(w, Buffer.from([1, 2, 250, 4])));
  assert.equal(md5.name, 'authenticationMD5Password');
  assert.deepEqual([...md5.salt], [1, 2, 250, 4]);
  assert.throws(() => be.authenticationMD5Password(new Writer(), Buffer.alloc(3)), RangeError);

  const sasl = one((w) => be.authenticationSASL(w, ['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS']));
  assert.equal(sasl.name, 'authenticationSASL');
  assert.deepEqual(sasl.mechanisms, ['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS']);

  const cont = one((w) => be.authenticationSASLContinue(w, Buffer.from('r=abc,s=c2FsdA==,i=4096')));
  assert.equal(cont.name, 'authenticationSASLContinue');
  assert.equal(cont.data, 'r=abc,s=c2FsdA==,i=4096');
  const fin = one((w) => be.authenticationSASLFinal(w, Buffer.from('v=xyz=')));
  assert.equal(fin.name, 'authenticationSASLFinal');
  assert.equal(fin.data, 'v=xyz=');
});

test('authenticationOk exact bytes', () => {
  const w = new Writer();
  be.authenticationOk(w);
  assert.equal(w.take().toString('hex'), '520000000800000000');
});

test('parameterStatus, backendKeyData, readyForQuery', () => {
  const ps = one((w) => be.parameterStatus(w, 'client_encoding', 'UTF8'));
  assert.equal(ps.name, 'parameterStatus');
  assert.equal(ps.parameterName, 'client_encoding');
  assert.equal(ps.parameterValue, 'UTF8');

  const k = one((w) => be.backendKeyData(w, 4242, -123456789));
  assert.equal(k.name, 'backendKeyData');
  assert.equal(k.processID, 4242);
  assert.equal(k.secretKey, -123456789);

  for (const s of ['I', 'T', 'E'] as const) {
    const z = one((w) => be.readyForQuery(w, s));
    assert.equal(z.name, 'readyForQuery');
    assert.equal(z.status, s);
  }
});

test('rowDescription with every field, including OIDs above 2^31', () => {
  const fields: be.FieldDescription[] = [
    { name: 'id', tableOid: 16384, columnAttr: 1, typeOid: 23, typeLen: 4, typeMod: -1, format: 0 },
    { name: 'naïve ✓', tableOid: 0, columnAttr: 0, typeOid: 1043, typeLen: -1, typeMod: 68, format: 0 },
    { name: 'b', tableOid: 3000000000, columnAttr: 32767, typeOid: 4294967295, typeLen: -2, typeMod: 0, format: 1 },
  ];
  const t = one((w) => be.rowDescription(w, fields));
  assert.equal(t.name, 'rowDescription');
  assert.equal(t.fieldCount, 3);
  const got = t.fields.map((f: Parsed) => ({
    name: f.name,
    tableOid: f.tableID,
    columnAttr: f.columnID,
    typeOid: f.dataTypeID,
    typeLen: f.dataTypeSize,
    typeMod: f.dataTypeModifier,
    format: f.format === 'binary' ? 1 : 0,
  }));
  assert.deepEqual(got, fields);
  const empty = one((w) => be.rowDescription(w, []));
  assert.equal(empty.fieldCount, 0);
});

test('dataRow: nulls, empty strings, UTF-8, buffers', () => {
  const values = ['1', null, '', 'héllo wörld', '日本語', '🐘 elephant', Buffer.from('raw'), 'x'.repeat(100) + 'é'];
  const d = one((w) => be.dataRow(w, values));
  assert.equal(d.name, 'dataRow');
  assert.deepEqual(d.fields, ['1', null, '', 'héllo wörld', '日本語', '🐘 elephant', 'raw', 'x'.repeat(100) + 'é']);
  assert.deepEqual(one((w) => be.dataRow(w, [])).fields, []);
});

test('dataRow exact bytes for null and text', () => {
  const w = new Writer();
  be.dataRow(w, [null, 'ab']);
  // 'D', len 16, count 2, -1, len 2, "ab"
  assert.equal(w.take().toString('hex'), '44' + '00000010' + '0002' + 'ffffffff' + '00000002' + '6162');
});

test('many rows in one buffer parse back in order', () => {
  const w = new Writer(256);
  be.rowDescription(w, [{ name: 'n', tableOid: 0, columnAttr: 0, typeOid: 23, typeLen: 4, typeMod: -1, format: 0 }]);
  for (let i = 0; i < 2000; i++) be.dataRow(w, [String(i), i % 7 === 0 ? null : 'v' + i]);
  be.commandComplete(w, 'SELECT 2000');
  be.readyForQuery(w, 'I');
  const msgs = parseAll(w.take());
  assert.equal(msgs.length, 2003);
  for (let i = 0; i < 2000; i++) assert.deepEqual(msgs[i + 1]!.fields, [String(i), i % 7 === 0 ? null : 'v' + i]);
  assert.equal(msgs[2001]!.text, 'SELECT 2000');
  assert.equal(msgs[2002]!.status, 'I');
});

test('commandComplete, emptyQueryResponse and the empty messages', () => {
  const c = one((w) => be.commandComplete(w, 'INSERT 0 5'));
  assert.equal(c.name, 'commandComplete');
  assert.equal(c.text, 'INSERT 0 5');
  assert.equal(one((w) => be.emptyQueryResponse(w)).name, 'emptyQuery');
  assert.equal(one((w) => be.parseComplete(w)).name, 'parseComplete');
  assert.equal(one((w) => be.bindComplete(w)).name, 'bindComplete');
  assert.equal(one((w) => be.closeComplete(w)).name, 'closeComplete');
  assert.equal(one((w) => be.noData(w)).name, 'noData');
  assert.equal(one((w) => be.portalSuspended(w)).name, 'portalSuspended');
  assert.equal(one((w) => be.copyDone(w)).name, 'copyDone');
});

test('errorResponse: every field, in PostgreSQL order', () => {
  const err = new PgError(SQLSTATE.unique_violation, 'duplicate key value violates unique constraint "t_pkey"', {
    detail: 'Key (a)=(1) already exists.',
    hint: 'a hint',
    position: 8,
    internalPosition: 14,
    internalQuery: 'select 1/0',
    where: 'PL/pgSQL function f() line 1',
    schema: 'public',
    table: 't',
    column: 'a',
    dataType: 'int4',
    constraint: 't_pkey',
  });
  const w = new Writer();
  be.errorResponse(w, err);
  const buf = w.take();
  const e = parseAll(buf)[0]!;
  assert.equal(e.name, 'error');
  assert.equal(e.message, 'duplicate key value violates unique constraint "t_pkey"');
  assert.equal(e.severity, 'ERROR');
  assert.equal(e.code, '23505');
  assert.equal(e.detail, 'Key (a)=(1) already exists.');
  assert.equal(e.hint, 'a hint');
  assert.equal(e.position, '8');
  assert.equal(e.internalPosition, '14');
  assert.equal(e.internalQuery, 'select 1/0');
  assert.equal(e.where, 'PL/pgSQL function f() line 1');
  assert.equal(e.schema, 'public');
  assert.equal(e.table, 't');
  assert.equal(e.column, 'a');
  assert.equal(e.dataType, 'int4');
  assert.equal(e.constraint, 't_pkey');
  assert.equal(e.file, undefined);
  assert.deepEqual(
    errorFields(buf).map(([c]) => c),
    ['S', 'V', 'C', 'M', 'D', 'H', 'W', 's', 't', 'c', 'd', 'n', 'P', 'p', 'q'],
  );
  assert.deepEqual(errorFields(buf)[1], ['V', 'ERROR']);
});

test('errorResponse: minimal error, file/line/routine when given, position 0 omitted', () => {
  const w = new Writer();
  be.errorResponse(w, { severity: 'FATAL', code: '08P01', message: 'invalid frontend message type 90', position: 0 });
  const buf = w.take();
  assert.deepEqual(errorFields(buf), [
    ['S', 'FATAL'],
    ['V', 'FATAL'],
    ['C', '08P01'],
    ['M', 'invalid frontend message type 90'],
  ]);
  be.errorResponse(w, { severity: 'ERROR', code: '22012', message: 'division by zero', file: 'int.c', line: 869, routine: 'int4div' });
  const e = parseAll(w.take())[0]!;
  assert.equal(e.file, 'int.c');
  assert.equal(e.line, '869');
  assert.equal(e.routine, 'int4div');
});

test('errorResponse bytes equal ones captured from PostgreSQL 15', () => {
  const captured = [
    'SERROR\0VERROR\0C23505\0Mduplicate key value violates unique constraint "tt_pkey"\0DKey (a)=(1) already exists.\0' +
      'spublic\0ttt\0ntt_pkey\0Fnbtinsert.c\0L664\0R_bt_check_unique\0\0',
    'SERROR\0VERROR\0C42703\0Mcolumn "nosuch" does not exist\0WPL/pgSQL function inline_code_block line 1 at EXECUTE\0' +
      'p14\0qselect 1/0 + nosuch\0Fparse_relation.c\0L3665\0RerrorMissingColumn\0\0',
  ];
  const w = new Writer();
  be.errorResponse(w, {
    severity: 'ERROR',
    code: '23505',
    message: 'duplicate key value violates unique constraint "tt_pkey"',
    detail: 'Key (a)=(1) already exists.',
    schema: 'public',
    table: 'tt',
    constraint: 'tt_pkey',
    file: 'nbtinsert.c',
    line: 664,
    routine: '_bt_check_unique',
  });
  be.errorResponse(w, {
    severity: 'ERROR',
    code: '42703',
    message: 'column "nosuch" does not exist',
    where: 'PL/pgSQL function inline_code_block line 1 at EXECUTE',
    internalPosition: 14,
    internalQuery: 'select 1/0 + nosuch',
    file: 'parse_relation.c',
    line: '3665',
    routine: 'errorMissingColumn',
  });
  const expected = Buffer.concat(
    captured.map((body) => {
      const b = Buffer.from(body, 'utf8');
      const head = Buffer.alloc(5);
      head[0] = 0x45;
      head.writeInt32BE(b.length + 4, 1);
      return Buffer.concat([head, b]);
    }),
  );
  assert.deepEqual(w.take(), expected);
});

test('noticeResponse', () => {
  const n = one((w) =>
    be.noticeResponse(w, { severity: 'NOTICE', code: '00000', message: 'table "x" does not exist, skipping' }),
  );
  assert.equal(n.name, 'notice');
  assert.equal(n.severity, 'NOTICE');
  assert.equal(n.code, '00000');
  assert.equal(n.message, 'table "x" does not exist, skipping');
});

test('parameterDescription with unsigned OIDs', () => {
  const t = one((w) => be.parameterDescription(w, [23, 25, 0, 4000000000]));
  assert.equal(t.name, 'parameterDescription');
  assert.deepEqual(t.dataTypeIDs, [23, 25, 0, 4000000000]);
});

test('copyInResponse, copyOutResponse, copyData', () => {
  const i = one((w) => be.copyInResponse(w, 0, [0, 0, 0]));
  assert.equal(i.name, 'copyInResponse');
  assert.equal(i.binary, false);
  assert.deepEqual(i.columnTypes, [0, 0, 0]);
  const o = one((w) => be.copyOutResponse(w, 1, [1, 1]));
  assert.equal(o.name, 'copyOutResponse');
  assert.equal(o.binary, true);
  assert.deepEqual(o.columnTypes, [1, 1]);
  const d = one((w) => be.copyData(w, Buffer.from('1\tfoo\n')));
  assert.equal(d.name, 'copyData');
  assert.equal(d.chunk.toString(), '1\tfoo\n');
});

test('notificationResponse', () => {
  const a = one((w) => be.notificationResponse(w, 77, 'chan', 'pay ✓'));
  assert.equal(a.name, 'notification');
  assert.equal(a.processId, 77);
  assert.equal(a.channel, 'chan');
  assert.equal(a.payload, 'pay ✓');
});

test('negotiateProtocolVersion bytes match PostgreSQL', () => {
  const w = new Writer();
  be.negotiateProtocolVersion(w, 0, ['_pq_.foo', '_pq_.bar']);
  // Captured from PostgreSQL 15 for a 3.2 startup with these two options.
  assert.equal(w.take().toString('hex'), '76' + '0000001e' + '00030000000000025f70715f2e666f6f005f70715f2e62617200');
});

test('SSL / GSSENC one-byte answers and the protocol-2 error', () => {
  const w = new Writer();
  be.sslResponse(w, false);
  be.sslResponse(w, true);
  be.gssEncResponse(w, false);
  be.gssEncResponse(w, true);
  assert.equal(w.take().toString('latin1'), 'NSNG');
  be.protocol2ErrorResponse(w, { severity: 'FATAL', message: 'unsupported frontend protocol 2.0: server supports 3.0 to 3.0' });
  assert.equal(w.take().toString('latin1'), 'EFATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0\n\0');
});
