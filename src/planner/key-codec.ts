// Canonical group-key encodings: two key values that are equal under the
// type's GROUP BY equality give identical bytes, whatever their spelling.
//
//   numbers    -0 and 0 are one key; every NaN is one key
//   numeric    by value: 1.0 and 1.00 are one key (decoded with the fewest
//              fraction digits that show the value, or the typmod's scale)
//   bpchar     trailing blanks do not count (decoded padded to the typmod length)
//   interval   by total span with 30-day months and 24-hour days, as
//              PostgreSQL's interval equality: '1 day' = '24 hours' = '1 mon'/30
//              (decoded as days and microseconds of the span's sign)
//
// Where the decoded value can differ in spelling from the one the rows
// carried, the plan keeps the first value it saw in a hidden state (see
// needsKeyRepresentative), so a view shows what PostgreSQL's GROUP BY shows.
//
// Layout: per column, 0 for NULL or 1 followed by the value's encoding.
import { OID } from '../types/oids.js';
import { Dec, Interval, Numeric, USECS_PER_DAY } from '../types/values.js';
import { NUMERIC_NAN, numericTypmodScale } from '../types/numeric.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { keyId, keyIdOfRange, type KeyId } from '../engine/key-string.js';
import { formatJsonb, parseJsonb, type Jsonb } from '../types/jsonb.js';
import { readBigint, readDecimalString, readNumber, writeBigint, writeDecimalString, writeNumber, corrupt } from './value-codec.js';

export interface KeyCodec {
  write(w: ByteWriter, v: unknown): void;
  read(r: ByteReader): unknown;
}

const NAN_MARK = 5;

const numberKey: KeyCodec = {
  write: (w, v) => {
    const x = v as number;
    if (x !== x) w.uvarint(NAN_MARK);
    else writeNumber(w, x === 0 ? 0 : x);
  },
  read: (r) => {
    if (r.pos < r.end && r.buf[r.pos] === NAN_MARK) {
      r.pos++;
      return NaN;
    }
    return readNumber(r);
  },
};

const bigintKey: KeyCodec = {
  write: (w, v) => writeBigint(w, v as bigint),
  read: (r) => readBigint(r),
};

/** The empty string stands for NaN (no number prints empty). */
function numericKey(typmod: number): KeyCodec {
  const typmodScale = typmod >= 4 ? numericTypmodScale(typmod) : 0;
  return {
    write: (w, v) => {
      const n = v as Numeric;
      writeDecimalString(w, n.value.isNaN() ? '' : n.value.toString());
    },
    read: (r) => {
      const s = readDecimalString(r);
      if (s === '') return NUMERIC_NAN;
      const dot = s.indexOf('.');
      const scale = dot < 0 ? 0 : s.length - dot - 1;
      return new Numeric(new Dec(s), Math.max(scale, typmodScale));
    },
  };
}

const stringKey: KeyCodec = {
  write: (w, v) => w.string(v as string),
  read: (r) => r.string(),
};

function rtrim(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}

function bpcharKey(typmod: number): KeyCodec {
  const width = typmod >= 4 ? typmod - 4 : 0;
  return {
    write: (w, v) => w.string(rtrim(v as string)),
    read: (r) => {
      const s = r.string();
      return s.length < width ? s.padEnd(width, ' ') : s;
    },
  };
}

const boolKey: KeyCodec = {
  write: (w, v) => w.byte(v ? 1 : 0),
  read: (r) => r.byte() === 1,
};

const byteaKey: KeyCodec = {
  write: (w, v) => {
    const b = v as Uint8Array;
    w.uvarint(b.length);
    w.bytes(b);
  },
  read: (r) => r.bytes(r.uvarint()),
};

