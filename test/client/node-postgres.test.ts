// node-postgres ('pg') against the server: typed parameters and results in
// text and binary format, named prepared statements, a row-limited portal,
// a pool under concurrency, and errors followed by good queries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestServer, type TestServer } from '../harness/server.js';
import { ALL_TYPE_CASES, SCALAR_CASES, RAW_TYPES } from '../harness/type-cases.js';
import { expectPgError, withClient } from '../harness/pg-client.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.stop();
});

/** A client in TimeZone UTC (the type cases' timestamptz text assumes it), ended afterwards. */
function withUtcClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withClient(server, async (client) => {
    await client.query("SET TimeZone = 'UTC'");
    return fn(client);
  });
}

test('text parameters, text results: every type and 1-D arrays of them', async () => {
  await withUtcClient(async (c) => {
    for (const tc of ALL_TYPE_CASES) {
      const res = await c.query({ text: `SELECT $1::${tc.type} AS v`, values: [tc.input], types: RAW_TYPES });
      assert.equal(res.fields[0].dataTypeID, tc.oid, `${tc.type}: result type OID`);
      assert.equal(res.fields[0].format, 'text');
      assert.equal(res.rows[0].v, tc.text, `${tc.type} from ${JSON.stringify(tc.input)}`);
    }
  });
});

test('binary parameters (Buffers), text results: every type and arrays', async () => {
  await withUtcClient(async (c) => {
    for (const tc of ALL_TYPE_CASES) {
      const res = await c.query({ text: `SELECT $1::${tc.type} AS v`, values: [Buffer.from(tc.binary, 'hex')], types: RAW_TYPES });
      assert.equal(res.fields[0].dataTypeID, tc.oid, `${tc.type}: result type OID`);
      assert.equal(res.rows[0].v, tc.text, `${tc.type} from binary ${tc.binary}`);
    }
  });
});

test('binary results (binary: true): exact bytes', async () => {
  // pg decodes every DataRow value as UTF-8 before handing binary values
  // over, so only values whose bytes are all ASCII survive intact; the full
  // matrix with exact bytes is test/protocol/binary-format.test.ts.
  const asciiSafe = ALL_TYPE_CASES.filter((tc) => Buffer.from(tc.binary, 'hex').every((b) => b < 0x80));
  assert.ok(asciiSafe.length >= 5, `only ${asciiSafe.length} ASCII-safe cases`);
  await withUtcClient(async (c) => {
    for (const tc of asciiSafe) {
      // `binary` is a pg query option that @types/pg does not declare
      const config = { text: `SELECT $1::${tc.type} AS v`, values: [tc.input], binary: true, types: RAW_TYPES };
      const res = await c.query(config as pg.QueryConfig);
      assert.equal(res.fields[0].format, 'binary', `${tc.type}: column format`);
      assert.equal(res.fields[0].dataTypeID, tc.oid);
      assert.equal((res.rows[0].v as Buffer).toString('hex'), tc.binary, `${tc.type} ${tc.input}`);
    }
  });
});

test('NULL parameters come back as NULL for every type', async () => {
  await withUtcClient(async (c) => {
    for (const tc of ALL_TYPE_CASES) {
      const res = await c.query({ text: `SELECT $1::${tc.type} AS v, $1::${tc.type} IS NULL AS isnull`, values: [null] });
      assert.equal(res.rows[0].v, null, tc.type);
      assert.equal(res.rows[0].isnull, true, tc.type);
    }
  });
});

test("pg's default type parsers see the right values", async () => {
  await withUtcClient(async (c) => {
    const res = await c.query(
      `SELECT 42::int4 AS i4, -7::int2 AS i2, 9007199254740993::int8 AS i8, true AS b, 1.5::float8 AS f8, 0.25::float4 AS f4,
              '12.50'::numeric AS n, '{"x": [1, 2]}'::jsonb AS jb, ARRAY[1, 2, NULL]::int4[] AS arr, ARRAY['a b', NULL, '"q"'] AS tarr,
              '\\x01ff'::bytea AS bin, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, NULL::text AS nothing`,
    );
    assert.deepEqual(res.rows[0], {
      i4: 42,
      i2: -7,
      i8: '9007199254740993',
      b: true,
      f8: 1.5,
      f4: 0.25,
      n: '12.50',
      jb: { x: [1, 2] },
      arr: [1, 2, null],
      tarr: ['a b', null, '"q"'],
      bin: Buffer.from([0x01, 0xff]),
      u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      nothing: null,
    });
    assert.deepEqual(
      res.fields.map((f) => f.dataTypeID),
      [23, 21, 20, 16, 701, 700, 1700, 3802, 1007, 1009, 17, 2950, 25],
    );
  });
});

test('parameters of several types in one statement', async () => {
  await withUtcClient(async (c) => {
    const res = await c.query({
      text: 'SELECT $1::int4 + $2::int4 AS sum, $3::text || $4::text AS cat, $5::numeric * 2 AS dbl, $6::bool AND true AS b, $7::date + 1 AS next_day',
      values: [40, '2', 'foo', 'bar', '1.25', 'yes', '2026-12-31'],
      types: RAW_TYPES,
    });
    assert.deepEqual(res.rows[0], { sum: '42', cat: 'foobar', dbl: '2.50', b: 't', next_day: '2027-01-01' });
  });
});

