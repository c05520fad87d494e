// One value per built-in type with its exact PostgreSQL text and binary
// wire forms, shared by the node-postgres suite and the raw binary-format
// suite. Values are chosen so PostgreSQL 11 and 15 print them identically
// with the server defaults a driver sees (DateStyle ISO, extra_float_digits
// 0 on 11 / 1 on 15, TimeZone set to UTC by the test).

export interface TypeCase {
  /** Type name as written in the cast `$1::<type>`. */
  type: string;
  /** OID of the result column. */
  oid: number;
  /** Text-format parameter value. */
  input: string;
  /** Expected text output. */
  text: string;
  /** Expected binary output, hex. Also sent as the binary parameter. */
  binary: string;
}

interface ScalarCase extends TypeCase {
  /** OID of the array type over this type. */
  arrayOid: number;
}

const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b.toString('hex');
};

export const SCALAR_CASES: ScalarCase[] = [
  { type: 'bool', oid: 16, arrayOid: 1000, input: 'true', text: 't', binary: '01' },
  { type: 'int2', oid: 21, arrayOid: 1005, input: '-2', text: '-2', binary: 'fffe' },
  { type: 'int4', oid: 23, arrayOid: 1007, input: '-2147483648', text: '-2147483648', binary: '80000000' },
  { type: 'int8', oid: 20, arrayOid: 1016, input: '9223372036854775807', text: '9223372036854775807', binary: '7fffffffffffffff' },
  { type: 'float4', oid: 700, arrayOid: 1021, input: '0.1', text: '0.1', binary: '3dcccccd' },
  { type: 'float8', oid: 701, arrayOid: 1022, input: '0.1', text: '0.1', binary: '3fb999999999999a' },
  // numeric binary: ndigits, weight, sign, dscale, then base-10000 digits (trailing zero groups dropped)
  { type: 'numeric', oid: 1700, arrayOid: 1231, input: '12345.678900', text: '12345.678900', binary: '0003' + '0001' + '0000' + '0006' + '0001' + '0929' + '1a85' },
  { type: 'numeric', oid: 1700, arrayOid: 1231, input: '-0.5', text: '-0.5', binary: '0001' + 'ffff' + '4000' + '0001' + '1388' },
  { type: 'text', oid: 25, arrayOid: 1009, input: 'héllo wörld', text: 'héllo wörld', binary: Buffer.from('héllo wörld').toString('hex') },
  { type: 'varchar', oid: 1043, arrayOid: 1015, input: 'abc', text: 'abc', binary: '616263' },
  { type: 'bytea', oid: 17, arrayOid: 1001, input: '\\x00ff10', text: '\\x00ff10', binary: '00ff10' },
  // date: days since 2000-01-01; timestamps: microseconds since 2000-01-01 00:00 (UTC for timestamptz)
  { type: 'date', oid: 1082, arrayOid: 1182, input: '2026-03-05', text: '2026-03-05', binary: '00002558' },
  { type: 'timestamp', oid: 1114, arrayOid: 1115, input: '2026-03-05 12:34:56.789', text: '2026-03-05 12:34:56.789', binary: '0002ef44eecf2608' },
  { type: 'timestamptz', oid: 1184, arrayOid: 1185, input: '2026-03-05 14:34:56.789+02', text: '2026-03-05 12:34:56.789+00', binary: '0002ef44eecf2608' },
  // interval: int64 microseconds, int32 days, int32 months
  { type: 'interval', oid: 1186, arrayOid: 1187, input: '1 day 02:03:04.5', text: '1 day 02:03:04.5', binary: '00000001b8268720' + '00000001' + '00000000' },
  { type: 'interval', oid: 1186, arrayOid: 1187, input: 'P1Y2M3DT4H5M6S', text: '1 year 2 mons 3 days 04:05:06', binary: '000000036c8bc080' + '00000003' + '0000000e' },
  { type: 'json', oid: 114, arrayOid: 199, input: '{"b": 1,  "a": [1, 2]}', text: '{"b": 1,  "a": [1, 2]}', binary: Buffer.from('{"b": 1,  "a": [1, 2]}').toString('hex') },
  // jsonb binary: version byte 1, then the normalized text
  { type: 'jsonb', oid: 3802, arrayOid: 3807, input: '{"b": 1,  "a": [1, 2]}', text: '{"a": [1, 2], "b": 1}', binary: '01' + Buffer.from('{"a": [1, 2], "b": 1}').toString('hex') },
  { type: 'uuid', oid: 2950, arrayOid: 2951, input: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', text: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', binary: 'a0eebc999c0b4ef8bb6d6bb9bd380a11' },
];

/** Quotes an array element the way array_out does. */
export function quoteArrayElement(s: string): string {
  let needs = s.length === 0 || s.toUpperCase() === 'NULL';
  for (let i = 0; i < s.length && !needs; i++) {
    const c = s[i];
    needs = c === '{' || c === '}' || c === ',' || c === '"' || c === '\\' || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
  }
  if (!needs) return s;
  let out = '"';
  for (const c of s) out += c === '"' || c === '\\' ? '\\' + c : c;
  return out + '"';
}

/** Binary form of a 1-D array (lower bound 1) of the given element OID. */
export function binaryArray(elementOid: number, elements: (string | null)[]): string {
  const hasNull = elements.some((e) => e === null) ? 1 : 0;
  let hex = i32(1) + i32(hasNull) + i32(elementOid) + i32(elements.length) + i32(1);
  for (const e of elements) hex += e === null ? 'ffffffff' : i32(e.length / 2) + e;
  return hex;
}

/** `{value,NULL}` of every scalar case. */
export const ARRAY_CASES: TypeCase[] = SCALAR_CASES.map((c) => ({
  type: `${c.type}[]`,
  oid: c.arrayOid,
  input: `{${quoteArrayElement(c.input)},NULL}`,
  text: `{${quoteArrayElement(c.text)},NULL}`,
  binary: binaryArray(c.oid, [c.binary, null]),
}));

export const ALL_TYPE_CASES: TypeCase[] = [...SCALAR_CASES, ...ARRAY_CASES];

/** A type parser set that hands back raw values: strings for text columns, Buffers for binary ones. */
export const RAW_TYPES = { getTypeParser: () => (value: string | Buffer) => value };
