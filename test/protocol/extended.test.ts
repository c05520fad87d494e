// Wire-protocol behaviour at the message level, driven by a raw socket
// client: the extended query protocol, ReadyForQuery states, empty
// queries, COPY TO STDOUT, notices and Terminate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../harness/server.js';
import { RawClient, frontend, names, rows, type Msg } from '../harness/raw-client.js';
import { TEST_TARGET } from '../harness/paths.js';

let server: TestServer;
const open: RawClient[] = [];

before(async () => {
  server = await startTestServer();
});

after(async () => {
  for (const c of open) c.destroy();
  await server?.stop();
});

async function session(): Promise<RawClient> {
  const c = await RawClient.connect(server.port);
  open.push(c);
  await c.startup();
  return c;
}

const tags = (msgs: Msg[]) => msgs.filter((m) => m.name === 'commandComplete').map((m) => m.text as string);
const rfq = (msgs: Msg[]) => msgs[msgs.length - 1].status as string;
function errorOf(msgs: Msg[]): Msg {
  const e = msgs.find((m) => m.name === 'error');
  assert.ok(e, `expected an ErrorResponse, got ${names(msgs).join(', ')}`);
  return e;
}

test('startup: AuthenticationOk, the PostgreSQL 11 ParameterStatus set, BackendKeyData, ReadyForQuery(I)', async () => {
  const c = await RawClient.connect(server.port);
  open.push(c);
  const msgs = await c.startup('postgres', 'postgres', { application_name: 'raw-test' });
  assert.equal(msgs[0].name, 'authenticationOk');
  const params = new Map(msgs.filter((m) => m.name === 'parameterStatus').map((m) => [m.parameterName as string, m.parameterValue as string]));
  const expected: Record<string, string> = {
    application_name: 'raw-test',
    client_encoding: 'UTF8',
    DateStyle: 'ISO, MDY',
    integer_datetimes: 'on',
    IntervalStyle: 'postgres',
    is_superuser: 'on',
    server_encoding: 'UTF8',
    session_authorization: 'postgres',
    standard_conforming_strings: 'on',
  };
  for (const [k, v] of Object.entries(expected)) assert.equal(params.get(k), v, `ParameterStatus ${k}`);
  assert.ok(params.has('TimeZone'), 'ParameterStatus TimeZone');
  assert.ok(params.has('server_version'), 'ParameterStatus server_version');
  if (TEST_TARGET === 'pipelinedb') assert.equal(params.get('server_version'), '11.22');
  const key = msgs.find((m) => m.name === 'backendKeyData');
  assert.ok(key && Number.isInteger(key.processID) && Number.isInteger(key.secretKey), 'BackendKeyData');
  assert.equal(msgs[msgs.length - 1].name, 'readyForQuery');
  assert.equal(rfq(msgs), 'I');
});

