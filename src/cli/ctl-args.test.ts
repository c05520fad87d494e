import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCtlArgs, parseShutdownMode, type CtlRequest } from './ctl-args.js';

async function request(args: string[], env: Record<string, string> = {}): Promise<CtlRequest> {
  const r = await parseCtlArgs(args, env);
  if (r.kind !== 'run') throw new Error(`expected a request, got ${JSON.stringify(r)}`);
  return r.request;
}

test('start with -D, -l, -o, defaults: wait 60s, fast mode', async () => {
  assert.deepEqual(await request(['start', '-D', '/data/', '-l', 'log', '-o', '-p 5433 -c "search_path=a, b"']), {
    command: 'start',
    dataDir: '/data',
    logFile: 'log',
    serverArgs: ['-p', '5433', '-c', 'search_path=a, b'],
    wait: true,
    timeoutSeconds: 60,
    shutdownMode: 'fast',
    superuser: null,
    silent: false,
  });
});

test('options may come before the command, -o repeats append, -W turns waiting off', async () => {
  const r = await request(['-D', 'd', '-o', '-p 1', '-o', "-c 'x=y z'", '-W', '-t', '5', '-s', 'start']);
  assert.deepEqual(r.serverArgs, ['-p', '1', '-c', 'x=y z']);
  assert.equal(r.wait, false);
  assert.equal(r.timeoutSeconds, 5);
  assert.equal(r.silent, true);
  assert.equal((await request(['start', '-D', 'd', '-W', '-w'])).wait, true);
  assert.equal((await request(['start', '-D', 'd'])).serverArgs, null);
});

test('long option names work as well', async () => {
  const r = await request(['stop', '--pgdata', 'd', '--mode', 'immediate', '--timeout=9', '--no-wait']);
  assert.equal(r.dataDir, 'd');
  assert.equal(r.shutdownMode, 'immediate');
  assert.equal(r.timeoutSeconds, 9);
  assert.equal(r.wait, false);
});

test('-m accepts full names and initials', async () => {
  assert.equal(parseShutdownMode('s'), 'smart');
  assert.equal(parseShutdownMode('fast'), 'fast');
  assert.equal(parseShutdownMode('i'), 'immediate');
  assert.equal(parseShutdownMode('quick'), null);
  assert.equal((await request(['stop', '-D', 'd', '-m', 'smart'])).shutdownMode, 'smart');
  assert.equal((await request(['stop', '-D', 'd', '-mi'])).shutdownMode, 'immediate');
});

test('initdb is an alias of init, -U names the superuser', async () => {
  const r = await request(['initdb', '-D', 'd', '-U', 'alice']);
  assert.equal(r.command, 'init');
  assert.equal(r.superuser, 'alice');
});

test('data directory from PIPELINEDB_DATA or PGDATA; timeout from PGCTLTIMEOUT', async () => {
  assert.equal((await request(['status'], { PIPELINEDB_DATA: '/p', PGDATA: '/g' })).dataDir, '/p');
  assert.equal((await request(['status'], { PGDATA: '/g' })).dataDir, '/g');
  assert.equal((await request(['start', '-D', 'd'], { PGCTLTIMEOUT: '7' })).timeoutSeconds, 7);
  assert.equal((await request(['start', '-D', 'd', '-t', '3'], { PGCTLTIMEOUT: '7' })).timeoutSeconds, 3);
});

const TRY = 'Try "pipeline-ctl --help" for more information.';

test('usage errors read like pg_ctl', async () => {
  const cases: Array<[string[], string]> = [
    [['-D', 'd'], 'pipeline-ctl: no operation specified'],
    [['bogus', '-D', 'd'], 'pipeline-ctl: unrecognized operation mode "bogus"'],
    [['stop', '-D', 'd', '-m', 'bogus'], 'pipeline-ctl: unrecognized shutdown mode "bogus"'],
    [['stop', 'start', '-D', 'd'], 'pipeline-ctl: too many command-line arguments (first is "start")'],
    [['start', '-D', 'd', '-x'], `pipeline-ctl: invalid option -- 'x'`],
    [['start', '-D', 'd', '-t', 'soon'], 'pipeline-ctl: invalid timeout "soon"'],
    [['start', '-D', 'd', '-o', '-c "x'], 'pipeline-ctl: unterminated quoted string in "-c "x"'],
    [['start'], 'pipeline-ctl: no database directory specified and environment variables PIPELINEDB_DATA and PGDATA unset'],
  ];
  for (const [args, message] of cases) {
    assert.deepEqual(await parseCtlArgs(args, {}), { kind: 'usage', lines: [message, TRY] }, args.join(' '));
  }
});

test('--help lists the commands', async () => {
  const r = await parseCtlArgs(['--help'], {});
  assert.equal(r.kind, 'help');
  const text = r.kind === 'help' ? r.text : '';
  for (const cmd of ['init', 'start', 'stop', 'restart', 'reload', 'status']) assert.match(text, new RegExp(`\\b${cmd}\\b`));
});
