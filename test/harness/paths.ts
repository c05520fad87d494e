// Where things live, independent of whether a test runs from test/ (tsx-like
// runners) or from dist/test/ (compiled): we walk up to the repository root.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`repository root not found above ${start}`);
    dir = parent;
  }
}

/** The repository root (the directory holding package.json). */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** Source directory of the test tree (sql files, expected outputs). */
export const TEST_SRC_DIR = join(REPO_ROOT, 'test');

/** Compiled server entry points. */
export const SERVER_ENTRY = join(REPO_ROOT, 'dist', 'src', 'cli', 'pipelinedb.js');
export const CTL_ENTRY = join(REPO_ROOT, 'dist', 'src', 'cli', 'pipeline-ctl.js');

/** PostgreSQL 15 binaries used as the behavioural oracle. */
export const PG15_BIN = process.env.PG15_BIN ?? '/usr/lib/postgresql/15/bin';

/** Which server the suites run against: our product (default) or real PostgreSQL 15. */
export type TestTarget = 'pipelinedb' | 'pg15';
export const TEST_TARGET: TestTarget = process.env.TEST_TARGET === 'pg15' ? 'pg15' : 'pipelinedb';
