// Maintenance tool (not a test): computes the expected output of an
// engine_*.sql regress script with PostgreSQL 15 as the oracle.
//
// Streams become tables and continuous views become plain views over them,
// so every SELECT from a view returns what PostgreSQL's own SELECT ...
// GROUP BY computes over the same rows. The server runs with
// extra_float_digits = 0, which makes PostgreSQL 15 print floats the way
// PostgreSQL 11 does by default (15 / 6 significant digits). The echoed
// statements are then turned back into the script's own text.
//
//   node dist/scripts/regress-oracle.js engine_aggregates [--write]
//
// Without --write the output goes to stdout; with it, to
// test/regress/expected/<name>.out. Review every line before committing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SRC_DIR } from '../test/harness/paths.js';
import { runRegressScript } from '../test/harness/psql.js';
import { startPostgres15 } from '../test/harness/server.js';

/** Rewrites one line of PipelineDB DDL into its plain PostgreSQL equivalent (unchanged when it is not DDL). */
function toPlainPostgres(line: string): string {
  return line
    .replace(/^CREATE STREAM /, 'CREATE TABLE ')
    .replace(/^CREATE FOREIGN TABLE (.*) SERVER pipelinedb;$/, 'CREATE TABLE $1;')
    .replace(/^CREATE CONTINUOUS VIEW /, 'CREATE VIEW ')
    .replace(/^(CREATE VIEW \S+) WITH \(action=materialize\) AS /, '$1 AS ')
    .replace(/^DROP CONTINUOUS VIEW /, 'DROP VIEW ')
    .replace(/^DROP (STREAM|FOREIGN TABLE) /, 'DROP TABLE ');
}


async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name) throw new Error('usage: regress-oracle.js <script name> [--write]');
  const write = process.argv.includes('--write');
  const original = readFileSync(join(TEST_SRC_DIR, 'regress', 'sql', `${name}.sql`), 'utf8').split('\n');
  const back = new Map<string, string>();
  const plain = original.map((line) => {
    const converted = toPlainPostgres(line);
    if (converted !== line) back.set(converted, line);
    return converted;
  });

  const dir = mkdtempSync(join(tmpdir(), 'engine-oracle-'));
  const server = await startPostgres15({ settings: { extra_float_digits: '0' } });
  try {
    const sqlFile = join(dir, `${name}.sql`);
    const outFile = join(dir, `${name}.out`);
    writeFileSync(sqlFile, plain.join('\n'));
    const code = await runRegressScript(server.port, sqlFile, outFile);
    if (code !== 0) throw new Error(`psql exited with ${code}`);
    const restored = readFileSync(outFile, 'utf8')
      .split('\n')
      .map((line) => back.get(line) ?? line)
      .join('\n');
    if (write) writeFileSync(join(TEST_SRC_DIR, 'regress', 'expected', `${name}.out`), restored);
    else process.stdout.write(restored);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
