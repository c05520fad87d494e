import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FilteredSpaceSaving, type TopKEntry } from './topk.js';
import { PgError } from '../errors.js';
import { int8Bytes, seededRandom, zipfStream } from './cmsketch-test-streams.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function names(entries: TopKEntry[]): (string | null)[] {
  return entries.map(([v]) => (v === null ? null : dec.decode(v)));
}

function decodeInt8(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, 8).getInt32(0, true);
}

function trueTop(stream: Int32Array, k: number): [number, number][] {
  const m = new Map<number, number>();
  for (const v of stream) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
}

function sketchOf(stream: Int32Array, k: number): FilteredSpaceSaving {
  const fss = new FilteredSpaceSaving(k);
  const buf = new Uint8Array(8);
  for (const v of stream) fss.add(int8Bytes(v, buf));
  return fss;
}

test('sizes follow PipelineDB (m = 3k, h = 18k)', () => {
  const fss = new FilteredSpaceSaving(10);
  assert.equal(fss.m, 30);
  assert.equal(fss.h, 180);
  assert.throws(() => new FilteredSpaceSaving(0), RangeError);
  assert.throws(() => fss.topk(11), (e: unknown) =>
    e instanceof PgError && e.code === 'XX000' && e.message === 'maximum value for k exceeded');
  assert.deepEqual(fss.topk(), []);
});

test('filter, eviction and ordering follow the FSS rules step by step', () => {
  // k = 1: m = 3 monitored slots, h = 18 counters; hashes chosen to control counters.
  const fss = new FilteredSpaceSaving(1);
  const v = (s: string) => enc.encode(s);
  fss.add(v('a'), 1, 0);
  fss.add(v('b'), 1, 1);
  fss.add(v('c'), 1, 2);
  assert.deepEqual(names(fss.topk(1)), ['a']);
  // d shares a's counter, list full; alpha 0 + 1 >= min frequency 1: evict the last (c).
  fss.add(v('d'), 1, 18);
  assert.equal(fss.alpha[2], 1);
  assert.equal(fss.monitoredAt[2], 0);
  assert.equal(fss.monitoredAt[0], 2);
  // c returns: its counter remembers 1, so it enters with frequency 2, error 1, evicting d.
  fss.add(v('c'), 1, 2);
  assert.deepEqual(Array.from(fss.freq), [2, 1, 1]);
  assert.deepEqual(Array.from(fss.error), [1, 0, 0]);
  assert.deepEqual(names(fss.values.map((x) => [x, 0] as TopKEntry)), ['c', 'a', 'b']);
  assert.equal(fss.alpha[0], 1);
  // e on counter 0 (alpha 1): 1 + 1 >= 1, evicts b; ties (2, 1) with c break by bytes.
  fss.add(v('e'), 1, 36);
  assert.deepEqual(fss.topk(1).map(([x, f]) => [dec.decode(x!), f]), [['c', 2]]);
  assert.deepEqual(names(fss.values.map((x) => [x, 0] as TopKEntry)), ['c', 'e', 'a']);
  fss.add(v('a'), 5, 0);
  assert.deepEqual(Array.from(fss.freq), [6, 2, 2]);
  // g: alpha 0 + 1 < min frequency 2, so it only feeds the filter.
  fss.add(v('g'), 1, 5);
  assert.equal(fss.alpha[5], 1);
  assert.equal(fss.size, 3);
  assert.deepEqual(names(fss.values.map((x) => [x, 0] as TopKEntry)), ['a', 'c', 'e']);
  assert.equal(fss.count, 8);
});

test('finds the true top 10 of a Zipf stream, in order', () => {
  const stream = zipfStream(200_000, 20_000, 1.1, 3);
  const fss = sketchOf(stream, 10);
  const truth = trueTop(stream, 10);
  const got = fss.topk();
  assert.deepEqual(got.map(([b]) => decodeInt8(b!)), truth.map(([v]) => v));
  for (let i = 0; i < 10; i++) {
    const est = got[i]![1];
    const err = fss.error[i]!;
    assert.ok(est >= truth[i]![1] && est - err <= truth[i]![1], `rank ${i}: ${est}-${err} vs ${truth[i]![1]}`);
  }
  assert.equal(fss.count, stream.length);
});

