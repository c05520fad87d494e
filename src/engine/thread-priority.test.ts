import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';

// The worker imports the compiled module, as the server's threads do.
const MODULE = new URL('./thread-priority.js', import.meta.url).href;

test('lowerThreadPriority lowers only the calling thread (Linux)', { skip: process.platform !== 'linux' }, async () => {
  const before = getPriority(0);
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { getPriority } = require('node:os');
    import(${JSON.stringify(MODULE)}).then(({ lowerThreadPriority }) => {
      const start = getPriority(0);
      lowerThreadPriority(3);
      const once = getPriority(0);
      lowerThreadPriority(30);
      parentPort.postMessage({ start, once, clamped: getPriority(0) });
    });`;
  const seen = await new Promise<{ start: number; once: number; clamped: number }>((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once('message', (m) => { resolve(m); void w.terminate(); });
    w.once('error', reject);
  });
  assert.equal(seen.start, before);
  assert.equal(seen.once, Math.min(19, before + 3));
  assert.equal(seen.clamped, 19);
  // The main thread (and so the process's other threads) kept its priority.
  assert.equal(getPriority(0), before);
});

test('a thread started by a lowered thread starts at its niceness (as a combiner starts its commit writer)', { skip: process.platform !== 'linux' }, async () => {
  const before = getPriority(0);
  const code = `
    const { parentPort, Worker } = require('node:worker_threads');
    const { getPriority } = require('node:os');
    import(${JSON.stringify(MODULE)}).then(({ lowerThreadPriority }) => {
      lowerThreadPriority(3);
      const child = new Worker("require('node:worker_threads').parentPort.postMessage(require('node:os').getPriority(0))", { eval: true });
      child.once('message', (p) => { parentPort.postMessage({ self: getPriority(0), child: p }); void child.terminate(); });
    });`;
  const seen = await new Promise<{ self: number; child: number }>((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once('message', (m) => { resolve(m); void w.terminate(); });
    w.once('error', reject);
  });
  assert.equal(seen.self, Math.min(19, before + 3));
  assert.equal(seen.child, seen.self);
  assert.equal(getPriority(0), before);
});
