// Filtered-space-saving top-K functions of PipelineDB 1.0: topk (one
// (value, frequency) record per element, most frequent first), topk_values,
// topk_freqs, topk_increment, topk_empty and topk_print. (topk_agg is in
// ../aggregates/sketch-topk.ts.)
//
// A topk value records its element type (see types/sketch-types.ts), and the
// elements are stored as canonical bytes (sketch-value-bytes.ts), decoded here.
// PipelineDB's topk_values(topk) returns the element type's array, a type only
// known per value; an ad-hoc query needs it before running, so the one-argument
// form returns text[] (each element's text output) and topk_values(t, NULL::int[])
// gives the typed array.
import { PgError, SQLSTATE } from '../../errors.js';
import type { FilteredSpaceSaving } from '../../sketches/topk.js';
import { OID, elementOf, typeByOid } from '../../types/oids.js';
import { SKETCH_OID, topkElementType, topkSummary, topkValue } from '../../types/sketch-types.js';
import { getTextOutput, hasTypeIo } from '../../types/type-io.js';
import { PgArray } from '../../types/values.js';
import type { EvalContext } from './catalog.js';
import { registerFunction } from './catalog.js';
import { fn } from './define.js';
import { canonicalCodec } from './sketch-value-bytes.js';
import { invalidParameter, newTopk } from './sketch-support.js';
import { PgRecord } from '../../types/record.js';

const TOPK = SKETCH_OID.topk;

function typeName(oid: number): string {
  return typeByOid(oid)?.sqlName ?? String(oid);
}

function checkElementType(stored: number, given: number): void {
  if (stored !== given) {
    throw new PgError(SQLSTATE.datatype_mismatch, `topk element type is ${typeName(stored)}, not ${typeName(given)}`);
  }
}

/** Adds `weight` occurrences of a SQL value (NULL counts as a value, as in PipelineDB). */
export function topkAdd(fss: FilteredSpaceSaving, elemType: number, v: unknown, weight: number): void {
  if (!(Number.isSafeInteger(weight) && weight >= 0)) throw invalidParameter('weight must be a non-negative integer');
  fss.add(v === null ? null : canonicalCodec(elemType).encode(v), weight);
}

function decodedValues(t: Uint8Array): { elemType: number; items: unknown[] } {
  const elemType = topkElementType(t);
  const codec = canonicalCodec(elemType);
  const items = topkSummary(t)
    .topk()
    .map(([b]) => (b === null ? null : codec.decode(b)));
  return { elemType, items };
}

function increment(args: unknown[], argTypes: number[]): Uint8Array | null {
  const t = args[0] as Uint8Array | null;
  if (t === null) return null; // no k to size a new summary with
  const w = args.length > 2 ? (args[2] as bigint | null) : 1n;
  if (w === null) return t;
  const elemType = topkElementType(t);
  checkElementType(elemType, argTypes[1]!);
  const fss = topkSummary(t);
  topkAdd(fss, elemType, args[1], Number(w));
  return topkValue(elemType, fss);
}

/** An empty summary of an element type (a regtype value), as topk_empty makes it. */
function emptyTopk(elemType: number, k: number, m?: number, h?: number): Uint8Array {
  if (!hasTypeIo(elemType) || elemType === OID.record) throw new PgError(SQLSTATE.feature_not_supported, `topk of type ${typeName(elemType)} is not supported`);
  return topkValue(elemType, newTopk(k, m, h));
}

registerFunction(
  fn('topk', [TOPK], OID.record, ([t]: [Uint8Array]) => {
    const { elemType, items } = decodedValues(t);
    const freqs = topkSummary(t).topk();
    return items.map((v, i) => new PgRecord([elemType, OID.int8], [v, BigInt(freqs[i][1])]));
  }, { returnsSet: true }),
  fn('topk_empty', [OID.regtype, OID.int4], TOPK, ([type, k]: [number, number]) => emptyTopk(type, k)),
  fn('topk_empty', [OID.regtype, OID.int4, OID.int4, OID.int4], TOPK, ([type, k, m, h]: number[]) => emptyTopk(type!, k!, m, h)),
  fn('topk_print', [TOPK], OID.text, ([t]: [Uint8Array]) => {
    const fss = topkSummary(t);
    return `{ k = ${fss.k}, m = ${fss.m}, h = ${fss.h}, count = ${fss.count}, length = ${fss.size}, size = ${Math.floor(t.length / 1024)}kB }`;
  }),
  fn('topk_values', [TOPK], OID._text, ([t]: [Uint8Array], ctx: EvalContext) => {
    const { elemType, items } = decodedValues(t);
    const out = getTextOutput(elemType);
    return new PgArray(OID.text, items.map((v) => (v === null ? null : out(v, ctx.io))));
  }),
  fn(
    'topk_values',
    [TOPK, OID.anyarray],
    (argTypes) => argTypes[1]!,
    ([t]: [Uint8Array | null], _ctx, argTypes) => {
      if (t === null) return null;
      const { elemType, items } = decodedValues(t);
      checkElementType(elemType, elementOf(argTypes[1]!) ?? argTypes[1]!);
      return new PgArray(elemType, items);
    },
    { strict: false },
  ),
  fn('topk_freqs', [TOPK], OID._int8, ([t]: [Uint8Array]) => {
    topkElementType(t);
    return new PgArray(OID.int8, topkSummary(t).topk().map(([, f]) => BigInt(f)));
  }),
  fn('topk_increment', [TOPK, OID.anyelement], TOPK, (a: unknown[], _ctx, t) => increment(a, t), { strict: false }),
  fn('topk_increment', [TOPK, OID.anyelement, OID.int8], TOPK, (a: unknown[], _ctx, t) => increment(a, t), { strict: false }),
);
