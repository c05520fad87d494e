import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escalateShutdown, SHUTDOWN_SIGNALS } from './shutdown-signals.js';

test('signals map to the postmaster shutdown modes', () => {
  assert.deepEqual(Object.fromEntries(SHUTDOWN_SIGNALS), { SIGTERM: 'smart', SIGINT: 'fast', SIGQUIT: 'immediate' });
});

test('a later request only ever makes shutdown more urgent', () => {
  assert.equal(escalateShutdown(null, 'smart'), 'smart');
  assert.equal(escalateShutdown('smart', 'fast'), 'fast');
  assert.equal(escalateShutdown('smart', 'immediate'), 'immediate');
  assert.equal(escalateShutdown('fast', 'immediate'), 'immediate');
  assert.equal(escalateShutdown('smart', 'smart'), null);
  assert.equal(escalateShutdown('fast', 'smart'), null);
  assert.equal(escalateShutdown('immediate', 'fast'), null);
});
