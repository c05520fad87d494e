import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  formatPostmasterOpts,
  parsePostmasterOpts,
  readPostmasterOptsText,
  restartArgsFromOpts,
  writePostmasterOpts,
} from './postmaster-opts.js';

test('postmaster.opts holds the program path, then each argument double-quoted', () => {
  assert.equal(
    formatPostmasterOpts('/opt/p/pipelinedb.js', ['-D', '/data', '-c', 'search_path="$user", public']),
    '/opt/p/pipelinedb.js "-D" "/data" "-c" "search_path=\\"\\$user\\", public"\n',
  );
});

test('parsePostmasterOpts returns the arguments after the program path', () => {
  const args = ['-D', '/my data', '-p', '5433', '-c', 'x=a"b\\c'];
  assert.deepEqual(parsePostmasterOpts(formatPostmasterOpts('/opt/pipelinedb.js', args)), args);
  assert.deepEqual(parsePostmasterOpts('/opt/pipelinedb.js\n'), []);
});

test('write then read in a data directory; missing file reads as null', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opts-test-'));
  try {
    assert.equal(readPostmasterOptsText(dir), null);
    writePostmasterOpts(dir, '/x/pipelinedb.js', ['-D', dir]);
    assert.equal(readPostmasterOptsText(dir), `/x/pipelinedb.js "-D" "${dir}"\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('restartArgsFromOpts drops every -D so restarts do not accumulate them', () => {
  const text = formatPostmasterOpts('/x/pipelinedb.js', ['-D', '/d', '-D/d', '-p', '5433', '-c', 'a=-1', '-h', '']);
  assert.deepEqual(restartArgsFromOpts(text), ['-p=5433', '-c=a=-1', '-h', '']);
});
