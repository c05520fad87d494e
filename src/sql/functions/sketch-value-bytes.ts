// Canonical bytes of SQL values for the sketches: what hll_agg, bloom_agg,
// freq_agg and topk_agg hash, and what topk stores. Equal SQL values of one
// type must give equal bytes whatever their spelling, so:
//
//   - types with a view group-key codec (src/planner/key-codec.ts: bool, the
//     integer, float and date/time types, numeric, text-like types, bytea,
//     interval, jsonb, uuid) use that codec: 1.0 and 1.00 are one value, '1 day'
//     and '24 hours' one interval, -0 and 0 one float, as PostgreSQL's equality;
//   - any other type uses the UTF-8 of its text output under fixed default
//     settings (never the session's DateStyle etc.), read back with text input.
//
// Bytes depend on the type's codec: 1::int4 and 1::int8 hash differently, as
// their datums do in PipelineDB. Decoding gives the canonical spelling
// (numeric with the fewest digits that show it, interval as days and time).
import { ByteReader, ByteWriter } from '../../planner/bytes.js';
import { keyCodecFor } from '../../planner/key-codec.js';
import { defaultIoContext } from '../../types/io-context.js';
import { getTextInput, getTextOutput } from '../../types/type-io.js';

export interface CanonicalCodec {
  /** A fresh byte array (callers may keep it). */
  encode(v: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

const FIXED_IO = defaultIoContext();
// Functions run synchronously on one thread, so one writer serves every codec.
const writer = new ByteWriter(64);
const cache = new Map<number, CanonicalCodec>();

/** The canonical codec of a type's non-null values. */
export function canonicalCodec(type: number): CanonicalCodec {
  let c = cache.get(type);
  if (c === undefined) {
    c = build(type);
    cache.set(type, c);
  }
  return c;
}

function build(type: number): CanonicalCodec {
  const key = keyCodecFor(type, -1);
  if (key !== null) {
    return {
      encode: (v) => {
        writer.reset();
        key.write(writer, v);
        return writer.finish();
      },
      decode: (bytes) => key.read(new ByteReader(bytes)),
    };
  }
  const out = getTextOutput(type);
  const inp = getTextInput(type);
  return {
    encode: (v) => new Uint8Array(Buffer.from(out(v, FIXED_IO), 'utf8')),
    decode: (bytes) => inp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'), -1, FIXED_IO),
  };
}
