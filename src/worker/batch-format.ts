// A batch of stream rows as one ArrayBuffer, so it can be transferred to a
// worker thread (postMessage(buf, [buf])) without copying and without
// structured-cloning one object per row.
//
// Layout: columnar, native byte order (both ends run on the same machine),
// every section 8-byte aligned so typed arrays can view it in place.
//
//   header (48 bytes)
//     0  u32  magic 'PDBB'          4  u32  format version
//     8  f64  batch id             16  f64  default arrival timestamp
//    24  u32  stream oid           28  u32  row count
//    32  u32  column count         36  u32  offset of the arrival_timestamp section
//    40  u32  total byte length    44  u32  reserved
//   column directory, 16 bytes per declared column
//     u32 type oid, u32 flags (1: has NULLs, 2: all strings ASCII),
//     u32 section offset, u32 section length
//   sections
//     [NULL flags: one byte per row, only when the column has NULLs]
//     data, by kind:
//       bool                   u8 per row
//       int2, int4             i32 per row
//       oid-like               u32 per row
//       int8                   i64 per row
//       float4                 f32 per row
//       float8, date, time,
//       timestamp[tz]          f64 per row (+/-Infinity kept)
//       interval               f64 micros, then i32 days, then i32 months (per row each)
//       numeric                i32 dscale per row, then a varlena area of the decimal text
//       string types, bytea,
//       jsonb, arrays          u32 offsets[rows + 1], then the bytes (UTF-8 text;
//                              raw bytes; jsonb text; PostgreSQL binary array format)
//   arrival_timestamp: f64 per row.
//
// arrival_timestamp: PipelineDB stamps a stream row with the time it is read
// unless the row supplied its own value for the arrival_timestamp column. The
// batch keeps one f64 per row: rows that gave a value keep it, the others get
// the batch's arrival time (one instant per batch, given to finish()).
import { PgError, SQLSTATE } from '../errors.js';
import { arrayFromBinary, arrayToBinary } from '../types/arrays.js';
import { defaultIoContext } from '../types/io-context.js';
import { formatJsonb, parseJsonb, type Jsonb } from '../types/jsonb.js';
import { OID, elementOf, typeByOid } from '../types/oids.js';
import { getBinaryInput, getBinaryOutput } from '../types/type-io.js';
import { asciiString } from '../ingest/ascii-string.js';
import { Dec, Interval, Numeric, PG_EPOCH_USECS, PgArray } from '../types/values.js';

const MAGIC = 0x42424450; // 'PDBB' read as little-endian u32
const VERSION = 1;
const HEADER_BYTES = 48;
const DIR_ENTRY_BYTES = 16;
const FLAG_HAS_NULLS = 1;
const FLAG_ASCII = 2;

/** How a column's values are laid out in a batch. */
const enum Kind {
  Bool,
  Int32,
  Uint32,
  Int64,
  Float32,
  Float64,
  Interval,
  Numeric,
  Text,
  Bytes,
  Jsonb,
  Array,
}

const UINT32_TYPES = new Set<number>([OID.oid, OID.regproc, OID.regclass, OID.regtype, OID.regnamespace, OID.regrole]);
const TEXT_TYPES = new Set<number>([
  OID.text, OID.varchar, OID.bpchar, OID.name, OID.char, OID.unknown, OID.json, OID.uuid, OID.void,
]);
const FLOAT64_TYPES = new Set<number>([OID.float8, OID.date, OID.time, OID.timestamp, OID.timestamptz]);

function kindOf(oid: number): Kind {
  switch (oid) {
    case OID.bool: return Kind.Bool;
    case OID.int2:
    case OID.int4: return Kind.Int32;
    case OID.int8: return Kind.Int64;
    case OID.float4: return Kind.Float32;
    case OID.interval: return Kind.Interval;
    case OID.numeric: return Kind.Numeric;
    case OID.bytea: return Kind.Bytes;
    case OID.jsonb: return Kind.Jsonb;
  }
  if (FLOAT64_TYPES.has(oid)) return Kind.Float64;
  if (UINT32_TYPES.has(oid)) return Kind.Uint32;
  if (TEXT_TYPES.has(oid)) return Kind.Text;
  const elem = elementOf(oid);
  if (elem !== undefined && elementOf(elem) === undefined && isBatchableType(elem)) return Kind.Array;
  throw new PgError(SQLSTATE.feature_not_supported, `stream columns of type ${typeByOid(oid)?.sqlName ?? oid} are not supported`);
}

