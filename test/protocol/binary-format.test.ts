// Binary-format results and parameters, byte for byte, for every type in
// the shared matrix (node-postgres cannot see binary values exactly).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.js';
import { RawClient, frontend, names, type Msg } from '../harness/raw-client.js';
import { ALL_TYPE_CASES } from '../harness/type-cases.js';

let server: TestServer;
let client: RawClient;

before(async () => {
  server = await startTestServer();
  client = await RawClient.connect(server.port);
  await client.startup();
  await client.query("SET TimeZone = 'UTC'");
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

/** Parse/Bind/Describe/Execute/Sync of `SELECT $1::<type> AS v`; returns the messages. */
function roundTrip(type: string, value: string | Buffer, binaryResult: boolean): Promise<Msg[]> {
  client.write(
    frontend.parse({ text: `SELECT $1::${type} AS v` }),
    frontend.bind({ values: [value], binary: binaryResult }),
    frontend.describe({ type: 'P', name: '' }),
    frontend.execute({}),
    frontend.sync(),
  );
  return client.readyForQuery();
}

function valueOf(msgs: Msg[], what: string): { format: string; oid: number; bytes: Buffer } {
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery'], what);
  const field = msgs[2].fields[0];
  return { format: field.format, oid: field.dataTypeID, bytes: msgs[3].buffers[0] };
}

test('text parameter, binary result: exact bytes for every type and array', async () => {
  for (const tc of ALL_TYPE_CASES) {
    const v = valueOf(await roundTrip(tc.type, tc.input, true), tc.type);
    assert.equal(v.format, 'binary', `${tc.type}: Describe reports the result format`);
    assert.equal(v.oid, tc.oid, `${tc.type}: type OID`);
    assert.equal(v.bytes.toString('hex'), tc.binary, `${tc.type} ${JSON.stringify(tc.input)}`);
  }
});

test('binary parameter, binary result: bytes survive the round trip', async () => {
  for (const tc of ALL_TYPE_CASES) {
    const v = valueOf(await roundTrip(tc.type, Buffer.from(tc.binary, 'hex'), true), tc.type);
    assert.equal(v.bytes.toString('hex'), tc.binary, tc.type);
  }
});

test('binary parameter, text result', async () => {
  for (const tc of ALL_TYPE_CASES) {
    const v = valueOf(await roundTrip(tc.type, Buffer.from(tc.binary, 'hex'), false), tc.type);
    assert.equal(v.format, 'text');
    assert.equal(v.bytes.toString('utf8'), tc.text, tc.type);
  }
});

test('malformed binary parameters are errors, and the session goes on', async () => {
  const bad: [string, string, string, string][] = [
    // [type, parameter bytes, SQLSTATE, message]
    ['int4', '0001', '08P01', 'insufficient data left in message'],
    ['int8', '00000000000000000001', '22P03', 'incorrect binary data format in bind parameter 1'],
    ['bool', '', '08P01', 'no data left in message'],
  ];
  for (const [type, hex, code, message] of bad) {
    const msgs = await roundTrip(type, Buffer.from(hex, 'hex'), false);
    assert.deepEqual(names(msgs), ['parseComplete', 'error', 'readyForQuery'], `${type} ${hex}`);
    const err = msgs[1];
    assert.equal(err.severity, 'ERROR');
    assert.equal(err.code, code, `${type} ${hex}: ${err.message}`);
    assert.equal(err.message, message, `${type} ${hex}`);
  }
  const ok = valueOf(await roundTrip('int4', Buffer.from('0000002a', 'hex'), false), 'int4');
  assert.equal(ok.bytes.toString(), '42');
});

test('per-column result formats: text for one column, binary for the other', async () => {
  // pg-protocol's serializer only sets one format for all columns, so build Bind by hand:
  // portal "", statement "", 0 param formats, 0 params, 2 result formats [0, 1]
  const body = Buffer.from([0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1]);
  const head = Buffer.alloc(5);
  head[0] = 0x42;
  head.writeInt32BE(body.length + 4, 1);
  client.write(
    frontend.parse({ text: 'SELECT 258::int4 AS t, 258::int4 AS b' }),
    Buffer.concat([head, body]),
    frontend.describe({ type: 'P', name: '' }),
    frontend.execute({}),
    frontend.sync(),
  );
  const msgs = await client.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
  assert.deepEqual(msgs[2].fields.map((f: any) => f.format), ['text', 'binary']);
  assert.equal(msgs[3].buffers[0].toString(), '258');
  assert.equal(msgs[3].buffers[1].toString('hex'), '00000102');
});
