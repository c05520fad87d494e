import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputGate } from './input-gate.js';

type Msg = { batch: boolean; name: string };
const batch = (name: string): Msg => ({ batch: true, name });
const control = (name: string): Msg => ({ batch: false, name });

function gate(combiners: number, max = 100): { g: InputGate<Msg>; handled: string[] } {
  const handled: string[] = [];
  let g!: InputGate<Msg>;
  // Each batch sends 60 bytes to every combiner.
  g = new InputGate<Msg>(combiners, (m) => {
    handled.push(m.name);
    if (m.batch) for (let c = 0; c < combiners; c++) g.sent(c, 60);
  }, (m) => m.batch, max);
  return { g, handled };
}

test('batches wait while a combiner has more than the budget unmerged, control messages wait behind them, all in order', () => {
  const { g, handled } = gate(2);
  g.receive(batch('b1'));
  g.receive(control('views'));
  g.receive(batch('b2'));
  // 120 bytes unmerged at each combiner: over the budget of 100.
  g.receive(batch('b3'));
  g.receive(control('drain'));
  g.receive(batch('b4'));
  assert.deepEqual(handled, ['b1', 'views', 'b2']);
  assert.equal(g.holding, 3);
  // One combiner catching up is not enough.
  g.merged(0, 120);
  assert.deepEqual(handled, ['b1', 'views', 'b2']);
  g.merged(1, 60);
  // 60 at each: b3 goes (120 each again), then drain, and b4 waits.
  assert.deepEqual(handled, ['b1', 'views', 'b2', 'b3', 'drain']);
  assert.equal(g.holding, 1);
  g.merged(0, 120);
  g.merged(1, 120);
  assert.deepEqual(handled, ['b1', 'views', 'b2', 'b3', 'drain', 'b4']);
  assert.equal(g.holding, 0);
});

test('a combiner that is gone holds nothing back', () => {
  const { g, handled } = gate(2);
  for (const n of ['b1', 'b2', 'b3', 'b4']) g.receive(batch(n));
  assert.deepEqual(handled, ['b1', 'b2']);
  g.merged(0, 1000);
  assert.deepEqual(handled, ['b1', 'b2']);
  g.closed(1);
  // Combiner 0 takes b3 (60 bytes); b4 goes too (120, not over 100 until it is sent).
  assert.deepEqual(handled, ['b1', 'b2', 'b3', 'b4']);
});
