// A compact, self-describing encoding of aggregate states (and the SQL values
// inside them) for serialize()/deserialize(): states cross threads and are
// stored, so they must survive a round trip exactly.
import { Interval, Numeric, PgArray, Dec } from '../../types/values.js';

type Tagged =
  | null
  | boolean
  | string
  | number
  | { n: string }
  | { b: string }
  | { d: [string, number] }
  | { i: [number, number, number] }
  | { a: [number, number, Tagged[]] }
  | { y: string }
  | { l: Tagged[] }
  | { o: Record<string, Tagged> };

function tag(v: unknown): Tagged {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : { n: String(v) };
    case 'bigint':
      return { b: v.toString() };
  }
  if (v instanceof Numeric) return { d: [v.value.toString(), v.dscale] };
  if (v instanceof Interval) return { i: [v.months, v.days, v.micros] };
  if (v instanceof PgArray) return { a: [v.elemType, v.lower, v.items.map(tag)] };
  if (v instanceof Uint8Array) return { y: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return { l: v.map(tag) };
  const o: Record<string, Tagged> = {};
  for (const [k, x] of Object.entries(v as object)) o[k] = tag(x);
  return { o };
}

function untag(t: Tagged): unknown {
  if (t === null || typeof t !== 'object') return t;
  if ('n' in t) return Number(t.n);
  if ('b' in t) return BigInt(t.b);
  if ('d' in t) return new Numeric(new Dec(t.d[0]), t.d[1]);
  if ('i' in t) return new Interval(t.i[0], t.i[1], t.i[2]);
  if ('a' in t) return new PgArray(t.a[0], t.a[2].map(untag), t.a[1]);
  if ('y' in t) return new Uint8Array(Buffer.from(t.y, 'base64'));
  if ('l' in t) return t.l.map(untag);
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(t.o)) o[k] = untag(x);
  return o;
}

export function encodeState(state: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify(tag(state)), 'utf8'));
}

export function decodeState<T>(bytes: Uint8Array): T {
  return untag(JSON.parse(Buffer.from(bytes).toString('utf8')) as Tagged) as T;
}
