// The combiner's writer thread: slices sent one by one are stored in order,
// each in its own transaction; a slice LMDB refuses ends the commit there,
// and it and the slices after it come back whole for the combiner to write
// again. settle() waits for the answer and runs the callback before it
// returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEnvironment } from '../storage/lmdb-env.js';
import { ViewStateStore } from '../storage/view-state-store.js';
import { PackedGroupsWriter } from '../storage/packed-groups.js';
import { DeltaLog } from '../storage/delta-log.js';
import { GROUP_KEY_OFFSET, writeStoragePrefix } from '../storage/storage-key.js';
import { CommitWriter, type WriteResult } from './commit-writer.js';

const VIEW = 16384;

/** A slice of groups keyed by one byte each (or the given key), states [key byte, n]. */
function slice(keys: (number | Uint8Array)[], n: number): Uint8Array {
  const w = new PackedGroupsWriter();
  for (const k of keys) {
    const key = typeof k === 'number' ? Uint8Array.of(k) : k;
    w.beginGroup(VIEW, key, true);
    w.out.bytes(Uint8Array.of(key[0]!, n));
    w.endGroup();
  }
  return w.finish();
}

test('slices are stored in order; a refused one and those after it come back whole', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-writer-'));
  const env = openEnvironment(dir);
  const writer = new CommitWriter(dir);
  try {
    const store = new ViewStateStore(env);
    const results: WriteResult[] = [];
    // A commit whose two slices both write group 1: the later one wins.
    writer.begin((r) => results.push(r));
    assert.ok(writer.busy);
    writer.send(slice([1, 2], 1), 2);
    writer.send(slice([1, 3], 2), 2);
    writer.end();
    writer.settle();
    assert.equal(writer.busy, false);
    assert.deepEqual(results, [{ seq: 1, stored: 2, error: null, unstored: [], foldError: null }] as WriteResult[]);
    store.readLatest();
    assert.deepEqual([...store.get(VIEW, Uint8Array.of(1))!], [1, 2]);
    assert.deepEqual([...store.get(VIEW, Uint8Array.of(2))!], [2, 1]);

    // A slice cut short fails, the second of three: the third is not stored either.
    const refused = slice([4, 7], 3).slice(0, -1);
    const after = slice([5], 3);
    const sent = [slice([6], 3), refused.slice(), after.slice()];
    writer.begin((r) => results.push(r));
    for (const s of [slice([6], 3), refused, after]) writer.send(s, 2);
    writer.end();
    writer.settle();
    const r = results[1]!;
    assert.equal(r.seq, 2);
    assert.equal(r.stored, 1);
    assert.match(r.error!, /truncated/i);
    assert.deepEqual(
      r.unstored.map((u) => [...u]),
      sent.slice(1).map((u) => [...u]),
    );
    store.readLatest();
    assert.deepEqual([...store.get(VIEW, Uint8Array.of(6))!], [6, 3]);
    assert.equal(store.get(VIEW, Uint8Array.of(4)), undefined, 'nothing of the refused slice is stored');
    assert.equal(store.get(VIEW, Uint8Array.of(5)), undefined);
  } finally {
    await writer.close();
    await env.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an answer that arrives through the event loop runs the callback there', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-writer-'));
  const writer = new CommitWriter(dir);
  try {
    const answered = new Promise<WriteResult>((resolve) => writer.begin(resolve));
    writer.send(slice([1], 1), 2);
    writer.end();
    const expected: WriteResult = { seq: 1, stored: 1, error: null, unstored: [], foldError: null };
    assert.deepEqual(await answered, expected);
    assert.equal(writer.busy, false);
    // settle() with nothing being written returns at once.
    writer.settle();
  } finally {
    await writer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('poll() takes a posted answer without the event loop; before the answer it does nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-writer-'));
  const writer = new CommitWriter(dir);
  try {
    const results: WriteResult[] = [];
    writer.poll(); // nothing being written
    writer.begin((r) => results.push(r));
    writer.poll(); // nothing sent yet: nothing to take
    assert.equal(writer.busy, true);
    writer.send(slice([1], 1), 2);
    writer.end();
    // A busy thread that never returns to its event loop still gets the answer.
    const until = Date.now() + 10_000;
    while (writer.busy && Date.now() < until) writer.poll();
    assert.equal(writer.busy, false);
    assert.deepEqual(results, [{ seq: 1, stored: 1, error: null, unstored: [], foldError: null }] as WriteResult[]);
  } finally {
    await writer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a writer thread that ends without answering fails settle() instead of hanging it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-writer-'));
  // A file where the data directory's lmdb/ should be: the writer cannot open the environment.
  fs.writeFileSync(path.join(dir, 'lmdb'), 'not a directory');
  const ended: Error[] = [];
  const gone = new Promise<void>((resolve) => {
    const writer = new CommitWriter(dir, (e) => {
      ended.push(e);
      if (/exited/.test(e.message)) resolve();
    });
    writer.begin(() => assert.fail('no answer can come'));
    writer.send(slice([1], 1), 2);
    writer.end();
    assert.throws(() => writer.settle(), /ended without answering/);
  });
  await gone;
  assert.ok(ended.some((e) => /exited/.test(e.message)));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A data directory, its environment, and how many delta log records wait to be folded. */
function withDeltaLog(): { dir: string; env: ReturnType<typeof openEnvironment>; pending: () => number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-writer-'));
  const env = openEnvironment(dir);
  const log = new DeltaLog(env);
  const pending = (): number => {
    const m = log.meta();
    return m.last - m.folded;
  };
  return { dir, env, pending };
}

test('small slices go to the delta log, which the writer folds within seconds and on a clean close', async () => {
  const { dir, env, pending } = withDeltaLog();
  const writer = new CommitWriter(dir);
  try {
    const store = new ViewStateStore(env);
    const commit = (s: Uint8Array): void => {
      writer.begin(() => {});
      writer.send(s, 2);
      writer.end();
      writer.settle();
    };
    commit(slice([1, 2], 1));
    commit(slice([2], 2));
    store.readLatest();
    assert.equal(pending(), 2, 'two records wait in the log');
    assert.deepEqual([...store.get(VIEW, Uint8Array.of(2))!], [2, 2]);
    // Folded by the writer's timer: waited for, with a deadline far past the fold interval.
    const deadline = Date.now() + 30_000;
    while (pending() > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      store.readLatest();
    }
    assert.equal(pending(), 0, 'the writer folded the log');
    assert.deepEqual([...store.get(VIEW, Uint8Array.of(1))!], [1, 1]);
    assert.deepEqual([...store.get(VIEW, Uint8Array.of(2))!], [2, 2]);
    commit(slice([3], 3));
    store.readLatest();
    assert.equal(pending(), 1);
  } finally {
    await writer.close();
  }
  const after = new ViewStateStore(env);
  after.readLatest();
  assert.equal(pending(), 0, 'a clean close leaves the log empty');
  assert.deepEqual([...after.get(VIEW, Uint8Array.of(3))!], [3, 3]);
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a fold that fails is reported with the next answer, commits go on into the log, and the fold is tried again', async () => {
  const { dir, env, pending } = withDeltaLog();
  // A block no reader can read, where the view's first groups go: every fold into it fails.
  const blocks = env.openDB<Uint8Array, Buffer>({ name: 'view_blocks', keyEncoding: 'binary', encoding: 'binary' });
  const fence = Buffer.alloc(GROUP_KEY_OFFSET);
  writeStoragePrefix(fence, 0, VIEW);
  await blocks.put(fence, Buffer.from([0x7f]));
  const writer = new CommitWriter(dir);
  try {
    const store = new ViewStateStore(env);
    const commit = (s: Uint8Array): WriteResult => {
      let answer: WriteResult | null = null;
      writer.begin((r) => (answer = r));
      writer.send(s, 1);
      writer.end();
      writer.settle();
      return answer!;
    };
    let reported: string | null = null;
    const deadline = Date.now() + 30_000;
    for (let n = 1; reported === null && Date.now() < deadline; n++) {
      const r = commit(slice([1], n % 200));
      assert.equal(r.error, null, 'the commit is stored all the same');
      reported = r.foldError;
      await new Promise((done) => setTimeout(done, 100));
    }
    assert.match(reported ?? '', /invalid view state block/);
    store.readLatest();
    assert.ok(pending() > 0, 'the records wait in the log');
    assert.equal(store.get(VIEW, Uint8Array.of(1))!.length, 2, 'reads see them');
    // The block mended, a later try folds the log.
    await blocks.remove(fence);
    const until = Date.now() + 30_000;
    while (pending() > 0 && Date.now() < until) {
      await new Promise((done) => setTimeout(done, 100));
      store.readLatest();
    }
    assert.equal(pending(), 0, 'the fold was tried again');
    assert.equal(store.get(VIEW, Uint8Array.of(1))!.length, 2);
  } finally {
    await writer.close();
    await env.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
