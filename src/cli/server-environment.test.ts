import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverEnvironment } from './server-environment.js';

test('the server gets the malloc settings unless the caller set them (empty counts as unset)', () => {
  const env = serverEnvironment({ PATH: '/bin', MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '' });
  assert.equal(env.PATH, '/bin');
  assert.equal(env.MALLOC_ARENA_MAX, '4');
  assert.equal(env.MALLOC_MMAP_THRESHOLD_, '131072');
  assert.deepEqual(serverEnvironment({}), { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
});