/** Whether values of this type can travel in a batch. */
export function isBatchableType(oid: number): boolean {
  try {
    kindOf(oid);
    return true;
  } catch {
    return false;
  }
}

const align8 = (n: number): number => (n + 7) & ~7;

/** PG-epoch microseconds of the wall clock (the default arrival time). */
export function currentTimestampMicros(): number {
  return Date.now() * 1000 - PG_EPOCH_USECS;
}

// Buffer methods Node has but @types/node does not declare.
interface FastBuffer extends Buffer {
  utf8Slice(start: number, end: number): string;
  utf8Write(s: string, offset: number, length?: number): number;
}

// ---- building ------------------------------------------------------------------------

/** One column's growing storage. Fixed-width writers are sized by the builder's row capacity. */
interface ColumnWriter {
  readonly kind: Kind;
  /** Row capacity changed: grow row-indexed arrays, keeping the first `rows` entries. */
  grow(capacity: number, rows: number): void;
  append(v: unknown, row: number): void;
  /** Puts a placeholder for a NULL at `row` (the NULL flag is kept by the builder). */
  appendNull(row: number): void;
  /** Bytes of the data part for `rows` rows. */
  dataBytes(rows: number): number;
  writeData(out: Uint8Array, offset: number, rows: number): void;
  ascii(): boolean;
}

function growTyped<T extends Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | Uint8Array>(
  old: T,
  capacity: number,
  rows: number,
  make: (n: number) => T,
): T {
  const next = make(capacity);
  next.set(old.subarray(0, rows) as never);
  return next;
}

function copyTyped(out: Uint8Array, offset: number, src: ArrayBufferView, byteLen: number): void {
  out.set(new Uint8Array(src.buffer, src.byteOffset, byteLen), offset);
}

class FixedWriter implements ColumnWriter {
  arr: Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | Uint8Array;
  constructor(readonly kind: Kind, capacity: number) {
    this.arr = this.make(capacity);
  }
  private make(n: number): FixedWriter['arr'] {
    switch (this.kind) {
      case Kind.Bool: return new Uint8Array(n);
      case Kind.Int32: return new Int32Array(n);
      case Kind.Uint32: return new Uint32Array(n);
      case Kind.Int64: return new BigInt64Array(n);
      case Kind.Float32: return new Float32Array(n);
      default: return new Float64Array(n);
    }
  }
  grow(capacity: number, rows: number): void {
    this.arr = growTyped(this.arr, capacity, rows, (n) => this.make(n));
  }
  append(v: unknown, row: number): void {
    if (this.kind === Kind.Bool) this.arr[row] = v ? 1 : 0;
    else (this.arr as Float64Array)[row] = v as number;
  }
  appendNull(row: number): void {
    if (this.kind === Kind.Int64) (this.arr as BigInt64Array)[row] = 0n;
    else this.arr[row] = 0;
  }
  dataBytes(rows: number): number {
    return rows * this.arr.BYTES_PER_ELEMENT;
  }
  writeData(out: Uint8Array, offset: number, rows: number): void {
    copyTyped(out, offset, this.arr, this.dataBytes(rows));
  }
  ascii(): boolean {
    return false;
  }
}