test('merge of random splits still finds the top 10', () => {
  const stream = zipfStream(200_000, 20_000, 1.1, 21);
  const rand = seededRandom(8);
  const splits: number[][] = [[], [], [], []];
  for (const v of stream) splits[Math.floor(rand() * 4)]!.push(v);
  const parts = splits.map((s) => sketchOf(Int32Array.from(s), 10));
  const merged = parts[0]!;
  for (let i = 1; i < parts.length; i++) merged.merge(parts[i]!);
  const truth = trueTop(stream, 10);
  assert.deepEqual(merged.topk().map(([b]) => decodeInt8(b!)), truth.map(([v]) => v));
  for (const [b, f] of merged.topk()) {
    const t = truth.find(([v]) => v === decodeInt8(b!))![1];
    assert.ok(f >= t, `merged estimate ${f} below true ${t}`);
  }
  assert.equal(merged.count, stream.length);
  let monitored = 0;
  for (const c of merged.monitoredAt) monitored += c;
  assert.equal(monitored, merged.size);
});

test('merge combines filters and monitored elements exactly', () => {
  const v = (s: string) => enc.encode(s);
  const a = new FilteredSpaceSaving(1);
  const b = new FilteredSpaceSaving(1);
  a.add(v('x'), 3, 0);
  a.add(v('y'), 1, 1);
  b.add(v('y'), 4, 1);
  b.add(v('z'), 2, 2);
  b.add(v('w'), 1, 3);
  b.add(v('q'), 1, 3 + 18); // counter 3 again: 0 + 1 >= 1 evicts w (alpha[3] = 1), q gets 2/1
  assert.deepEqual(names(b.topk(1)), ['y']);
  a.merge(b);
  // Union: y 5, x 3, z 2 (error 0), q 2 (error 1) -> keep 3.
  assert.deepEqual(Array.from(a.freq), [5, 3, 2]);
  assert.deepEqual(names(a.values.map((x) => [x, 0] as TopKEntry)), ['y', 'x', 'z']);
  assert.equal(a.alpha[3], 1);
  assert.equal(a.monitoredAt[3], 0);
  assert.equal(a.monitoredAt[1], 1);
  assert.equal(a.count, 6);
  assert.throws(() => a.merge(new FilteredSpaceSaving(2)), PgError);
});

test('ordering is deterministic regardless of insertion order', () => {
  const words = ['pear', 'apple', 'fig', 'kiwi', 'date'];
  const orders = [words, [...words].reverse(), ['fig', 'date', 'pear', 'kiwi', 'apple']];
  const results = orders.map((order) => {
    const fss = new FilteredSpaceSaving(5);
    for (const w of order) fss.add(enc.encode(w), w === 'kiwi' ? 2 : 1);
    fss.add(null);
    return fss.topk().map(([b, f]) => [b === null ? null : dec.decode(b), f]);
  });
  assert.deepEqual(results[0], [['kiwi', 2], ['apple', 1], ['date', 1], ['fig', 1], ['pear', 1]]);
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
});

test('add copies the caller buffer; NULL is a distinct value', () => {
  const fss = new FilteredSpaceSaving(2);
  const buf = enc.encode('ab');
  fss.add(buf);
  buf[0] = 0x7a;
  fss.add(null, 3);
  fss.add(new Uint8Array(0));
  assert.deepEqual(fss.topk().map(([b, f]) => [b === null ? null : dec.decode(b), f]), [[null, 3], ['', 1]]);
  assert.deepEqual(fss.values.slice(0, 3).map((b) => (b === null ? null : dec.decode(b))), [null, '', 'ab']);
});

test('serialize/deserialize round trip is exact', () => {
  const stream = zipfStream(20_000, 3_000, 1.1, 17);
  const fss = sketchOf(stream, 10);
  fss.add(null, 2);
  const bytes = fss.serialize();
  assert.equal(bytes[0], 1);
  const back = FilteredSpaceSaving.deserialize(bytes);
  for (const key of ['k', 'm', 'h', 'size', 'count'] as const) assert.equal(back[key], fss[key]);
  assert.deepEqual(back.alpha, fss.alpha);
  assert.deepEqual(back.monitoredAt, fss.monitoredAt);
  assert.deepEqual(back.freq, fss.freq);
  assert.deepEqual(back.error, fss.error);
  assert.deepEqual(back.hash, fss.hash);
  assert.deepEqual(back.values, fss.values);
  assert.deepEqual(back.serialize(), bytes);
  // Both keep behaving identically.
  const buf = new Uint8Array(8);
  for (const v of zipfStream(5_000, 3_000, 1.1, 18)) {
    fss.add(int8Bytes(v, buf));
    back.add(buf);
  }
  assert.deepEqual(back.serialize(), fss.serialize());

  const wrongVersion = bytes.slice();
  wrongVersion[0] = 9;
  assert.throws(() => FilteredSpaceSaving.deserialize(wrongVersion), PgError);
  assert.throws(() => FilteredSpaceSaving.deserialize(bytes.subarray(0, bytes.length - 1)), PgError);
});
