// Packed commit slices: what is packed reads back group by group, with its
// storage key (view prefix and group key, from bytes or a KeyId), its
// states and its new flag; a group left open is not part of what is complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyId, keyIdOrder } from '../engine/key-string.js';
import { forEachPackedGroup, PACKED_NEW, PackedGroupsWriter } from './packed-groups.js';
import { GROUP_KEY_OFFSET, viewOidOf } from './storage-key.js';

interface Unpacked {
  viewOid: number;
  key: number[];
  states: number[];
  isNew: boolean;
}

function unpack(bytes: Uint8Array): Unpacked[] {
  const out: Unpacked[] = [];
  forEachPackedGroup(bytes, (flags, keyStart, keyEnd, stateStart, stateEnd) => {
    assert.equal(bytes[keyStart + 4], 1, 'the marker byte after the OID');
    out.push({
      viewOid: viewOidOf(bytes, keyStart),
      key: [...bytes.subarray(keyStart + GROUP_KEY_OFFSET, keyEnd)],
      states: [...bytes.subarray(stateStart, stateEnd)],
      isNew: (flags & PACKED_NEW) !== 0,
    });
  });
  return out;
}

test('packed groups read back as written, keys from bytes or key ids', () => {
  const w = new PackedGroupsWriter(8);
  const long = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
  const groups: Unpacked[] = [
    { viewOid: 16384, key: [], states: [], isNew: true },
    { viewOid: 16384, key: [1, 2, 3], states: [9, 8, 7, 6], isNew: false },
    { viewOid: 0xfffffffe, key: [...long], states: Array.from({ length: 70_000 }, (_, i) => i & 0xff), isNew: true },
  ];
  for (const [i, g] of groups.entries()) {
    // The second group's key as a numbered key id, the third's as a string key id.
    const key = i === 0 ? Uint8Array.from(g.key) : keyId(Uint8Array.from(g.key));
    w.beginGroup(g.viewOid, key, g.isNew);
    w.out.bytes(Uint8Array.from(g.states));
    assert.equal(w.endGroup(), g.states.length);
  }
  assert.equal(w.groups, 3);
  assert.deepEqual(unpack(w.finish()), groups);
});

test('a group left open is not among the complete ones, and the packing cannot be finished', () => {
  const w = new PackedGroupsWriter();
  w.beginGroup(5, Uint8Array.of(1), false);
  w.out.bytes(Uint8Array.of(42));
  w.endGroup();
  w.beginGroup(5, Uint8Array.of(2), true);
  w.out.bytes(Uint8Array.of(1, 2));
  assert.deepEqual(unpack(w.finishComplete()), [{ viewOid: 5, key: [1], states: [42], isNew: false }]);
  assert.throws(() => w.finish(), /still open/);
});

test('truncated packed groups are refused', () => {
  const w = new PackedGroupsWriter();
  w.beginGroup(5, Uint8Array.of(1), false);
  w.out.bytes(Uint8Array.of(1, 2, 3));
  w.endGroup();
  const bytes = w.finish();
  assert.throws(() => forEachPackedGroup(bytes.subarray(0, bytes.length - 1), () => {}), /truncated/);
});

test('a group begun from its key order packs as one begun from its key', () => {
  const byKey = new PackedGroupsWriter(8);
  const byOrder = new PackedGroupsWriter(8);
  const keys = [[], [0], [1, 2, 3, 4], [0xff, 0, 0x80, 7, 9, 0xfe]].map((k) => Uint8Array.from(k));
  keys.forEach((key, i) => {
    for (const [w, begin] of [
      [byKey, () => byKey.beginGroup(16384 + i, key, i % 2 === 0)],
      [byOrder, () => byOrder.beginGroupOfOrder(16384 + i, keyIdOrder(keyId(key)), i % 2 === 0)],
    ] as const) {
      begin();
      w.out.bytes(Uint8Array.of(i, 42));
      w.endGroup();
    }
  });
  assert.deepEqual([...byOrder.finish()], [...byKey.finish()]);
  assert.deepEqual(
    unpack(byOrder.finish()).map((g) => g.key),
    keys.map((k) => [...k]),
  );
});