class IntervalWriter implements ColumnWriter {
  readonly kind = Kind.Interval;
  micros: Float64Array;
  days: Int32Array;
  months: Int32Array;
  constructor(capacity: number) {
    this.micros = new Float64Array(capacity);
    this.days = new Int32Array(capacity);
    this.months = new Int32Array(capacity);
  }
  grow(capacity: number, rows: number): void {
    this.micros = growTyped(this.micros, capacity, rows, (n) => new Float64Array(n));
    this.days = growTyped(this.days, capacity, rows, (n) => new Int32Array(n));
    this.months = growTyped(this.months, capacity, rows, (n) => new Int32Array(n));
  }
  append(v: unknown, row: number): void {
    const iv = v as Interval;
    this.micros[row] = iv.micros;
    this.days[row] = iv.days;
    this.months[row] = iv.months;
  }
  appendNull(row: number): void {
    this.micros[row] = 0;
    this.days[row] = 0;
    this.months[row] = 0;
  }
  dataBytes(rows: number): number {
    return align8(rows * 8 + rows * 4) + rows * 4;
  }
  writeData(out: Uint8Array, offset: number, rows: number): void {
    copyTyped(out, offset, this.micros, rows * 8);
    copyTyped(out, offset + rows * 8, this.days, rows * 4);
    copyTyped(out, offset + align8(rows * 12), this.months, rows * 4);
  }
  ascii(): boolean {
    return false;
  }
}

/** Variable-length values: u32 end offsets per row and one growing byte area. */
class VarlenaWriter implements ColumnWriter {
  ends: Uint32Array;
  bytes: FastBuffer;
  used = 0;
  allAscii = true;
  /** numeric only: display scales. */
  dscales: Int32Array | null;
  private readonly encode: ((v: unknown) => Uint8Array) | null;

  constructor(readonly kind: Kind, capacity: number, typeOid: number) {
    this.ends = new Uint32Array(capacity);
    this.bytes = Buffer.allocUnsafeSlow(Math.max(64, capacity * 8)) as FastBuffer;
    this.dscales = kind === Kind.Numeric ? new Int32Array(capacity) : null;
    this.encode = kind === Kind.Array ? arrayEncoder(typeOid) : null;
  }
  grow(capacity: number, rows: number): void {
    this.ends = growTyped(this.ends, capacity, rows, (n) => new Uint32Array(n));
    if (this.dscales) this.dscales = growTyped(this.dscales, capacity, rows, (n) => new Int32Array(n));
  }
  private reserve(extra: number): void {
    const need = this.used + extra;
    if (need <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafeSlow(size) as FastBuffer;
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }
  private writeString(s: string): void {
    const n = s.length;
    this.reserve(n * 3);
    const b = this.bytes;
    let p = this.used;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Not ASCII: let Node encode the whole string (surrogate pairs included).
        this.allAscii = false;
        this.used += b.utf8Write(s, this.used);
        return;
      }
      b[p++] = c;
    }
    this.used = p;
  }
  private writeBytes(u: Uint8Array): void {
    this.reserve(u.length);
    this.bytes.set(u, this.used);
    this.used += u.length;
  }
  append(v: unknown, row: number): void {
    switch (this.kind) {
      case Kind.Text: this.writeString(v as string); break;
      case Kind.Bytes: this.writeBytes(v as Uint8Array); break;
      case Kind.Numeric: {
        const n = v as Numeric;
        this.dscales![row] = n.dscale;
        this.writeString(n.value.toString());
        break;
      }
      case Kind.Jsonb: this.writeString(formatJsonb(v as Jsonb)); break;
      default: this.writeBytes(this.encode!(v));
    }
    this.ends[row] = this.used;
  }
  appendNull(row: number): void {
    if (this.dscales) this.dscales[row] = 0;
    this.ends[row] = this.used;
  }
  dataBytes(rows: number): number {
    const head = this.dscales ? align8(rows * 4) : 0;
    return head + align8((rows + 1) * 4) + this.used;
  }
  writeData(out: Uint8Array, offset: number, rows: number): void {
    let p = offset;
    if (this.dscales) {
      copyTyped(out, p, this.dscales, rows * 4);
      p += align8(rows * 4);
    }
    // offsets[0] = 0, offsets[i + 1] = end of row i
    new DataView(out.buffer, out.byteOffset).setUint32(p, 0, true);
    copyTyped(out, p + 4, this.ends, rows * 4);
    p += align8((rows + 1) * 4);
    out.set(this.bytes.subarray(0, this.used), p);
  }
  ascii(): boolean {
    return this.allAscii;
  }
}

const binaryIo = defaultIoContext();

function arrayEncoder(arrayOid: number): (v: unknown) => Uint8Array {
  const elemOut = getBinaryOutput(elementOf(arrayOid)!);
  return (v) => arrayToBinary(v as PgArray, (x) => elemOut(x, binaryIo));
}