test('named prepared statements are parsed once and reused', async () => {
  await withUtcClient(async (c) => {
    let parses = 0;
    c.connection.on('parseComplete', () => parses++);
    for (let i = 0; i < 100; i++) {
      const add = await c.query({ name: 'add', text: 'SELECT $1::int4 + $2::int4 AS s', values: [i, i * 2] });
      assert.equal(add.rows[0].s, i * 3);
      const rep = await c.query({ name: 'rep', text: 'SELECT repeat($1::text, $2::int4) AS r', values: ['ab', i % 4] });
      assert.equal(rep.rows[0].r, 'ab'.repeat(i % 4));
    }
    assert.equal(parses, 2, 'each named statement parsed exactly once');
  });
});

/**
 * A pg "submittable" that reads a portal a few rows at a time (what
 * pg-cursor does): Parse/Bind/Describe/Execute(rows)/Flush, then one more
 * Execute per PortalSuspended, Sync after CommandComplete.
 */
class PortalReader {
  readonly batches: string[][][] = [];
  suspended = 0;
  commandTag = '';
  fieldNames: string[] = [];
  callback?: (err: Error | null) => void;
  private current: string[][] = [];
  private connection: any;
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (e: Error) => void;

  constructor(private readonly text: string, private readonly batchSize: number) {
    this.done = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }

  submit(connection: any): void {
    this.connection = connection;
    connection.parse({ text: this.text, types: [] });
    connection.bind({ portal: 'reader', statement: '', values: [] });
    connection.describe({ type: 'P', name: 'reader' });
    connection.execute({ portal: 'reader', rows: this.batchSize });
    connection.flush();
  }
  handleRowDescription(msg: any): void {
    this.fieldNames = msg.fields.map((f: any) => f.name);
  }
  handleDataRow(msg: any): void {
    this.current.push(msg.fields);
  }
  handlePortalSuspended(): void {
    this.suspended++;
    this.batches.push(this.current);
    this.current = [];
    this.connection.execute({ portal: 'reader', rows: this.batchSize });
    this.connection.flush();
  }
  handleCommandComplete(msg: any): void {
    this.batches.push(this.current);
    this.current = [];
    this.commandTag = msg.text;
    this.connection.sync();
  }
  handleEmptyQuery(): void {
    this.connection.sync();
  }
  handleError(err: Error): void {
    this.reject(err);
    this.connection?.sync();
  }
  handleReadyForQuery(): void {
    this.resolve();
  }
}

test('row-limited portal through the pg connection (cursor style)', async () => {
  await withUtcClient(async (c) => {
    const reader = new PortalReader('SELECT g, g * 10 AS tens FROM generate_series(1, 5) AS g', 2);
    c.query(reader as any);
    await reader.done;
    assert.deepEqual(reader.fieldNames, ['g', 'tens']);
    assert.deepEqual(reader.batches, [
      [['1', '10'], ['2', '20']],
      [['3', '30'], ['4', '40']],
      [['5', '50']],
    ]);
    assert.equal(reader.suspended, 2);
    assert.equal(reader.commandTag, 'SELECT 1');
    // the client is usable afterwards
    assert.equal((await c.query('SELECT 7 AS x')).rows[0].x, 7);
  });
});

test('a pool of 20 clients runs 200 concurrent queries', async () => {
  const pool = new pg.Pool({ ...server.connectionConfig, max: 20 });
  try {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => pool.query({ text: 'SELECT $1::int4 * 2 AS doubled, $2::text AS tag', values: [i, `q${i}`] })),
    );
    results.forEach((r, i) => assert.deepEqual(r.rows, [{ doubled: i * 2, tag: `q${i}` }]));
    assert.ok(pool.totalCount <= 20, `pool grew to ${pool.totalCount}`);
    assert.ok(pool.totalCount >= 2, 'queries ran on several connections');
  } finally {
    await pool.end();
  }
});

test('an erroring statement does not break the client', async () => {
  await withUtcClient(async (c) => {
    const cases: [string, unknown[] | undefined, string, string][] = [
      ['SELEC 1', undefined, '42601', 'syntax error at or near "SELEC"'],
      ['SELECT 1/0', undefined, '22012', 'division by zero'],
      ['SELECT * FROM nope', undefined, '42P01', 'relation "nope" does not exist'],
      ['SELECT no_such_function(1)', undefined, '42883', 'function no_such_function(integer) does not exist'],
      ['SELECT $1::int4 / 0', [1], '22012', 'division by zero'],
      ['SELECT 2147483647 + $1::int4', [1], '22003', 'integer out of range'],
      ['SELECT * FROM nope WHERE x = $1', [1], '42P01', 'relation "nope" does not exist'],
    ];
    for (const [sql, values, code, message] of cases) {
      await expectPgError(c.query(sql, values), code, message, { severity: 'ERROR' });
      const ok = await c.query('SELECT $1::text AS after', [sql]);
      assert.equal(ok.rows[0].after, sql);
    }
    // the syntax error carries its position (1-based, in characters)
    await assert.rejects(c.query('SELECT 1 +'), (err: any) => err.code === '42601' && err.position === '11');
    // a failed statement inside a transaction aborts it until ROLLBACK
    await c.query('BEGIN');
    await assert.rejects(c.query('SELECT 1/0'), { code: '22012' });
    await expectPgError(c.query('SELECT 1'), '25P02', 'current transaction is aborted, commands ignored until end of transaction block');
    await c.query('ROLLBACK');
    assert.equal((await c.query('SELECT 1 AS one')).rows[0].one, 1);
  });
});

test('scalar cases cover every type the suite promises', () => {
  const types = new Set(SCALAR_CASES.map((c) => c.type));
  for (const t of ['bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'text', 'varchar', 'bytea', 'date', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'uuid']) {
    assert.ok(types.has(t), t);
  }
});
