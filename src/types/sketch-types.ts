// PipelineDB's sketch types: hyperloglog, bloom, cmsketch, topk and tdigest.
//
// In memory (see values.ts) a sketch value is its serialized bytes, a
// Uint8Array, as PipelineDB keeps them as varlena blobs: every generic path
// (storage, copying, arrays) can carry them like bytea, and the functions
// deserialize on use. The bytes are the src/sketches serialize() forms, except
// topk, which is prefixed with the element type's OID (uint32 big-endian) so
// topk_values can turn the stored canonical bytes back into SQL values.
//
// I/O as PipelineDB 1.0: text output and input are bytea's (hex or escape by
// bytea_output), binary send/recv the raw bytes. Input is validated here so a
// malformed value fails at the cast, not later inside a function.
//
// This module must not import oids.ts: oids.ts imports the type list from here.
import { PgError, SQLSTATE } from '../errors.js';
import { BloomFilter } from '../sketches/bloom.js';
import { CountMinSketch } from '../sketches/cmsketch.js';
import { HyperLogLog } from '../sketches/hll.js';
import { deserializeTDigest } from '../sketches/tdigest-codec.js';
import { FilteredSpaceSaving } from '../sketches/topk.js';
import { formatByteaEscape, formatByteaHex, parseBytea } from './bytea.js';
import type { BinaryInput, BinaryOutput, TextInput, TextOutput } from './type-io.js';

/**
 * Fixed OIDs. PipelineDB's types got whatever OIDs CREATE EXTENSION assigned;
 * ours sit below FirstNormalObjectId (16384, where user objects start) in a
 * range PostgreSQL 11 leaves unused, so they never collide with either.
 */
export const SKETCH_OID = {
  hyperloglog: 8800,
  bloom: 8801,
  cmsketch: 8802,
  topk: 8803,
  tdigest: 8804,
} as const;

export interface SketchTypeFacts {
  oid: number;
  name: string;
}

export const SKETCH_TYPES: readonly SketchTypeFacts[] = [
  { oid: SKETCH_OID.hyperloglog, name: 'hyperloglog' },
  { oid: SKETCH_OID.bloom, name: 'bloom' },
  { oid: SKETCH_OID.cmsketch, name: 'cmsketch' },
  { oid: SKETCH_OID.topk, name: 'topk' },
  { oid: SKETCH_OID.tdigest, name: 'tdigest' },
];

/** Bytes before the FSS serialization in a topk value: the element type OID. */
export const TOPK_PREFIX_BYTES = 4;

/** The element type OID recorded in a topk value. */
export function topkElementType(bytes: Uint8Array): number {
  if (bytes.length < TOPK_PREFIX_BYTES) throw invalidSketch('topk');
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/** A topk SQL value: the element type OID, then the summary's bytes. */
export function topkValue(elemType: number, fss: FilteredSpaceSaving): Uint8Array {
  const body = fss.serialize();
  const out = new Uint8Array(TOPK_PREFIX_BYTES + body.length);
  out[0] = elemType >>> 24;
  out[1] = (elemType >>> 16) & 0xff;
  out[2] = (elemType >>> 8) & 0xff;
  out[3] = elemType & 0xff;
  out.set(body, TOPK_PREFIX_BYTES);
  return out;
}

export function topkSummary(bytes: Uint8Array): FilteredSpaceSaving {
  topkElementType(bytes);
  return FilteredSpaceSaving.deserialize(bytes.subarray(TOPK_PREFIX_BYTES));
}

export function invalidSketch(typeName: string): PgError {
  return new PgError(SQLSTATE.invalid_binary_representation, `invalid ${typeName} value`);
}

const VALIDATORS: Record<number, (b: Uint8Array) => unknown> = {
  [SKETCH_OID.hyperloglog]: (b) => HyperLogLog.deserialize(b),
  [SKETCH_OID.bloom]: (b) => BloomFilter.deserialize(b),
  [SKETCH_OID.cmsketch]: (b) => CountMinSketch.deserialize(b),
  [SKETCH_OID.topk]: (b) => topkSummary(b),
  [SKETCH_OID.tdigest]: (b) => deserializeTDigest(b),
};

function validated(t: SketchTypeFacts, bytes: Uint8Array): Uint8Array {
  try {
    VALIDATORS[t.oid]!(bytes);
  } catch {
    throw invalidSketch(t.name);
  }
  return bytes;
}

export interface SketchTypeIo {
  textIn: TextInput;
  textOut: TextOutput;
  binIn: BinaryInput;
  binOut: BinaryOutput;
}

/** The I/O functions of one sketch type, for type-io.ts's table. */
export function sketchTypeIo(t: SketchTypeFacts): SketchTypeIo {
  return {
    textIn: (text) => validated(t, parseBytea(text)),
    textOut: (v, ctx) => (ctx.byteaOutput === 'escape' ? formatByteaEscape(v as Uint8Array) : formatByteaHex(v as Uint8Array)),
    binIn: (buf) => validated(t, new Uint8Array(buf)),
    binOut: (v) => {
      const u = v as Uint8Array;
      return Buffer.from(u.buffer, u.byteOffset, u.length);
    },
  };
}