function makeWriter(oid: number, capacity: number): ColumnWriter {
  const kind = kindOf(oid);
  switch (kind) {
    case Kind.Interval: return new IntervalWriter(capacity);
    case Kind.Numeric:
    case Kind.Text:
    case Kind.Bytes:
    case Kind.Jsonb:
    case Kind.Array: return new VarlenaWriter(kind, capacity, oid);
    default: return new FixedWriter(kind, capacity);
  }
}

/**
 * Collects rows for one stream, then produces the batch buffer. Values must
 * already have the columns' types (see src/ingest/stream-coercion.ts); SQL
 * NULL is null (undefined is taken as NULL too).
 */
export class BatchBuilder {
  private readonly writers: ColumnWriter[];
  private nulls: (Uint8Array | null)[];
  private arrival: Float64Array;
  private capacity: number;
  private rows = 0;

  constructor(readonly columnTypes: readonly number[], initialCapacity = 256) {
    this.capacity = Math.max(1, initialCapacity);
    this.writers = columnTypes.map((t) => makeWriter(t, this.capacity));
    this.nulls = columnTypes.map(() => null);
    this.arrival = new Float64Array(this.capacity);
  }

  get rowCount(): number {
    return this.rows;
  }

  /**
   * Appends one row: the declared columns in order, optionally followed by
   * an explicit arrival_timestamp (null or absent: stamped by finish()),
   * read from `values` at `offset` (a row of FlatRows).
   */
  addRow(values: readonly unknown[], offset = 0): void {
    const row = this.rows;
    if (row === this.capacity) this.grow();
    const writers = this.writers;
    const n = writers.length;
    for (let c = 0; c < n; c++) {
      const v = values[offset + c];
      if (v === null || v === undefined) {
        let flags = this.nulls[c];
        if (!flags) flags = this.nulls[c] = new Uint8Array(this.capacity);
        flags[row] = 1;
        writers[c]!.appendNull(row);
      } else {
        writers[c]!.append(v, row);
      }
    }
    const at = values[offset + n];
    this.arrival[row] = at === null || at === undefined ? NaN : (at as number);
    this.rows = row + 1;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    for (const w of this.writers) w.grow(cap, this.rows);
    this.nulls = this.nulls.map((f) => (f ? growTyped(f, cap, this.rows, (k) => new Uint8Array(k)) : null));
    this.arrival = growTyped(this.arrival, cap, this.rows, (k) => new Float64Array(k));
    this.capacity = cap;
  }

  /**
   * The batch as one ArrayBuffer. `arrivalTimestamp` (PG-epoch µs, default
   * now) stamps every row that did not give its own. The builder is empty
   * afterwards and can be reused.
   */
  finish(batchId: number, streamOid: number, arrivalTimestamp: number = currentTimestampMicros()): ArrayBuffer {
    const rows = this.rows;
    const ncols = this.writers.length;
    const sectionStart: number[] = new Array(ncols);
    const sectionLen: number[] = new Array(ncols);
    let p = align8(HEADER_BYTES + ncols * DIR_ENTRY_BYTES);
    for (let c = 0; c < ncols; c++) {
      const nullBytes = this.nulls[c] ? align8(rows) : 0;
      const len = nullBytes + this.writers[c]!.dataBytes(rows);
      sectionStart[c] = p;
      sectionLen[c] = len;
      p = align8(p + len);
    }
    const arrivalOffset = p;
    const total = arrivalOffset + rows * 8;
    const buf = new ArrayBuffer(total);
    const u8 = new Uint8Array(buf);
    const dv = new DataView(buf);
    dv.setUint32(0, MAGIC, true);
    dv.setUint32(4, VERSION, true);
    dv.setFloat64(8, batchId, true);
    dv.setFloat64(16, arrivalTimestamp, true);
    dv.setUint32(24, streamOid, true);
    dv.setUint32(28, rows, true);
    dv.setUint32(32, ncols, true);
    dv.setUint32(36, arrivalOffset, true);
    dv.setUint32(40, total, true);
    for (let c = 0; c < ncols; c++) {
      const w = this.writers[c]!;
      const flags = this.nulls[c];
      const e = HEADER_BYTES + c * DIR_ENTRY_BYTES;
      dv.setUint32(e, this.columnTypes[c]!, true);
      dv.setUint32(e + 4, (flags ? FLAG_HAS_NULLS : 0) | (w.ascii() ? FLAG_ASCII : 0), true);
      dv.setUint32(e + 8, sectionStart[c]!, true);
      dv.setUint32(e + 12, sectionLen[c]!, true);
      let q = sectionStart[c]!;
      if (flags) {
        u8.set(flags.subarray(0, rows), q);
        q += align8(rows);
      }
      w.writeData(u8, q, rows);
    }
    const arrival = new Float64Array(buf, arrivalOffset, rows);
    const given = this.arrival;
    for (let i = 0; i < rows; i++) {
      const t = given[i]!;
      arrival[i] = t !== t ? arrivalTimestamp : t; // NaN: not given
    }
    this.reset();
    return buf;
  }

