// Option readers against PostgreSQL's defGetString / defGetBoolean / defGetInt32
// rules, on DefElems as libpg-query parses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, parseSync } from 'libpg-query';
import { PgError } from '../../errors.js';
import { optionBoolean, optionInteger, optionPosition, optionString, type DefElemNode } from './option-values.js';

await loadModule();

/** The DefElems of `COPY t TO STDOUT (<options>)`. */
function copyOptions(options: string): DefElemNode[] {
  const stmt = parseSync(`COPY t TO STDOUT (${options})`).stmts![0]!.stmt as any;
  return stmt.CopyStmt.options.map((d: any) => d.DefElem);
}

function one(option: string): DefElemNode {
  return copyOptions(option)[0]!;
}

function assertPgError(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof PgError && e.code === code && e.message === message);
}

test('optionBoolean: no value, 0/1, true/false/on/off in any case', () => {
  const cases: [string, boolean][] = [
    ['header', true],
    ['header 1', true],
    ['header 0', false],
    ['header true', true],
    ["header 'FALSE'", false],
    ['header On', true],
    ["header 'off'", false],
  ];
  for (const [option, expected] of cases) assert.equal(optionBoolean(one(option)), expected, option);
  // the old COPY syntax gives a Boolean constant
  const old = parseSync('COPY t TO STDOUT WITH CSV HEADER').stmts![0]!.stmt as any;
  assert.equal(optionBoolean(old.CopyStmt.options[1].DefElem), true);
  for (const option of ["header 'maybe'", 'header 2', 'header 1.0', "header 'yes'", 'header -1']) {
    assertPgError(() => optionBoolean(one(option)), '42601', 'header requires a Boolean value');
  }
});

test('optionInteger: integer constants only', () => {
  assert.equal(optionInteger(one('x 42')), 42);
  assert.equal(optionInteger(one('x 0')), 0);
  assert.equal(optionInteger(one('x -7')), -7);
  for (const option of ['x 1.5', "x '3'", 'x']) assertPgError(() => optionInteger(one(option)), '42601', 'x requires an integer value');
});

test('optionString: constants as text, a parameter is required', () => {
  assert.equal(optionString(one("delimiter '|'")), '|');
  assert.equal(optionString(one('delimiter 12')), '12');
  assert.equal(optionString(one('delimiter 1.50')), '1.50');
  assert.equal(optionString(one('format CSV')), 'csv');
  assert.equal(optionString(one('force_quote *')), '*');
  assertPgError(() => optionString(one('format')), '42601', 'format requires a parameter');
});

test('optionPosition: 1-based location of the option', () => {
  const [a, b] = copyOptions('header, format csv');
  assert.equal(optionPosition(a!), 19);
  assert.equal(optionPosition(b!), 27);
  assert.equal(optionPosition({ defname: 'x', location: -1 }), undefined);
});
