import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doubleQuote, shellQuote, splitShellWords } from './shell-words.js';

test('splitShellWords separates on blanks and drops empty runs', () => {
  assert.deepEqual(splitShellWords('  -p 5433\t-h  127.0.0.1 \n'), ['-p', '5433', '-h', '127.0.0.1']);
  assert.deepEqual(splitShellWords(''), []);
  assert.deepEqual(splitShellWords('   '), []);
});

test('splitShellWords keeps quoted blanks and joins adjacent quoted parts', () => {
  assert.deepEqual(splitShellWords(`-c "search_path=a, b" -c 'x=it''s'`), ['-c', 'search_path=a, b', '-c', 'x=its']);
  assert.deepEqual(splitShellWords(`-c name="two words"`), ['-c', 'name=two words']);
  assert.deepEqual(splitShellWords(`'' ""`), ['', '']);
});

test('splitShellWords: single quotes are literal, double quotes honour \\ " $ `', () => {
  assert.deepEqual(splitShellWords(`'a\\"b'`), ['a\\"b']);
  assert.deepEqual(splitShellWords(`"a\\"b\\\\c\\$d\\e"`), ['a"b\\c$d\\e']);
  assert.deepEqual(splitShellWords(`a\\ b c\\'d`), ["a b", "c'd"]);
});

test('splitShellWords rejects an unterminated quote', () => {
  assert.throws(() => splitShellWords(`-c 'x=1`), /unterminated quoted string/);
  assert.throws(() => splitShellWords(`-c "x=1`), /unterminated quoted string/);
});

test('doubleQuote round-trips through splitShellWords', () => {
  const args = ['-D', '/data dir', 'a"b', 'c\\d', '$HOME', '`x`', ''];
  assert.equal(doubleQuote('a"b'), '"a\\"b"');
  assert.deepEqual(splitShellWords(args.map(doubleQuote).join(' ')), args);
});

test('shellQuote leaves safe words bare and single-quotes the rest', () => {
  assert.equal(shellQuote('/tmp/data-1_x.y:z'), '/tmp/data-1_x.y:z');
  assert.equal(shellQuote('/tmp/my data'), "'/tmp/my data'");
  assert.equal(shellQuote("it's"), `'it'"'"'s'`);
  assert.equal(shellQuote(''), "''");
  assert.deepEqual(splitShellWords(shellQuote("it's a dir")), ["it's a dir"]);
});
