import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, parseSync } from 'libpg-query';
import { CopyInParser, type CopyInOptions } from './copy-in-parser.js';
import { readCopyInOptions } from './copy-in-options.js';

await loadModule();

const TEXT: CopyInOptions = { csv: false, delimiter: '\t', null: '\\N', quote: '"', escape: '"', header: false };
const CSV: CopyInOptions = { csv: true, delimiter: ',', null: '', quote: '"', escape: '"', header: false };

type Rows = (string | number | null)[][];

function parseChunks(chunks: (string | Buffer)[], opts: CopyInOptions, cols = ['id', 'val']): { rows: Rows; parser: CopyInParser } {
  const p = new CopyInParser('s', cols, opts);
  const rows: Rows = [];
  const sink = (f: (string | number | null)[]) => rows.push(f.slice());
  for (const c of chunks) p.push(typeof c === 'string' ? Buffer.from(c) : c, sink);
  p.end(sink);
  return { rows, parser: p };
}

const parse = (data: string | Buffer, opts: CopyInOptions, cols?: string[]): Rows => parseChunks([data as string], opts, cols).rows;

/** Feeds the data one byte per CopyData message. */
function parseBytewise(data: string, opts: CopyInOptions, cols?: string[]): Rows {
  const b = Buffer.from(data);
  const chunks: Buffer[] = [];
  for (let i = 0; i < b.length; i++) chunks.push(b.subarray(i, i + 1));
  return parseChunks(chunks, opts, cols).rows;
}

function fails(data: string | Buffer, opts: CopyInOptions, expected: Record<string, unknown>, cols?: string[]): void {
  assert.throws(() => parse(data, opts, cols), expected);
}

test('text: rows, empty fields and NULL', () => {
  assert.deepEqual(parse('1\t2\n3\t4\n', TEXT), [['1', '2'], ['3', '4']]);
  assert.deepEqual(parse('\t\n\\N\t\\\\N\n', TEXT), [['', ''], [null, '\\N']]);
  assert.deepEqual(parse('5\t6', TEXT), [['5', '6']]); // last line without newline
  assert.deepEqual(parse('', TEXT), []);
  assert.deepEqual(parse('\n', TEXT, ['only']), [['']]);
});

test('text: backslash escapes', () => {
  assert.deepEqual(parse('\\b\\f\\n\\r\\t\\v\t\\q\\\\\\.x\n'.replace('\\.x', '\\,'), TEXT), [['\b\f\n\r\t\v', 'q\\,']]);
  assert.deepEqual(parse('\\101\\7\\0101\t\\x41\\x4g\\xg\\x414\n', TEXT), [['A\x07\x081', 'A\x04gxgA4']]);
  assert.deepEqual(parse('a\\\tb\tc\\\nd\n', TEXT), [['a\tb', 'c\nd']]); // escaped delimiter and newline
  assert.deepEqual(parse('\\303\\251\t\\xe2\\x82\\xac\n', TEXT), [['é', '€']]);
  assert.deepEqual(parse('x\ty\\', TEXT), [['x', 'y']]); // a lone trailing backslash is dropped
});

test('text: UTF-8 and non-BMP characters', () => {
  assert.deepEqual(parse('😀\tñandú 中\n', TEXT), [['😀', 'ñandú 中']]);
  assert.deepEqual(parseBytewise('😀\tñandú 中\n', TEXT), [['😀', 'ñandú 中']]);
});

test('lines split across CopyData messages, CRLF and CR newlines', () => {
  const data = '1\t2\r\n3\t\\N\r\n\\x41\\\\\t\\.\r\n'.replace('\\.', 'z');
  const want = [['1', '2'], ['3', null], ['A\\', 'z']];
  assert.deepEqual(parse(data, TEXT), want);
  assert.deepEqual(parseBytewise(data, TEXT), want);
  assert.deepEqual(parseBytewise('1\t2\r3\t4\r', TEXT), [['1', '2'], ['3', '4']]);
  assert.deepEqual(parseChunks(['1\t', '2', '\n3', '\t4\n'], TEXT).rows, [['1', '2'], ['3', '4']]);
});

test('text: end-of-data marker', () => {
  const r = parseChunks(['1\t2\n\\.\n', '3\t4\n'], TEXT);
  assert.deepEqual(r.rows, [['1', '2']]);
  assert.equal(r.parser.done, true);
  assert.deepEqual(parse('1\tx\\.\n2\t3\n', TEXT), [['1', 'x']]); // \. ends the data wherever it is
  assert.deepEqual(parseBytewise('1\t2\r\n\\.\r\n', TEXT), [['1', '2']]);
  fails('1\tx\\.y\n', TEXT, { code: '22P04', message: 'end-of-copy marker corrupt', where: 'COPY s, line 1' });
  fails('1\t2\r\n\\.\n', TEXT, { code: '22P04', message: 'end-of-copy marker does not match previous newline style', where: 'COPY s, line 2' });
});