  private reset(): void {
    this.rows = 0;
    this.nulls = this.nulls.map(() => null);
    for (const w of this.writers) if (w instanceof VarlenaWriter) {
      w.used = 0;
      w.allAscii = true;
    }
  }
}

// ---- reading -------------------------------------------------------------------------

type Reader = (i: number) => unknown;

/** A batch viewed in place; `row(i, out)` fills `out` without allocating per row. */
export interface DecodedBatch {
  readonly batchId: number;
  readonly streamOid: number;
  readonly rowCount: number;
  /** Type OIDs of the declared columns (arrival_timestamp not included). */
  readonly columnTypes: number[];
  /** Values per row: the declared columns plus arrival_timestamp. */
  readonly width: number;
  /** The arrival time given to finish() (rows may carry their own). */
  readonly arrivalTimestamp: number;
  /** Per-row arrival_timestamp (PG-epoch µs). */
  readonly arrivalTimestamps: Float64Array;
  /**
   * Writes row `i` into `out`: the declared columns, then arrival_timestamp
   * at index columnTypes.length.
   */
  row(i: number, out: unknown[]): void;
  /** Value of column `c` in row `i` (arrival_timestamp is column columnTypes.length). */
  value(c: number, i: number): unknown;
  /** The column's values as a typed array when its layout is fixed-width numeric (int2/int4, int8, float4/8, dates/timestamps, oid, bool), else null. */
  fixedColumn(c: number): Int32Array | Uint32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array | null;
  /** The column's NULL flags (1 = NULL), or null when it has no NULLs. */
  nullFlags(c: number): Uint8Array | null;
}

function corrupt(what: string): never {
  throw new PgError(SQLSTATE.internal_error, `corrupt stream batch: ${what}`);
}

/** Reads a batch produced by BatchBuilder.finish(). */
export function decodeBatch(buf: ArrayBuffer): DecodedBatch {
  if (buf.byteLength < HEADER_BYTES) corrupt('too short');
  const dv = new DataView(buf);
  if (dv.getUint32(0, true) !== MAGIC) corrupt('bad magic');
  if (dv.getUint32(4, true) !== VERSION) corrupt('unknown version');
  const rows = dv.getUint32(28, true);
  const ncols = dv.getUint32(32, true);
  const arrivalOffset = dv.getUint32(36, true);
  if (dv.getUint32(40, true) !== buf.byteLength || arrivalOffset + rows * 8 > buf.byteLength) corrupt('bad length');
  const bytes = Buffer.from(buf) as FastBuffer;
  const types: number[] = new Array(ncols);
  const readers: Reader[] = new Array(ncols);
  const nulls: (Uint8Array | null)[] = new Array(ncols);
  const fixed: (ReturnType<DecodedBatch['fixedColumn']>)[] = new Array(ncols);
  for (let c = 0; c < ncols; c++) {
    const e = HEADER_BYTES + c * DIR_ENTRY_BYTES;
    const oid = dv.getUint32(e, true);
    const flags = dv.getUint32(e + 4, true);
    let p = dv.getUint32(e + 8, true);
    types[c] = oid;
    if (flags & FLAG_HAS_NULLS) {
      nulls[c] = new Uint8Array(buf, p, rows);
      p += align8(rows);
    } else nulls[c] = null;
    const col = columnReader(kindOf(oid), oid, buf, bytes, p, rows, (flags & FLAG_ASCII) !== 0);
    readers[c] = col.read;
    fixed[c] = col.fixed;
  }
  const arrival = new Float64Array(buf, arrivalOffset, rows);
  return {
    batchId: dv.getFloat64(8, true),
    streamOid: dv.getUint32(24, true),
    rowCount: rows,
    columnTypes: types,
    width: ncols + 1,
    arrivalTimestamp: dv.getFloat64(16, true),
    arrivalTimestamps: arrival,
    row(i: number, out: unknown[]): void {
      for (let c = 0; c < ncols; c++) {
        const nf = nulls[c];
        out[c] = nf !== null && nf[i] === 1 ? null : readers[c]!(i);
      }
      out[ncols] = arrival[i];
    },
    value(c: number, i: number): unknown {
      if (c === ncols) return arrival[i];
      const nf = nulls[c];
      return nf !== null && nf[i] === 1 ? null : readers[c]!(i);
    },
    fixedColumn: (c) => fixed[c] ?? null,
    nullFlags: (c) => nulls[c] ?? null,
  };
}

