import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerArgs, parseSettingAssignment } from './server-args.js';

test('parseSettingAssignment splits at the first = and turns dashes into underscores', () => {
  assert.deepEqual(parseSettingAssignment('work-mem=4MB'), { name: 'work_mem', value: '4MB' });
  assert.deepEqual(parseSettingAssignment('search_path=a,b=c'), { name: 'search_path', value: 'a,b=c' });
  assert.deepEqual(parseSettingAssignment('x='), { name: 'x', value: '' });
  assert.deepEqual(parseSettingAssignment('flag'), { name: 'flag', value: null });
});

test('-D, -p, -h and repeated -c become the data directory and settings', async () => {
  const r = await parseServerArgs(
    ['-D', '/data', '-p', '5433', '-h', '127.0.0.1', '-c', 'work_mem=4MB', '-c', 'pipelinedb.num_workers=2', '--init-if-missing'],
    {},
  );
  assert.deepEqual(r, {
    kind: 'run',
    dataDir: '/data',
    settings: { work_mem: '4MB', 'pipelinedb.num_workers': '2', port: '5433', listen_addresses: '127.0.0.1' },
    initIfMissing: true,
  });
});

test('--name=value long options are settings too, names untouched except dashes', async () => {
  const r = await parseServerArgs(['-D/d', '--shared-buffers=1MB', '--pipelinedb.stream_insert_level=async', '--port=7'], {});
  assert.equal(r.kind, 'run');
  if (r.kind !== 'run') return;
  assert.equal(r.dataDir, '/d');
  assert.deepEqual(r.settings, { shared_buffers: '1MB', 'pipelinedb.stream_insert_level': 'async', port: '7' });
  assert.equal(r.initIfMissing, false);
});

test('values keep their text: numbers are not reformatted, dash-led values are accepted', async () => {
  const r = await parseServerArgs(['-D', 'd', '-p', '05433', '-c', 'extra_float_digits=-1', '-h', ''], {});
  assert.equal(r.kind, 'run');
  if (r.kind !== 'run') return;
  assert.deepEqual(r.settings, { extra_float_digits: '-1', port: '05433', listen_addresses: '' });
});

test('a repeated setting keeps its last value', async () => {
  const r = await parseServerArgs(['-D', 'd', '-c', 'a=1', '-c', 'a=2', '-p', '1', '-p', '2'], {});
  assert.equal(r.kind, 'run');
  if (r.kind !== 'run') return;
  assert.deepEqual(r.settings, { a: '2', port: '2' });
});

test('the data directory falls back to PIPELINEDB_DATA, then PGDATA', async () => {
  const a = await parseServerArgs([], { PIPELINEDB_DATA: '/p', PGDATA: '/g' });
  assert.equal(a.kind === 'run' && a.dataDir, '/p');
  const b = await parseServerArgs([], { PGDATA: '/g' });
  assert.equal(b.kind === 'run' && b.dataDir, '/g');
  const c = await parseServerArgs(['-D', '/x'], { PGDATA: '/g' });
  assert.equal(c.kind === 'run' && c.dataDir, '/x');
  const none = await parseServerArgs([], {});
  assert.deepEqual(none, {
    kind: 'usage',
    lines: [
      'pipelinedb does not know where to find the server configuration file.',
      'You must specify the -D invocation option or set the PIPELINEDB_DATA or PGDATA environment variable.',
    ],
    exitCode: 2,
  });
});

test('settings without a value are FATAL, as in the postmaster', async () => {
  assert.deepEqual(await parseServerArgs(['-D', 'd', '-c', 'foo'], {}), { kind: 'fatal', message: '-c foo requires a value', exitCode: 1 });
  assert.deepEqual(await parseServerArgs(['-D', 'd', '--foo'], {}), { kind: 'fatal', message: '--foo requires a value', exitCode: 1 });
});

test('unknown short options and stray arguments are usage errors', async () => {
  assert.deepEqual(await parseServerArgs(['-D', 'd', '-x'], {}), {
    kind: 'usage',
    lines: [`pipelinedb: invalid option -- 'x'`, 'Try "pipelinedb --help" for more information.'],
    exitCode: 1,
  });
  assert.deepEqual(await parseServerArgs(['-D', 'd', 'extra'], {}), {
    kind: 'usage',
    lines: ['pipelinedb: invalid argument: "extra"', 'Try "pipelinedb --help" for more information.'],
    exitCode: 1,
  });
});

test('--help returns the usage text and --version is recognised', async () => {
  const help = await parseServerArgs(['--help'], {});
  assert.equal(help.kind, 'help');
  assert.match(help.kind === 'help' ? help.text : '', /--init-if-missing/);
  assert.deepEqual(await parseServerArgs(['--version'], {}), { kind: 'version' });
});
