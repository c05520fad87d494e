import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Int32List } from './int32-list.js';

const contents = (l: Int32List): number[] => Array.from({ length: l.length }, (_, i) => l.at(i));

test('push grows past the initial capacity and keeps the order', () => {
  const l = new Int32List(2);
  for (let s = 0; s < 1_000; s++) l.push(s * 3);
  assert.equal(l.length, 1_000);
  assert.equal(l.capacity, 1_024);
  assert.deepEqual(contents(l), Array.from({ length: 1_000 }, (_, s) => s * 3));
  assert.deepEqual([...l.copy()], contents(l));
});

test('pop takes the last slot, undefined once empty', () => {
  const l = new Int32List(1);
  l.push(7);
  l.push(9);
  assert.equal(l.pop(), 9);
  assert.equal(l.pop(), 7);
  assert.equal(l.pop(), undefined);
  assert.equal(l.length, 0);
  l.push(0);
  assert.deepEqual(contents(l), [0]);
});

test('retain keeps the chosen slots in order; clear empties; copy is independent', () => {
  const l = new Int32List(4);
  for (let s = 0; s < 10; s++) l.push(s);
  l.retain((s) => s % 3 !== 0);
  assert.deepEqual(contents(l), [1, 2, 4, 5, 7, 8]);
  const c = l.copy();
  l.push(100);
  c[0] = -1;
  assert.deepEqual(contents(l), [1, 2, 4, 5, 7, 8, 100]);
  l.clear();
  assert.equal(l.length, 0);
  l.push(5);
  assert.deepEqual(contents(l), [5]);
});