test('Execute with a row limit suspends the portal, later Executes continue it', async () => {
  const c = await session();
  c.write(
    frontend.parse({ text: 'SELECT g FROM generate_series(1, 5) AS g' }),
    frontend.bind({}),
    frontend.execute({ rows: 2 }),
    frontend.flush(),
  );
  let msgs = await c.until('portalSuspended');
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', 'dataRow', 'dataRow', 'portalSuspended']);
  assert.deepEqual(rows(msgs), [['1'], ['2']]);

  c.write(frontend.execute({ rows: 2 }), frontend.flush());
  msgs = await c.until('portalSuspended');
  assert.deepEqual(rows(msgs), [['3'], ['4']]);

  c.write(frontend.execute({ rows: 0 }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['dataRow', 'commandComplete', 'readyForQuery']);
  assert.deepEqual(rows(msgs), [['5']]);
  assert.deepEqual(tags(msgs), ['SELECT 1']);
  assert.equal(rfq(msgs), 'I');

  // Sync ended the implicit transaction, so the unnamed portal is gone
  c.write(frontend.execute({ rows: 1 }), frontend.sync());
  msgs = await c.readyForQuery();
  const err = errorOf(msgs);
  assert.equal(err.code, '34000');
  assert.equal(err.message, 'portal "" does not exist');
});

test('a row limit equal to the row count still suspends; the next Execute completes with no rows', async () => {
  const c = await session();
  c.write(frontend.parse({ text: 'SELECT 1 AS a UNION ALL SELECT 2' }), frontend.bind({}), frontend.execute({ rows: 2 }), frontend.flush());
  let msgs = await c.until('portalSuspended');
  assert.deepEqual(rows(msgs), [['1'], ['2']]);
  c.write(frontend.execute({ rows: 2 }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['commandComplete', 'readyForQuery']);
  assert.deepEqual(tags(msgs), ['SELECT 0']);
});

test('named statements and portals; Describe; Close', async () => {
  const c = await session();
  c.write(frontend.parse({ name: 's1', text: 'SELECT $1::int4 * 10 AS x, $2::text AS label' }), frontend.describe({ type: 'S', name: 's1' }), frontend.sync());
  let msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'parameterDescription', 'rowDescription', 'readyForQuery']);
  assert.deepEqual(msgs[1].dataTypeIDs, [23, 25]);
  assert.deepEqual(msgs[2].fields.map((f: any) => [f.name, f.dataTypeID, f.format]), [
    ['x', 23, 'text'],
    ['label', 25, 'text'],
  ]);

  // the named statement outlives Sync; bind it twice to named portals
  c.write(
    frontend.bind({ portal: 'p1', statement: 's1', values: ['4', 'four'] }),
    frontend.bind({ portal: 'p2', statement: 's1', values: ['5', 'five'] }),
    frontend.describe({ type: 'P', name: 'p2' }),
    frontend.execute({ portal: 'p2' }),
    frontend.execute({ portal: 'p1' }),
    frontend.sync(),
  );
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['bindComplete', 'bindComplete', 'rowDescription', 'dataRow', 'commandComplete', 'dataRow', 'commandComplete', 'readyForQuery']);
  assert.deepEqual(rows(msgs), [['50', 'five'], ['40', 'four']]);

  // Close statement -> CloseComplete; binding it afterwards fails with 26000
  c.write(frontend.close({ type: 'S', name: 's1' }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['closeComplete', 'readyForQuery']);
  c.write(frontend.bind({ statement: 's1', values: ['1', 'x'] }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.equal(errorOf(msgs).code, '26000');
  assert.equal(errorOf(msgs).message, 'prepared statement "s1" does not exist');

  // closing something that does not exist is not an error
  c.write(frontend.close({ type: 'S', name: 'never' }), frontend.close({ type: 'P', name: 'never' }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['closeComplete', 'closeComplete', 'readyForQuery']);

  // a second Parse with an existing name fails with 42P05
  c.write(frontend.parse({ name: 'dup', text: 'SELECT 1' }), frontend.parse({ name: 'dup', text: 'SELECT 2' }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'error', 'readyForQuery']);
  assert.equal(errorOf(msgs).code, '42P05');
  assert.equal(errorOf(msgs).message, 'prepared statement "dup" already exists');
});

test('a named portal inside a transaction survives Sync and can be closed', async () => {
  const c = await session();
  let msgs = await c.query('BEGIN');
  assert.equal(rfq(msgs), 'T');
  c.write(frontend.parse({ text: 'SELECT g FROM generate_series(1, 3) AS g' }), frontend.bind({ portal: 'cur' }), frontend.execute({ portal: 'cur', rows: 1 }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', 'dataRow', 'portalSuspended', 'readyForQuery']);
  assert.equal(rfq(msgs), 'T');
  c.write(frontend.execute({ portal: 'cur', rows: 1 }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(rows(msgs), [['2']]);
  c.write(frontend.close({ type: 'P', name: 'cur' }), frontend.execute({ portal: 'cur', rows: 1 }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['closeComplete', 'error', 'readyForQuery']);
  assert.equal(errorOf(msgs).code, '34000');
  assert.equal(errorOf(msgs).message, 'portal "cur" does not exist');
  assert.equal(rfq(msgs), 'E');
  msgs = await c.query('ROLLBACK');
  assert.equal(rfq(msgs), 'I');
});

test('Describe statement infers parameter types', async () => {
  const c = await session();
  const cases: [string, number[], number[], (number | undefined)[]][] = [
    // [sql, explicit Parse types, expected parameter OIDs, expected result column OIDs]
    ['SELECT $1::int + 1', [], [23], [23]],
    ['SELECT $1 + 1', [], [23], [23]],
    ['SELECT $1 || \'x\'', [], [25], [25]],
    ['SELECT $1::text, $2::numeric', [], [25, 1700], [25, 1700]],
    ['SELECT 1 WHERE $1', [], [16], [23]],
    ['SELECT $1 = 2.5', [], [1700], [16]],
    ['SELECT $1 AS v', [20], [20], [20]],
    ['SELECT $2::int8, $1::date', [], [1082, 20], [20, 1082]],
  ];
  for (const [sql, types, params, cols] of cases) {
    c.write(frontend.parse({ text: sql, types }), frontend.describe({ type: 'S', name: '' }), frontend.sync());
    const msgs = await c.readyForQuery();
    assert.deepEqual(names(msgs), ['parseComplete', 'parameterDescription', 'rowDescription', 'readyForQuery'], sql);
    assert.deepEqual(msgs[1].dataTypeIDs, params, `${sql}: parameter types`);
    assert.deepEqual(msgs[2].fields.map((f: any) => f.dataTypeID), cols, `${sql}: column types`);
  }
  // a statement without a result: ParameterDescription + NoData
  c.write(frontend.parse({ text: "SET TimeZone = 'UTC'" }), frontend.describe({ type: 'S', name: '' }), frontend.sync());
  const msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'parameterDescription', 'noData', 'readyForQuery']);
  assert.deepEqual(msgs[1].dataTypeIDs, []);
});

test('an error mid-batch skips everything up to Sync; the next batch works', async () => {
  const c = await session();
  c.write(
    frontend.parse({ text: 'SELECT 1 AS a' }),
    frontend.bind({}),
    frontend.execute({}),
    frontend.parse({ text: 'SELEC 2' }),
    frontend.bind({}),
    frontend.execute({}),
    frontend.parse({ text: 'SELECT 3' }),
    frontend.bind({}),
    frontend.execute({}),
    frontend.sync(),
  );
  let msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', 'dataRow', 'commandComplete', 'error', 'readyForQuery']);
  assert.equal(errorOf(msgs).code, '42601');
  assert.equal(errorOf(msgs).message, 'syntax error at or near "SELEC"');
  assert.equal(rfq(msgs), 'I');

  // an error while executing does the same (the division is not constant-folded at Bind)
  c.write(
    frontend.parse({ text: 'SELECT 10 / g AS q FROM generate_series($1::int4, 1) AS g' }),
    frontend.bind({ values: ['0'] }),
    frontend.execute({}),
    frontend.bind({ values: ['5'] }),
    frontend.execute({}),
    frontend.sync(),
  );
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', 'error', 'readyForQuery']);
  assert.equal(errorOf(msgs).code, '22012');

  c.write(frontend.parse({ text: 'SELECT 10 / $1::int4 AS q' }), frontend.bind({ values: ['5'] }), frontend.execute({}), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', 'dataRow', 'commandComplete', 'readyForQuery']);
  assert.deepEqual(rows(msgs), [['2']]);

  // a Bind with the wrong parameter count is an 08P01 error, not a disconnect
  c.write(frontend.parse({ text: 'SELECT $1::int4' }), frontend.bind({ values: [] }), frontend.sync());
  msgs = await c.readyForQuery();
  assert.equal(errorOf(msgs).code, '08P01');
  assert.equal(errorOf(msgs).message, 'bind message supplies 0 parameters, but prepared statement "" requires 1');
  msgs = await c.query('SELECT 1');
  assert.deepEqual(rows(msgs), [['1']]);
});

test('Flush delivers pending results without ending the batch', async () => {
  const c = await session();
  c.write(frontend.parse({ name: 'f', text: 'SELECT 42 AS v' }), frontend.flush());
  const first = await c.next();
  assert.equal(first.name, 'parseComplete');
  c.write(frontend.bind({ statement: 'f' }), frontend.execute({}), frontend.flush());
  const msgs = await c.until('commandComplete');
  assert.deepEqual(names(msgs), ['bindComplete', 'dataRow', 'commandComplete']);
  assert.deepEqual(rows(msgs), [['42']]);
  c.write(frontend.sync());
  const end = await c.readyForQuery();
  assert.deepEqual(names(end), ['readyForQuery']);
});

test('ReadyForQuery reports I, T and E', async () => {
  const c = await session();
  assert.equal(rfq(await c.query('SELECT 1')), 'I');
  assert.equal(rfq(await c.query('BEGIN')), 'T');
  assert.equal(rfq(await c.query('SELECT 1')), 'T');
  let msgs = await c.query('SELECT 1/0');
  assert.equal(errorOf(msgs).code, '22012');
  assert.equal(rfq(msgs), 'E');
  msgs = await c.query('SELECT 1');
  assert.equal(errorOf(msgs).code, '25P02');
  assert.equal(errorOf(msgs).message, 'current transaction is aborted, commands ignored until end of transaction block');
  assert.equal(rfq(msgs), 'E');
  msgs = await c.query('ROLLBACK');
  assert.deepEqual(tags(msgs), ['ROLLBACK']);
  assert.equal(rfq(msgs), 'I');
  // COMMIT of a failed transaction reports ROLLBACK
  await c.query('BEGIN');
  await c.query('SELEC');
  msgs = await c.query('COMMIT');
  assert.deepEqual(tags(msgs), ['ROLLBACK']);
  assert.equal(rfq(msgs), 'I');
  // the same through the extended protocol
  c.write(frontend.parse({ text: 'BEGIN' }), frontend.bind({}), frontend.execute({}), frontend.sync());
  msgs = await c.readyForQuery();
  assert.deepEqual(tags(msgs), ['BEGIN']);
  assert.equal(rfq(msgs), 'T');
  msgs = await c.query('COMMIT');
  assert.equal(rfq(msgs), 'I');
});

test('simple Query with several statements: one ReadyForQuery, stops at the first error', async () => {
  const c = await session();
  let msgs = await c.query('SELECT 1 AS a; SELECT 2 AS b');
  assert.deepEqual(names(msgs), ['rowDescription', 'dataRow', 'commandComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
  assert.deepEqual(rows(msgs), [['1'], ['2']]);
  // a syntax error anywhere: nothing runs
  msgs = await c.query('SELECT 1; SELEC 2; SELECT 3');
  assert.deepEqual(names(msgs), ['error', 'readyForQuery']);
  assert.equal(errorOf(msgs).position, '11');
  // a run-time error: statements before it ran, after it did not
  msgs = await c.query('SELECT 1; SELECT 1/0; SELECT 3');
  assert.deepEqual(names(msgs), ['rowDescription', 'dataRow', 'commandComplete', 'error', 'readyForQuery']);
  assert.equal(rfq(msgs), 'I');
});

test('EmptyQueryResponse for empty and comment-only queries', async () => {
  const c = await session();
  for (const sql of ['', ';', '  ', '-- nothing here', ';;']) {
    const msgs = await c.query(sql);
    assert.deepEqual(names(msgs), ['emptyQuery', 'readyForQuery'], JSON.stringify(sql));
  }
  c.write(frontend.parse({ text: '' }), frontend.bind({}), frontend.describe({ type: 'P', name: '' }), frontend.execute({}), frontend.sync());
  const msgs = await c.readyForQuery();
  assert.deepEqual(names(msgs), ['parseComplete', 'bindComplete', 'noData', 'emptyQuery', 'readyForQuery']);
});

test('COPY ... TO STDOUT in text and csv', async () => {
  const c = await session();
  let msgs = await c.query('COPY (SELECT * FROM generate_series(1, 3)) TO STDOUT');
  assert.deepEqual(names(msgs), ['copyOutResponse', 'copyData', 'copyData', 'copyData', 'copyDone', 'commandComplete', 'readyForQuery']);
  assert.equal(msgs[0].binary, false);
  assert.deepEqual(msgs[0].columnTypes, [0]);
  assert.deepEqual(msgs.filter((m) => m.name === 'copyData').map((m) => m.chunk.toString()), ['1\n', '2\n', '3\n']);
  assert.deepEqual(tags(msgs), ['COPY 3']);

  msgs = await c.query(`COPY (SELECT 1 AS a, 'x,y' AS b, NULL::text AS c, 'say "hi"' AS d) TO STDOUT WITH (FORMAT csv, HEADER)`);
  assert.deepEqual(msgs[0].columnTypes, [0, 0, 0, 0]);
  assert.deepEqual(msgs.filter((m) => m.name === 'copyData').map((m) => m.chunk.toString()), ['a,b,c,d\n', '1,"x,y",,"say ""hi"""\n']);
  assert.deepEqual(tags(msgs), ['COPY 1']);

  // text format escapes tabs, newlines and backslashes and writes NULL as \N
  msgs = await c.query(`COPY (SELECT E'a\\tb' AS t, NULL::int AS n, E'line\\nbreak\\\\' AS s) TO STDOUT`);
  assert.deepEqual(msgs.filter((m) => m.name === 'copyData').map((m) => m.chunk.toString()), ['a\\tb\t\\N\tline\\nbreak\\\\\n']);
  assert.deepEqual(tags(msgs), ['COPY 1']);
});

test('NoticeResponse: ROLLBACK outside a transaction warns with 25P01', async () => {
  const c = await session();
  const msgs = await c.query('ROLLBACK');
  assert.deepEqual(names(msgs), ['notice', 'commandComplete', 'readyForQuery']);
  assert.equal(msgs[0].severity, 'WARNING');
  assert.equal(msgs[0].code, '25P01');
  assert.equal(msgs[0].message, 'there is no transaction in progress');
  assert.deepEqual(tags(msgs), ['ROLLBACK']);
  assert.equal(rfq(msgs), 'I');
});

test('Terminate closes the connection without a reply', async () => {
  const c = await session();
  c.write(frontend.end());
  const msgs = await c.untilClosed();
  assert.deepEqual(names(msgs), []);
  assert.equal(c.isClosed, true);
});
