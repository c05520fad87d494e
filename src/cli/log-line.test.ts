import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogEntry, logTimestamp } from './log-line.js';
import { describeStartupFailure } from './startup-errors.js';
import { PgError, SQLSTATE } from '../errors.js';

const when = new Date(Date.UTC(2019, 3, 1, 2, 3, 4, 5));

test('log lines carry the %m [%p] prefix and two spaces after the severity', () => {
  assert.equal(logTimestamp(when), '2019-04-01 02:03:04.005 UTC');
  assert.equal(
    formatLogEntry('FATAL', 'lock file "postmaster.pid" already exists', { hint: 'Is another postmaster (PID 7) running?' }, 42, when),
    '2019-04-01 02:03:04.005 UTC [42] FATAL:  lock file "postmaster.pid" already exists\n' +
      '2019-04-01 02:03:04.005 UTC [42] HINT:  Is another postmaster (PID 7) running?\n',
  );
  assert.equal(formatLogEntry('LOG', 'x', { detail: 'd' }, 1, when), '2019-04-01 02:03:04.005 UTC [1] LOG:  x\n2019-04-01 02:03:04.005 UTC [1] DETAIL:  d\n');
});

test('startup failures: PgError keeps its detail and hint, a busy port reads like the postmaster', () => {
  const pg = new PgError(SQLSTATE.invalid_parameter_value, 'invalid value for parameter "port": "x"', { hint: 'h' });
  assert.deepEqual(describeStartupFailure(pg), [
    { severity: 'FATAL', message: 'invalid value for parameter "port": "x"', fields: { detail: undefined, hint: 'h' } },
  ]);
  const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', syscall: 'listen', address: '127.0.0.1', port: 5432 });
  assert.deepEqual(
    describeStartupFailure(busy).map((e) => `${e.severity}: ${e.message}`),
    [
      'LOG: could not bind IPv4 address "127.0.0.1": Address already in use',
      'WARNING: could not create listen socket for "127.0.0.1"',
      'FATAL: could not create any TCP/IP sockets',
    ],
  );
  assert.equal(describeStartupFailure(busy)[0]!.fields.hint, 'Is another postmaster already running on port 5432? If not, wait a few seconds and retry.');
  assert.deepEqual(describeStartupFailure(new Error('boom')), [{ severity: 'FATAL', message: 'boom', fields: {} }]);
});
