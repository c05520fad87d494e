import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCoercion, compileValueCoercion, type IngestColumn } from './stream-coercion.js';
import { OID } from '../types/oids.js';
import { numericTypmod, parseNumeric, formatNumeric } from '../types/numeric.js';
import { varcharTypmod } from '../types/text.js';
import { Numeric } from '../types/values.js';
import { evalContext } from '../sql/select/test-support.js';
import '../sql/builtins.js';

const ctx = evalContext({ now: 837_000_000_000_000 });
const col = (name: string, typeOid: number, typmod = -1): IngestColumn => ({ name, typeOid, typmod });

const id = col('id', OID.int4);
const v3 = col('code', OID.varchar, varcharTypmod(3));
const num52 = col('price', OID.numeric, numericTypmod(5, 2));

test('text input: integers with PostgreSQL 11 messages', () => {
  const f = compileValueCoercion(id, OID.unknown);
  assert.equal(f('42', ctx), 42);
  assert.equal(f('  -7 ', ctx), -7);
  assert.throws(() => f('x', ctx), { code: '22P02', message: 'invalid input syntax for integer: "x"' });
  assert.throws(() => f('', ctx), { code: '22P02', message: 'invalid input syntax for integer: ""' });
  assert.throws(() => f('2147483648', ctx), { code: '22003', message: 'value "2147483648" is out of range for type integer' });
});

test('text input applies the column typmod', () => {
  const v = compileValueCoercion(v3, OID.unknown);
  assert.equal(v('ab', ctx), 'ab');
  assert.equal(v('abc   ', ctx), 'abc'); // only spaces are cut
  assert.throws(() => v('abcd', ctx), { code: '22001', message: 'value too long for type character varying(3)' });
  const n = compileValueCoercion(num52, OID.unknown);
  assert.equal(formatNumeric(n('1.005', ctx) as Numeric), '1.01');
  assert.throws(() => n('1234', ctx), { code: '22003', message: 'numeric field overflow' });
  const bp = compileValueCoercion(col('c', OID.bpchar, varcharTypmod(4)), OID.unknown);
  assert.equal(bp('ab', ctx), 'ab  ');
});

test("text input sees the transaction's 'now' and the session time zone", () => {
  const ts = compileValueCoercion(col('t', OID.timestamptz), OID.unknown);
  assert.equal(ts('now', ctx), 837_000_000_000_000);
  assert.equal(ts('2000-01-01 00:00:01+00', ctx), 1_000_000);
  const ny = evalContext({ io: { timeZone: 'America/New_York' } });
  assert.equal(ts('2000-01-01 00:00:00', ny), 5 * 3_600_000_000);
  assert.equal(ts('infinity', ctx), Infinity);
});

test('typed values take assignment casts', () => {
  assert.equal(compileValueCoercion(col('b', OID.int8), OID.int4)(5, ctx), 5n);
  assert.equal(compileValueCoercion(id, OID.numeric)(parseNumeric('2.5'), ctx), 3);
  assert.equal(compileValueCoercion(id, OID.float8)(2.5, ctx), 2); // rint: half to even
  assert.equal(compileValueCoercion(id, OID.int8)(-5n, ctx), -5);
  assert.throws(() => compileValueCoercion(id, OID.int8)(2n ** 31n, ctx), { code: '22003', message: 'integer out of range' });
  assert.equal(compileValueCoercion(col('t', OID.text), OID.int4)(12, ctx), '12');
  assert.throws(() => compileValueCoercion(v3, OID.int4)(1234, ctx), { code: '22001', message: 'value too long for type character varying(3)' });
  assert.equal(compileValueCoercion(v3, OID.text)('abc ', ctx), 'abc');
  assert.equal(formatNumeric(compileValueCoercion(num52, OID.float8)(3.14159, ctx) as Numeric), '3.14');
  assert.equal(compileValueCoercion(col('ts', OID.timestamptz), OID.date)(1, ctx), 86_400_000_000);
});

test('no assignment cast: 42804 with the hint', () => {
  assert.throws(() => compileValueCoercion(id, OID.bool), {
    code: '42804',
    message: 'column "id" is of type integer but expression is of type boolean',
    hint: 'You will need to rewrite or cast the expression.',
  });
  assert.throws(() => compileValueCoercion(id, OID.text, 20), (e: any) => {
    assert.equal(e.message, 'column "id" is of type integer but expression is of type text');
    assert.equal(e.position, 21);
    return true;
  });
  assert.throws(() => compileValueCoercion(col('d', OID.date), OID.int4), { message: 'column "d" is of type date but expression is of type integer' });
  // any type -> string types is an assignment (I/O) cast; the length check still applies
  assert.throws(() => compileValueCoercion(v3, OID.date)(0, ctx), { code: '22001', message: 'value too long for type character varying(3)' });
  assert.equal(compileValueCoercion(col('s', OID.varchar, varcharTypmod(10)), OID.date)(0, ctx), '2000-01-01');
});

test('rows: NULLs pass, output array reused, CONTEXT added on error', () => {
  const cols = [id, v3, col('t', OID.text)];
  const f = compileCoercion(cols, [OID.unknown, OID.unknown, OID.unknown], {
    errorContext: (i, v) => `COPY s, line 3, column ${cols[i]!.name}: "${v}"`,
  });
  const out: unknown[] = [];
  assert.equal(f(['1', null, 'x'], ctx, out), out);
  assert.deepEqual(out, [1, null, 'x']);
  assert.deepEqual(f([undefined, 'ab', ''], ctx), [null, 'ab', '']);
  assert.throws(() => f(['1', 'abcd', 'x'], ctx), {
    code: '22001',
    where: 'COPY s, line 3, column code: "abcd"',
  });
  const j = compileCoercion([col('j', OID.json)], [OID.unknown], { errorContext: () => 'COPY s, line 1, column j: "{"' });
  assert.throws(() => j(['{'], ctx), (e: any) => {
    assert.equal(e.code, '22P02');
    assert.match(e.where, /^JSON data, line 1: \{\nCOPY s, line 1, column j: "\{"$/);
    return true;
  });
});

test('rows of typed values; identical types pass through untouched', () => {
  const f = compileCoercion([id, col('b', OID.int8), v3], [OID.int4, OID.int4, OID.varchar]);
  assert.deepEqual(f([1, 2, 'ab'], ctx), [1, 2n, 'ab']);
  assert.throws(() => f([1, 2, 'abcd'], ctx), { code: '22001' });
  assert.throws(() => compileCoercion([id], [OID.bool]), { code: '42804' });
  assert.throws(() => compileCoercion([id], []), { code: 'XX000' });
});