function columnReader(
  kind: Kind,
  oid: number,
  buf: ArrayBuffer,
  bytes: FastBuffer,
  p: number,
  rows: number,
  ascii: boolean,
): { read: Reader; fixed: ReturnType<DecodedBatch['fixedColumn']> } {
  switch (kind) {
    case Kind.Bool: {
      const a = new Uint8Array(buf, p, rows);
      return { read: (i) => a[i] === 1, fixed: a };
    }
    case Kind.Int32: {
      const a = new Int32Array(buf, p, rows);
      return { read: (i) => a[i], fixed: a };
    }
    case Kind.Uint32: {
      const a = new Uint32Array(buf, p, rows);
      return { read: (i) => a[i], fixed: a };
    }
    case Kind.Int64: {
      const a = new BigInt64Array(buf, p, rows);
      return { read: (i) => a[i], fixed: a };
    }
    case Kind.Float32: {
      const a = new Float32Array(buf, p, rows);
      return { read: (i) => a[i], fixed: a };
    }
    case Kind.Float64: {
      const a = new Float64Array(buf, p, rows);
      return { read: (i) => a[i], fixed: a };
    }
    case Kind.Interval: {
      const micros = new Float64Array(buf, p, rows);
      const days = new Int32Array(buf, p + rows * 8, rows);
      const months = new Int32Array(buf, p + align8(rows * 12), rows);
      return { read: (i) => new Interval(months[i]!, days[i]!, micros[i]!), fixed: null };
    }
    default:
      return { read: varlenaReader(kind, oid, buf, bytes, p, rows, ascii), fixed: null };
  }
}

function varlenaReader(kind: Kind, oid: number, buf: ArrayBuffer, bytes: FastBuffer, p: number, rows: number, ascii: boolean): Reader {
  let dscales: Int32Array | null = null;
  if (kind === Kind.Numeric) {
    dscales = new Int32Array(buf, p, rows);
    p += align8(rows * 4);
  }
  const offs = new Uint32Array(buf, p, rows + 1);
  const base = p + align8((rows + 1) * 4);
  const str = ascii
    ? (i: number) => asciiString(bytes, base + offs[i]!, base + offs[i + 1]!)
    : (i: number) => bytes.utf8Slice(base + offs[i]!, base + offs[i + 1]!);
  switch (kind) {
    case Kind.Text: return str;
    case Kind.Bytes: return (i) => new Uint8Array(bytes.subarray(base + offs[i]!, base + offs[i + 1]!)); // a copy: values outlive the batch
    case Kind.Numeric: return (i) => new Numeric(new Dec(str(i)), dscales![i]!);
    case Kind.Jsonb: return (i) => parseJsonb(str(i));
    default: {
      const elem = elementOf(oid)!;
      const elemIn = getBinaryInput(elem);
      const readElem = (b: Buffer) => elemIn(b, -1, binaryIo);
      return (i) => arrayFromBinary(bytes.subarray(base + offs[i]!, base + offs[i + 1]!), elem, readElem);
    }
  }
}