test('text: wrong field counts', () => {
  fails('1\t2\n3\n', TEXT, { code: '22P04', message: 'missing data for column "val"', where: 'COPY s, line 2: "3"' });
  fails('1\t2\tab\tx\n', TEXT, { code: '22P04', message: 'extra data after last expected column', where: 'COPY s, line 1: "1\t2\tab\tx"' }, ['id', 'val', 'code']);
  fails('\n', TEXT, { message: 'missing data for column "val"', where: 'COPY s, line 1: ""' });
});

test('newline style must not change', () => {
  fails('1\t2\r\n3\t4\n', TEXT, { code: '22P04', message: 'literal newline found in data', hint: 'Use "\\n" to represent newline.', where: 'COPY s, line 2' });
  fails('1\t2\n3\t4\r\n', TEXT, { code: '22P04', message: 'literal carriage return found in data', hint: 'Use "\\r" to represent carriage return.', where: 'COPY s, line 2' });
  fails('1,2\n3,4\r\n', CSV, { message: 'unquoted carriage return found in data', hint: 'Use quoted CSV field to represent carriage return.' });
  fails('1,2\r\n3,4\n', CSV, { message: 'unquoted newline found in data', hint: 'Use quoted CSV field to represent newline.' });
});

test('invalid UTF-8 and NUL bytes', () => {
  fails('1\t\\xff\n', TEXT, { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0xff', where: 'COPY s, line 1: "1\t\\xff"' });
  fails('1\t\\0\n', TEXT, { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' });
  fails(Buffer.from([0x31, 0x09, 0xe2, 0x28, 0xa1, 0x0a]), TEXT, { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0xe2 0x28 0xa1' });
  fails(Buffer.from([0x31, 0x09, 0x00, 0x0a]), TEXT, { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00', where: 'COPY s, line 1' });
  fails(Buffer.from([0x31, 0x2c, 0xff, 0x0a]), CSV, { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0xff' });
});

test('csv: quoting, NULL and empty strings', () => {
  assert.deepEqual(parse('a,"b,c",,""\n', CSV, ['a', 'b', 'c', 'd']), [['a', 'b,c', null, '']]);
  assert.deepEqual(parse('"say ""hi""",x"y"z\n', CSV), [['say "hi"', 'xyz']]);
  assert.deepEqual(parse(' 1 , 2 \n', CSV), [[' 1 ', ' 2 ']]); // spaces are data
  assert.deepEqual(parse('\\N,x\n', CSV), [['\\N', 'x']]);
  assert.deepEqual(parse('\\.x,1\n', CSV), [['\\.x', '1']]); // \. followed by data is data in csv
});

test('csv: quoted newlines count as lines', () => {
  const r = parseChunks(['"x\ny","a\r\nb"\n2,3\n'], CSV);
  assert.deepEqual(r.rows, [['x\ny', 'a\r\nb'], ['2', '3']]);
  // quoted LFs count as lines only once the newline style is known (PostgreSQL's rule)
  assert.equal(r.parser.lineNo, 3);
  assert.equal(r.parser.fieldContext(1, '3'), 'COPY s, line 3, column val: "3"');
  const later = parseChunks(['1,2\n3,"4\n5"\n6,7\n'], CSV).parser;
  assert.equal(later.lineNo, 4);
  assert.deepEqual(parseBytewise('"x\ny","say ""hi"""\r\n2,3\r\n', CSV), [['x\ny', 'say "hi"'], ['2', '3']]);
});

test('csv: unterminated quoted field', () => {
  fails('1,"2\n', CSV, { code: '22P04', message: 'unterminated CSV quoted field', where: 'COPY s, line 1: "1,"2\n"' });
});

test('csv: header, end marker, custom quote, escape, delimiter and NULL', () => {
  assert.deepEqual(parse('id,val\n1,2\n', { ...CSV, header: true }), [['1', '2']]);
  assert.deepEqual(parse('1,2\n\\.\n3,4\n', CSV), [['1', '2']]);
  assert.deepEqual(parse("'a\\'b';c\\\\d;'x''y'\n".replace("'x''y'", "'x\\\\y'"), { ...CSV, quote: "'", escape: '\\', delimiter: ';' }, ['a', 'b', 'c']), [["a'b", 'c\\\\d', 'x\\y']]);
  const withNull = { ...CSV, null: 'NULL' };
  assert.deepEqual(parse('NULL,"NULL"\n,x\n', withNull), [[null, 'NULL'], ['', 'x']]);
  assert.deepEqual(parse(',""\n', { ...CSV, forceNotNull: [true, false] }), [['', '']]);
  assert.deepEqual(parse('"",""\n', { ...CSV, forceNull: [true, false] }), [[null, '']]);
});

test('CONTEXT for conversion errors', () => {
  const r = parseChunks(['1\tabc\n'], TEXT);
  assert.equal(r.parser.fieldContext(1, 'abc'), 'COPY s, line 1, column val: "abc"');
  assert.equal(r.parser.fieldContext(0, null), 'COPY s, line 1, column id: null input');
  assert.equal(r.parser.fieldContext(0, 'é'.repeat(60) + 'x'), `COPY s, line 1, column id: "${'é'.repeat(50)}..."`);
  assert.equal(r.parser.rowCount, 1);
});

test('rows keep coming after an incomplete line waits for more data', () => {
  const p = new CopyInParser('s', ['a'], TEXT);
  const rows: Rows = [];
  const sink = (f: (string | number | null)[]) => rows.push(f.slice());
  p.push(Buffer.from('abc'), sink);
  assert.deepEqual(rows, []);
  p.push(Buffer.from('def'), sink);
  p.push(Buffer.from('\nx\n'), sink);
  assert.deepEqual(rows, [['abcdef'], ['x']]);
});

// ---- options --------------------------------------------------------------------

function optionsOf(sql: string, cols = ['id', 'val']): CopyInOptions {
  const stmt = (parseSync(sql) as any).stmts[0].stmt.CopyStmt;
  return readCopyInOptions(stmt.options, 's', cols);
}

test('COPY options', () => {
  assert.deepEqual(optionsOf('COPY s FROM STDIN'), { ...TEXT, forceNotNull: undefined, forceNull: undefined });
  assert.deepEqual(optionsOf("COPY s FROM STDIN WITH (FORMAT csv, HEADER, NULL 'x', FORCE_NOT_NULL (val), FORCE_NULL (id))"), {
    ...CSV, header: true, null: 'x', forceNotNull: [false, true], forceNull: [true, false],
  });
  assert.deepEqual(optionsOf("COPY s FROM STDIN CSV DELIMITER ';' QUOTE '''' ESCAPE '\\'"), {
    ...CSV, delimiter: ';', quote: "'", escape: '\\', forceNotNull: undefined, forceNull: undefined,
  });
  assert.throws(() => optionsOf("COPY s FROM STDIN WITH (DELIMITER 'ab')"), { code: '0A000', message: 'COPY delimiter must be a single one-byte character' });
  assert.throws(() => optionsOf("COPY s FROM STDIN WITH (DELIMITER 'a')"), { code: '22023', message: 'COPY delimiter cannot be "a"' });
  assert.throws(() => optionsOf('COPY s FROM STDIN WITH (HEADER)'), { code: '0A000', message: 'COPY HEADER available only in CSV mode' });
  assert.throws(() => optionsOf("COPY s FROM STDIN WITH (FORMAT csv, QUOTE ',')"), { code: '22023', message: 'COPY delimiter and quote must be different' });
  assert.throws(() => optionsOf('COPY s FROM STDIN WITH (FORMAT csv, FORCE_QUOTE (id))'), { code: '0A000', message: 'COPY force quote only available using COPY TO' });
  assert.throws(() => optionsOf('COPY s FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (c))'), { code: '42703', message: 'column "c" of relation "s" does not exist' });
  assert.throws(() => readCopyInOptions((parseSync('COPY s (id) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (val))') as any).stmts[0].stmt.CopyStmt.options, 's', ['id'], ['id', 'val']), {
    code: '42P10', message: 'FORCE_NOT_NULL column "val" not referenced by COPY',
  });
  assert.throws(() => optionsOf('COPY s FROM STDIN WITH (FORMAT csv, FORMAT text)'), { code: '42601', message: 'conflicting or redundant options' });
  assert.throws(() => optionsOf("COPY s FROM STDIN WITH (FORMAT csv, NULL ',')"), { code: '0A000', message: 'COPY delimiter must not appear in the NULL specification' });
  assert.throws(() => optionsOf('COPY s FROM STDIN WITH (FORMAT binary)'), { code: '0A000' });
});

test('fields of integer columns of plain digits come as numbers; any other text stays text', () => {
  const read = (data: string, opts: CopyInOptions, digits: number[]): Rows => {
    const p = new CopyInParser('s', digits.map((_, i) => `c${i}`), opts, Uint8Array.from(digits));
    const rows: Rows = [];
    const sink = (f: (string | number | null)[]) => rows.push(f.slice());
    p.push(Buffer.from(data), sink);
    p.end(sink);
    return rows;
  };
  assert.deepEqual(read('12\t12\n-7\t-0\n9999\t10000\n+1\t 2\n\\N\t\n-\t1a\n1\\62\t-0\n', TEXT, [4, 0]), [
    [12, '12'],
    [-7, '-0'],
    [9999, '10000'],
    ['+1', ' 2'],
    [null, ''],
    ['-', '1a'],
    ['1\x32', '-0'],
  ]);
  // "-0" reads as 0, never -0.
  assert.ok(Object.is(read('-0\n', TEXT, [9])[0]![0], 0));
  assert.deepEqual(read('123456789\n1234567890\n-123456789\n', TEXT, [9]), [[123456789], ['1234567890'], [-123456789]]);
  // csv: unquoted digits only; FORCE_NULL columns stay text (compared with the NULL string).
  assert.deepEqual(read('5,"6",,7\n', CSV, [9, 9, 9, 9]), [[5, '6', null, 7]]);
  assert.deepEqual(read('5,0\n', { ...CSV, null: '0', forceNull: [false, true] }, [9, 9]), [[5, null]]);
});
