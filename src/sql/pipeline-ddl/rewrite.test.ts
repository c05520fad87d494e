import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewritePipelineSyntax, PLACEHOLDER } from './rewrite.js';
import { viewQueryText } from './view-query-text.js';
import { lexSql, splitStatements } from './lexer.js';

function text(sql: string): string | null {
  return rewritePipelineSyntax(sql)?.text ?? null;
}

test('statements without PipelineDB syntax are left alone', () => {
  assert.equal(text('SELECT 1'), null);
  assert.equal(text("SELECT 'CREATE STREAM s (x int)'"), null);
  assert.equal(text('SELECT 1 -- create stream s\n'), null);
  assert.equal(text('SELECT $$ DROP STREAM s $$'), null);
  assert.equal(text('CREATE FOREIGN TABLE s (x int) SERVER pipelinedb'), null);
});

test('streams become foreign tables of the pipelinedb server', () => {
  assert.equal(text('CREATE STREAM s (x int)'), 'CREATE FOREIGN TABLE s (x int) SERVER pipelinedb');
  assert.equal(text('create stream s (x int);'), 'create FOREIGN TABLE s (x int) SERVER pipelinedb;');
  assert.equal(text('ALTER STREAM s ADD COLUMN y text'), 'ALTER FOREIGN TABLE s ADD COLUMN y text');
  assert.equal(text('DROP STREAM IF EXISTS a, b CASCADE'), 'DROP FOREIGN TABLE IF EXISTS a, b CASCADE');
});

test('continuous views and transforms become views with an action', () => {
  assert.equal(text('CREATE CONTINUOUS VIEW v AS SELECT x FROM s'), 'CREATE VIEW v WITH (action=materialize) AS SELECT x FROM s');
  assert.equal(
    text("CREATE CONTINUOUS VIEW public.v WITH (sw = '1 hour') AS SELECT x FROM s"),
    "CREATE VIEW public.v WITH (action=materialize, sw = '1 hour') AS SELECT x FROM s",
  );
  assert.equal(
    text("CREATE CONTINUOUS TRANSFORM t AS SELECT x FROM s THEN EXECUTE PROCEDURE pipelinedb.insert_into_stream('a', 'b');"),
    "CREATE VIEW t WITH (action=transform, outputfunc=pipelinedb.insert_into_stream('a', 'b')) AS SELECT x FROM s;",
  );
  assert.equal(
    text('CREATE CONTINUOUS TRANSFORM t AS SELECT x FROM s THEN EXECUTE PROCEDURE f()'),
    'CREATE VIEW t WITH (action=transform, outputfunc=f) AS SELECT x FROM s',
  );
  assert.equal(text('CREATE CONTINUOUS TRANSFORM t AS SELECT x FROM s'), 'CREATE VIEW t WITH (action=transform) AS SELECT x FROM s');
  assert.equal(text('DROP CONTINUOUS VIEW IF EXISTS v'), 'DROP VIEW IF EXISTS v');
  assert.equal(text('DROP CONTINUOUS TRANSFORM t'), 'DROP VIEW t');
});

test('positions in the rewritten text map back to the user text', () => {
  const sql = 'CREATE CONTINUOUS VIEW v AS SELECT nosuch FROM s';
  const r = rewritePipelineSyntax(sql)!;
  const inRewritten = r.text.indexOf('nosuch');
  assert.equal(r.toOriginal(inRewritten), sql.indexOf('nosuch'));
  // Inserted text maps to where it was inserted.
  assert.equal(r.toOriginal(r.text.indexOf('action')), sql.indexOf(' AS'));
  assert.equal(r.toOriginal(r.text.length), sql.length);
});

test('TRUNCATE CONTINUOUS VIEW and ACTIVATE are parsed into their own statements', () => {
  const sql = 'SELECT 1; TRUNCATE CONTINUOUS VIEW a, public."B"; DEACTIVATE; ACTIVATE x';
  const r = rewritePipelineSyntax(sql)!;
  assert.equal(r.text, `SELECT 1; ${PLACEHOLDER}; ${PLACEHOLDER}; ${PLACEHOLDER}`);
  assert.deepEqual(r.custom.get(1), {
    kind: 'PipelineTruncateStmt',
    node: {
      PipelineTruncateStmt: {
        relations: [
          { schemaname: null, relname: 'a', location: sql.indexOf('a,') },
          { schemaname: 'public', relname: 'B', location: sql.indexOf('public') },
        ],
      },
    },
  });
  assert.deepEqual(r.custom.get(2), { kind: 'PipelineActivateStmt', node: { PipelineActivateStmt: { activate: false, names: [] } } });
  assert.deepEqual(r.custom.get(3)?.node, { PipelineActivateStmt: { activate: true, names: [{ schemaname: null, relname: 'x', location: sql.length - 1 }] } });
});

test('malformed custom statements are syntax errors at the offending token', () => {
  assert.throws(() => rewritePipelineSyntax('ACTIVATE a b'), { code: '42601', message: 'syntax error at or near "b"', position: 12 });
  assert.throws(() => rewritePipelineSyntax('TRUNCATE CONTINUOUS VIEW ;'), { code: '42601', message: 'syntax error at or near ";"', position: 26 });
  assert.throws(() => rewritePipelineSyntax('TRUNCATE CONTINUOUS VIEW'), { code: '42601', message: 'syntax error at end of input', position: 25 });
});

test('the lexer keeps quoted text whole and splits at top-level semicolons only', () => {
  const sql = `SELECT 'a;b', "c;d", $x$ ; $x$, E'\\';' /* ; /* nested */ ; */ ; SELECT (1;2)`;
  const statements = splitStatements(lexSql(sql));
  assert.equal(statements.length, 2);
  assert.deepEqual(statements[0].map((t) => t.kind), ['ident', 'string', ',', 'qident', ',', 'string', ',', 'string']);
  assert.equal(statements[0][3].value, 'c;d');
});

test('the defining query is the text after AS, without THEN EXECUTE PROCEDURE', () => {
  assert.equal(viewQueryText('CREATE VIEW v WITH (sw = \'1 hour\') AS SELECT x FROM s'), 'SELECT x FROM s');
  assert.equal(viewQueryText('CREATE CONTINUOUS TRANSFORM t AS SELECT (x) AS y FROM s THEN EXECUTE PROCEDURE f(\'a\');'), 'SELECT (x) AS y FROM s');
  assert.equal(viewQueryText('CREATE VIEW v (a, b) AS\n  SELECT 1, 2 ;'), 'SELECT 1, 2');
});
