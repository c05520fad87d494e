// Count-Min sketch functions of PipelineDB 1.0: cmsketch_empty, cmsketch_print, freq,
// freq_norm, freq_total, freq_add. (freq_agg / freq_merge_agg are in
// ../aggregates/sketch-cmsketch.ts.) A NULL sketch counts as empty.
import { PgError, SQLSTATE } from '../../errors.js';
import { CountMinSketch } from '../../sketches/cmsketch.js';
import { OID } from '../../types/oids.js';
import { SKETCH_OID } from '../../types/sketch-types.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';
import { canonicalCodec } from './sketch-value-bytes.js';
import { invalidParameter, newCms, readCms } from './sketch-support.js';

const CMS = SKETCH_OID.cmsketch;
const INT4_MAX = 2147483647;

function frequency([c, v]: [Uint8Array | null, unknown], argTypes: number[]): number {
  if (c === null || v === null) return 0;
  const n = readCms(c).estimate(canonicalCodec(argTypes[1]!).encode(v));
  if (n > INT4_MAX) throw new PgError(SQLSTATE.numeric_value_out_of_range, 'integer out of range');
  return n;
}

function normFrequency([c, v]: [Uint8Array | null, unknown], argTypes: number[]): number {
  if (c === null || v === null) return 0;
  return readCms(c).normalizedFrequency(canonicalCodec(argTypes[1]!).encode(v));
}

// freq_add(NULL, x) starts a default sketch; adding NULL leaves the sketch as it is.
function freqAdd(args: unknown[], argTypes: number[]): Uint8Array | null {
  const c = args[0] as Uint8Array | null;
  const v = args[1];
  const n = args.length > 2 ? (args[2] as number | null) : 1;
  if (v === null || n === null) return c;
  if (n < 0) throw invalidParameter('count must be non-negative');
  const cms = c === null ? CountMinSketch.withErrorBounds() : readCms(c);
  cms.add(canonicalCodec(argTypes[1]!).encode(v), n);
  return cms.serialize();
}

registerFunction(
  fn('cmsketch_print', [CMS], OID.text, ([c]: [Uint8Array]) => {
    const cms = readCms(c);
    return `{ d = ${cms.depth}, w = ${cms.width}, count = ${cms.total}, size = ${Math.floor(c.length / 1024)}kB }`;
  }),
  fn('cmsketch_empty', [], CMS, () => CountMinSketch.withErrorBounds().serialize()),
  fn('cmsketch_empty', [OID.float8, OID.float8], CMS, ([eps, p]: [number, number]) => newCms(eps, p).serialize()),
  fn('freq', [CMS, OID.anyelement], OID.int4, (a, _ctx, t) => frequency(a, t), { strict: false }),
  fn('freq', [CMS, OID.text], OID.int4, (a, _ctx, t) => frequency(a, t), { strict: false }),
  fn('freq_norm', [CMS, OID.anyelement], OID.float8, (a, _ctx, t) => normFrequency(a, t), { strict: false }),
  fn('freq_total', [CMS], OID.int8, ([c]: [Uint8Array | null]) => (c === null ? 0n : BigInt(readCms(c).total)), { strict: false }),
  fn('freq_add', [CMS, OID.anyelement], CMS, (a: unknown[], _ctx, t) => freqAdd(a, t), { strict: false }),
  fn('freq_add', [CMS, OID.text], CMS, (a: unknown[], _ctx, t) => freqAdd(a, t), { strict: false }),
  // PipelineDB 1.0's script declares this one RETURNS float8 while returning the sketch; we return cmsketch.
  fn('freq_add', [CMS, OID.anyelement, OID.int4], CMS, (a: unknown[], _ctx, t) => freqAdd(a, t), { strict: false }),
);