const intervalKey: KeyCodec = {
  write: (w, v) => {
    const iv = v as Interval;
    const wholeDays = Math.floor(iv.micros / USECS_PER_DAY);
    writeNumber(w, iv.months * 30 + iv.days + wholeDays);
    writeNumber(w, iv.micros - wholeDays * USECS_PER_DAY);
  },
  read: (r) => {
    let days = readNumber(r);
    let micros = readNumber(r);
    // Written with a non-negative remainder; shown with the span's sign ('-1 days -00:00:01', not '-2 days +23:59:59').
    if (days < 0 && micros > 0) {
      days += 1;
      micros -= USECS_PER_DAY;
    }
    return new Interval(0, days, micros);
  },
};

/**
 * jsonb by its canonical text (keys sorted, whitespace normalized), which is
 * equality except for numbers spelled differently ('1.0' and '1' are equal
 * jsonb but two keys here); the first-seen value is what the view shows.
 */
const jsonbKey: KeyCodec = {
  write: (w, v) => stringKey.write(w, formatJsonb(v as Jsonb)),
  read: (r) => parseJsonb(stringKey.read(r) as string),
};

/** The canonical key codec of a type, or null when values of the type cannot be view group keys. */
export function keyCodecFor(type: number, typmod: number): KeyCodec | null {
  switch (type) {
    case OID.bool:
      return boolKey;
    case OID.int2:
    case OID.int4:
    case OID.oid:
    case OID.float4:
    case OID.float8:
    case OID.date:
    case OID.time:
    case OID.timestamp:
    case OID.timestamptz:
      return numberKey;
    case OID.int8:
      return bigintKey;
    case OID.numeric:
      return numericKey(typmod);
    case OID.text:
    case OID.varchar:
    case OID.name:
    case OID.char:
    case OID.uuid:
      return stringKey;
    case OID.bpchar:
      return bpcharKey(typmod);
    case OID.bytea:
      return byteaKey;
    case OID.interval:
      return intervalKey;
    case OID.jsonb:
      return jsonbKey;
  }
  return null;
}

/**
 * Types whose equal values can be spelled differently (1.0 and 1.00, 'a' and
 * 'a  ', '1 day' and '24 hours'): the decoded key is one canonical spelling,
 * so the plan keeps the first-seen value to show. Floats are left out on
 * purpose: only -0 differs from 0, and a hidden state per float key would
 * cost every group; a -0 key shows as 0.
 */
export function needsKeyRepresentative(type: number, typmod: number): boolean {
  // With a typmod, numeric values all have its scale and bpchar values its
  // width, which is how they decode: nothing to remember.
  if (type === OID.numeric || type === OID.bpchar) return typmod < 4;
  return type === OID.interval || type === OID.jsonb;
}

const EMPTY = new Uint8Array(0);
const EMPTY_ID = keyId(EMPTY);

/** Encoder and decoder of whole keys for a list of column codecs. */
export function keyEncoder(codecs: readonly KeyCodec[]): {
  encode(key: unknown[]): Uint8Array;
  /** keyId of the key's encoding, without a copy of the bytes. */
  encodeId(key: unknown[]): KeyId;
  /** The key encoded in bytes [start, end) (default: all of `bytes`). */
  decode(bytes: Uint8Array, start?: number, end?: number): unknown[];
} {
  const n = codecs.length;
  const w = new ByteWriter(64);
  // One reader for every decode (no codec decodes a key while reading one).
  const reader = new ByteReader(EMPTY);
  const write = (key: unknown[]): void => {
    w.pos = 0;
    for (let i = 0; i < n; i++) {
      const v = key[i];
      if (v === null) w.byte(0);
      else {
        w.byte(1);
        codecs[i].write(w, v);
      }
    }
  };
  return {
    encode(key) {
      if (n === 0) return EMPTY;
      write(key);
      return w.finish();
    },
    encodeId(key) {
      if (n === 0) return EMPTY_ID;
      write(key);
      return keyIdOfRange(w.buf, 0, w.pos);
    },
    decode(bytes, start = 0, end = bytes.length) {
      const r = reader;
      r.reset(bytes, start, end);
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const tag = r.byte();
        if (tag === 0) out[i] = null;
        else if (tag === 1) out[i] = codecs[i].read(r);
        else throw corrupt();
      }
      if (!r.done) throw corrupt();
      return out;
    },
  };
}
