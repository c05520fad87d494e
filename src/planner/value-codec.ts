// Exact binary encodings of non-null SQL values, per type, for aggregate
// states: a value read back is indistinguishable from the one written
// (numeric keeps its display scale, intervals their three fields, floats
// their sign of zero and every bit of NaN-free doubles).
import { formatJsonb, parseJsonb, type Jsonb } from '../types/jsonb.js';
import { PgError } from '../errors.js';
import { OID } from '../types/oids.js';
import { Dec, Interval, Numeric } from '../types/values.js';
import { NUMERIC_NAN } from '../types/numeric.js';
import type { ByteReader, ByteWriter } from './bytes.js';
import { intSumOf } from '../sql/aggregates/int-sum.js';

export interface ValueCodec {
  write(w: ByteWriter, v: unknown): void;
  read(r: ByteReader): unknown;
}

// Numbers: integers below 2^50 in magnitude are a zigzag varint shifted left
// one bit (even); anything else (fractions, -0, infinities, NaN, huge) is the
// odd marker 1 followed by the IEEE double.
const SMALL = 2 ** 50;

/** The even code of an integer below 2^50 in magnitude (zigzag, shifted left one bit). */
export function smallIntCode(x: number): number {
  return x < 0 ? -4 * x - 2 : 4 * x;
}

/** The integer an even code stands for (an odd code is a marker, not an integer). */
export function smallIntOf(z: number): number {
  const h = z / 2;
  return h % 2 === 0 ? h / 2 : -(h + 1) / 2;
}

export function writeNumber(w: ByteWriter, x: number): void {
  if (Number.isInteger(x) && x < SMALL && x > -SMALL && !(x === 0 && 1 / x < 0)) {
    w.uvarint(smallIntCode(x));
  } else {
    w.byte(1);
    w.float64(x);
  }
}

export function readNumber(r: ByteReader): number {
  const z = r.uvarint();
  if (z === 1) return r.float64();
  if (z % 2 !== 0) throw corrupt();
  return smallIntOf(z);
}

// bigint: the number form when small, else marker 3 and the decimal digits.
export function writeBigint(w: ByteWriter, v: bigint): void {
  if (v < 1125899906842624n && v > -1125899906842624n) w.uvarint(smallIntCode(Number(v)));
  else {
    w.byte(3);
    w.string(v.toString());
  }
}

export function readBigint(r: ByteReader): bigint {
  const z = r.uvarint();
  if (z === 3) return BigInt(r.string());
  if (z % 2 !== 0) throw corrupt();
  return BigInt(smallIntOf(z));
}

// An integer sum (IntSum): the bigint encoding, read back in its one form.
export function writeIntSum(w: ByteWriter, v: number | bigint): void {
  if (typeof v === 'number') w.uvarint(smallIntCode(v));
  else writeBigint(w, v);
}

export function readIntSum(r: ByteReader): number | bigint {
  const z = r.uvarint();
  if (z === 3) return intSumOf(BigInt(r.string()));
  if (z % 2 !== 0) throw corrupt();
  return smallIntOf(z);
}

// Decimal strings packed two characters per byte: 0-9, '.', '-'.
const DOT = 10;
const MINUS = 11;

export function writeDecimalString(w: ByteWriter, s: string): void {
  const n = s.length;
  w.uvarint(n);
  w.ensure((n + 1) >> 1);
  const buf = w.buf;
  let p = w.pos;
  for (let i = 0; i < n; i += 2) {
    const hi = nibble(s.charCodeAt(i));
    const lo = i + 1 < n ? nibble(s.charCodeAt(i + 1)) : 0;
    buf[p++] = (hi << 4) | lo;
  }
  w.pos = p;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c === 46) return DOT;
  if (c === 45) return MINUS;
  throw new Error(`unexpected character in decimal string: ${String.fromCharCode(c)}`);
}

const NIBBLE_CHARS = '0123456789.-';

export function readDecimalString(r: ByteReader): string {
  const n = r.uvarint();
  let s = '';
  for (let i = 0; i < n; i += 2) {
    const b = r.byte();
    s += NIBBLE_CHARS[b >> 4];
    if (i + 1 < n) s += NIBBLE_CHARS[b & 15];
  }
  return s;
}

const numberCodec: ValueCodec = {
  write: (w, v) => writeNumber(w, v as number),
  read: (r) => readNumber(r),
};

const bigintCodec: ValueCodec = {
  write: (w, v) => writeBigint(w, v as bigint),
  read: (r) => readBigint(r),
};

/** numeric: dscale + 1 (0 for NaN), then the exact value as a packed decimal string. */
export const numericCodec: ValueCodec = {
  write: (w, v) => {
    const n = v as Numeric;
    if (n.value.isNaN()) {
      w.uvarint(0);
      return;
    }
    w.uvarint(n.dscale + 1);
    writeDecimalString(w, n.value.toString());
  },
  read: (r) => {
    const d = r.uvarint();
    if (d === 0) return NUMERIC_NAN;
    return new Numeric(new Dec(readDecimalString(r)), d - 1);
  },
};

const stringCodec: ValueCodec = {
  write: (w, v) => w.string(v as string),
  read: (r) => r.string(),
};

const boolCodec: ValueCodec = {
  write: (w, v) => w.byte(v ? 1 : 0),
  read: (r) => r.byte() === 1,
};

const byteaCodec: ValueCodec = {
  write: (w, v) => {
    const b = v as Uint8Array;
    w.uvarint(b.length);
    w.bytes(b);
  },
  read: (r) => r.bytes(r.uvarint()),
};

export const intervalCodec: ValueCodec = {
  write: (w, v) => {
    const iv = v as Interval;
    writeNumber(w, iv.months);
    writeNumber(w, iv.days);
    writeNumber(w, iv.micros);
  },
  read: (r) => new Interval(readNumber(r), readNumber(r), readNumber(r)),
};

/** jsonb as its text form, which reads back to an equal value. */
const jsonbCodec: ValueCodec = {
  write: (w, v) => stringCodec.write(w, formatJsonb(v as Jsonb)),
  read: (r) => parseJsonb(stringCodec.read(r) as string),
};

const BY_TYPE = new Map<number, ValueCodec>([
  [OID.jsonb, jsonbCodec],
  [OID.bool, boolCodec],
  [OID.int2, numberCodec],
  [OID.int4, numberCodec],
  [OID.oid, numberCodec],
  [OID.float4, numberCodec],
  [OID.float8, numberCodec],
  [OID.date, numberCodec],
  [OID.time, numberCodec],
  [OID.timestamp, numberCodec],
  [OID.timestamptz, numberCodec],
  [OID.int8, bigintCodec],
  [OID.numeric, numericCodec],
  [OID.text, stringCodec],
  [OID.varchar, stringCodec],
  [OID.bpchar, stringCodec],
  [OID.name, stringCodec],
  [OID.char, stringCodec],
  [OID.uuid, stringCodec],
  [OID.bytea, byteaCodec],
  [OID.interval, intervalCodec],
]);

/** The exact codec of a type's values, or undefined when the type has none. */
export function valueCodecFor(type: number): ValueCodec | undefined {
  return BY_TYPE.get(type);
}

/** A nullable value: 0 for NULL, else 1 and the value. */
export function nullable(c: ValueCodec): ValueCodec {
  return {
    write: (w, v) => {
      if (v === null) w.byte(0);
      else {
        w.byte(1);
        c.write(w, v);
      }
    },
    read: (r) => (r.byte() === 0 ? null : c.read(r)),
  };
}

export function corrupt(): PgError {
  return new PgError('XX001', 'invalid continuous view state encoding');
}
