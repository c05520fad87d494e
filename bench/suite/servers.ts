// The two servers a benchmark run compares: ours (the compiled server, in a
// temp data directory) and a throwaway PostgreSQL 15 with its default
// durability (fsync and synchronous_commit on, unlike the test oracle, so
// its figures are what a production PostgreSQL would show; autovacuum is
// replaced by a VACUUM between loads). Both listen on 127.0.0.1 only and are
// stopped by PID through their harness handles.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startPostgres15, startTestServer, type TestServer } from '../../test/harness/server.js';
import { serverEnvironment } from '../../src/cli/server-environment.js';

/** Enough connections for pgbench's largest client count plus the suite's own sessions. */
const MAX_CONNECTIONS = '300';

export async function startOurs(threads: number, extra: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({
    // As pipeline-ctl starts it (malloc settings the caller did not set).
    env: serverEnvironment(process.env) as Record<string, string>,
    settings: {
      max_connections: MAX_CONNECTIONS,
      'pipelinedb.num_workers': String(threads),
      'pipelinedb.num_combiners': String(threads),
      ...extra,
    },
  });
}

export async function startPostgres(): Promise<TestServer> {
  return startPostgres15({
    settings: {
      max_connections: MAX_CONNECTIONS,
      fsync: 'on',
      synchronous_commit: 'on',
      full_page_writes: 'on',
      shared_buffers: '512MB',
      // Vacuumed between loads instead (loads.ts vacuumPostgres), so that no
      // autovacuum worker runs in the middle of a timed load.
      autovacuum: 'off',
    },
  });
}

/** Resident set size of a process and its children (PostgreSQL's backends), in bytes. */
export function rssBytes(pid: number): number {
  let total = 0;
  const visit = (p: number): void => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      if (m) total += Number(m[1]) * 1024;
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      for (const c of children.split(/\s+/).filter(Boolean)) visit(Number(c));
    } catch {
      // the process ended meanwhile
    }
  };
  visit(pid);
  return total;
}

/** Bytes used by a directory tree (du -sb). */
export function directoryBytes(dir: string): number {
  const out = execFileSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(out.split(/\s+/)[0]);
}
