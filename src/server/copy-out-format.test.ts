// COPY TO option checks, with PostgreSQL's messages, SQLSTATEs and positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, parseSync } from 'libpg-query';
import { PgError } from '../errors.js';
import { readCopyOutFormat } from './copy-out-format.js';

await loadModule();

function read(sql: string) {
  const stmt = parseSync(sql).stmts![0]!.stmt as any;
  return readCopyOutFormat(stmt.CopyStmt.options);
}

function assertPgError(fn: () => unknown, code: string, message: string, position?: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PgError);
    assert.deepEqual([e.code, e.message, e.position], [code, message, position]);
    return true;
  });
}

test('options are read with their defaults', () => {
  assert.deepEqual(read('COPY t TO STDOUT'), { csv: false, header: false, delimiter: '\t', null: '\\N', quote: '"', escape: '"', forceQuote: new Set() });
  assert.deepEqual(read("COPY t TO STDOUT (FORMAT csv, HEADER, NULL 'n', FORCE_QUOTE (a, \"B,c\"))"), {
    csv: true, header: true, delimiter: ',', null: 'n', quote: '"', escape: '"', forceQuote: new Set(['a', 'B,c']),
  });
  assert.deepEqual(read('COPY t TO STDOUT WITH CSV HEADER FORCE QUOTE *').forceQuote, 'all');
  assert.equal(read("COPY t TO STDOUT (FORMAT csv, HEADER 'off', FREEZE 0)").header, false);
});

test('bad option values fail as in PostgreSQL', () => {
  assertPgError(() => read("COPY t TO STDOUT (FORMAT csv, HEADER 'maybe')"), '42601', 'header requires a Boolean value');
  assertPgError(() => read("COPY t TO STDOUT (FREEZE 'maybe')"), '42601', 'freeze requires a Boolean value');
  assertPgError(() => read('COPY t TO STDOUT (FORMAT)'), '42601', 'format requires a parameter');
  assertPgError(() => read('COPY t TO STDOUT (DELIMITER)'), '42601', 'delimiter requires a parameter');
  assertPgError(() => read('COPY t TO STDOUT (FORMAT xml)'), '22023', 'COPY format "xml" not recognized', 19);
  assertPgError(() => read('COPY t TO STDOUT (bogus 1)'), '42601', 'option "bogus" not recognized', 19);
  assertPgError(() => read('COPY t TO STDOUT (HEADER, FORMAT csv, FORMAT csv)'), '42601', 'conflicting or redundant options', 39);
  assertPgError(() => read('COPY t TO STDOUT (FORMAT csv, FORCE_QUOTE 1)'), '22023', 'argument to option "force_quote" must be a list of column names', 31);
  assertPgError(() => read('COPY t TO STDOUT (HEADER)'), '0A000', 'COPY HEADER available only in CSV mode');
});
