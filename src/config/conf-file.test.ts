import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfText, readConfFile } from './conf-file.js';

function pairs(text: string): Array<[string, string]> {
  const r = parseConfText(text);
  assert.deepEqual(r.errors, []);
  return r.items.map((i) => [i.name, i.value]);
}

test('name = value, name value, comments and blank lines', () => {
  assert.deepEqual(
    pairs("# comment\n\nport = 5433\nmax_connections 20   # trailing\n  ssl=on\npipelinedb.num_workers=4\n"),
    [['port', '5433'], ['max_connections', '20'], ['ssl', 'on'], ['pipelinedb.num_workers', '4']],
  );
});

test('quoted strings: doubled quotes, backslash escapes, # inside quotes', () => {
  assert.deepEqual(pairs("a = 'it''s'\nb = 'x\\'y'\nc = 'tab\\there'\nd = 'oct\\101\\7'\ne = '#not a comment' # c\nf = ''\n"), [
    ['a', "it's"],
    ['b', "x'y"],
    ['c', 'tab\there'],
    ['d', 'octA\x07'],
    ['e', '#not a comment'],
    ['f', ''],
  ]);
});

test('bare values: numbers with units, words with - . : /, signs, hex, reals', () => {
  assert.deepEqual(pairs('a = 50ms\nb = 256MB\nc = -1\nd = 0x1F\ne = 5.5\nf = scram-sha-256\ng = x.y:z/w-1\nh = 1e3\n'), [
    ['a', '50ms'], ['b', '256MB'], ['c', '-1'], ['d', '0x1F'], ['e', '5.5'], ['f', 'scram-sha-256'], ['g', 'x.y:z/w-1'], ['h', '1e3'],
  ]);
});

test('syntax errors carry file and line, and parsing continues', () => {
  assert.equal(parseConfText('d = /tmp/x\n').errors[0]?.message, 'syntax error in file "/work/main/pipelinedb.conf" line 1, near token "/tmp/x"'.replace('/work/main', process.cwd()));
  const r = parseConfText("port = 5432\nlisten_addresses = *\nfoo =\nbar = 'unterminated\nbaz = 1 2\nok = 1\n", '/x/p.conf');
  assert.deepEqual(r.errors.map((e) => [e.code, e.line, e.message]), [
    ['42601', 2, 'syntax error in file "/x/p.conf" line 2, near token "*"'],
    ['42601', 3, 'syntax error in file "/x/p.conf" line 3, near end of line'],
    ['42601', 4, `syntax error in file "/x/p.conf" line 4, near token "'unterminated"`],
    ['42601', 5, 'syntax error in file "/x/p.conf" line 5, near token "2"'],
  ]);
  assert.deepEqual(r.items.map((i) => i.name), ['port', 'ok']);
});

test('include, include_if_exists and include_dir resolve relative to the including file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conf-'));
  mkdirSync(join(dir, 'sub'));
  mkdirSync(join(dir, 'sub', 'conf.d'));
  writeFileSync(join(dir, 'main.conf'), "port = 1\ninclude 'sub/a.conf'\ninclude_if_exists 'missing.conf'\nmax_connections = 9\n");
  writeFileSync(join(dir, 'sub', 'a.conf'), "ssl = on\ninclude_dir 'conf.d'\n");
  writeFileSync(join(dir, 'sub', 'conf.d', '20-b.conf'), 'b = 2\n');
  writeFileSync(join(dir, 'sub', 'conf.d', '10-a.conf'), 'a = 1\n');
  writeFileSync(join(dir, 'sub', 'conf.d', '.hidden.conf'), 'h = 1\n');
  writeFileSync(join(dir, 'sub', 'conf.d', 'notes.txt'), 'n = 1\n');
  const r = readConfFile(join(dir, 'main.conf'));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.items.map((i) => [i.name, i.value, i.line]), [
    ['port', '1', 1], ['ssl', 'on', 1], ['a', '1', 1], ['b', '2', 1], ['max_connections', '9', 4],
  ]);
  assert.equal(r.items[2]!.file, join(dir, 'sub', 'conf.d', '10-a.conf'));
  assert.deepEqual(r.notices, [`skipping missing configuration file "${join(dir, 'missing.conf')}"`]);
});

test('a missing include and include recursion are errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conf-'));
  writeFileSync(join(dir, 'a.conf'), "include 'nope.conf'\n");
  const r = readConfFile(join(dir, 'a.conf'));
  assert.deepEqual(r.errors.map((e) => [e.code, e.message, e.line]), [
    ['58P01', `could not open configuration file "${join(dir, 'nope.conf')}": No such file or directory`, 1],
  ]);
  writeFileSync(join(dir, 'loop.conf'), "x.y = 1\ninclude 'loop.conf'\n");
  const loop = readConfFile(join(dir, 'loop.conf'));
  assert.equal(loop.errors.length, 1);
  assert.equal(loop.errors[0]!.code, '54000');
  assert.match(loop.errors[0]!.message, /maximum nesting depth exceeded/);
  assert.equal(loop.items.length, 10);
});
