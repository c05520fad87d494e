import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allStrings, lastString, normalizeValueOptions, strerror } from './argv-compat.js';

test('normalizeValueOptions joins value options with their values', () => {
  assert.deepEqual(normalizeValueOptions(['-D', 'dir', '-p5433', '-c', 'a=b'], 'Dpc'), ['-D=dir', '-p=5433', '-c=a=b']);
});

test('normalizeValueOptions takes a dash-led next argument as the value, as getopt does', () => {
  assert.deepEqual(normalizeValueOptions(['-o', '-p 5433 -h x', 'start'], 'o'), ['-o=-p 5433 -h x', 'start']);
  assert.deepEqual(normalizeValueOptions(['--options', '-p 1', '--log', 'f'], 'o', ['options', 'log']), [
    '--options=-p 1',
    '--log=f',
  ]);
});

test('normalizeValueOptions keeps empty values separate and leaves other arguments alone', () => {
  assert.deepEqual(normalizeValueOptions(['-h', '', '-w', '--x=1', 'start'], 'h'), ['-h', '', '-w', '--x=1', 'start']);
  assert.deepEqual(normalizeValueOptions(['-D'], 'D'), ['-D']);
  assert.deepEqual(normalizeValueOptions(['-c=x=1'], 'c'), ['-c=x=1']);
  assert.deepEqual(normalizeValueOptions(['--', '-D', 'x'], 'D'), ['--', '-D', 'x']);
});

test('lastString and allStrings read repeated options', () => {
  assert.equal(lastString(['a', 'b']), 'b');
  assert.equal(lastString('a'), 'a');
  assert.equal(lastString(undefined), undefined);
  assert.deepEqual(allStrings(['a', 'b']), ['a', 'b']);
  assert.deepEqual(allStrings('a'), ['a']);
  assert.deepEqual(allStrings(undefined), []);
});

test('strerror gives the C library text for common errno codes', () => {
  const err = Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
  assert.equal(strerror(err), 'No such process');
  assert.equal(strerror(Object.assign(new Error('odd'), { code: 'EWHATEVER' })), 'odd');
});
