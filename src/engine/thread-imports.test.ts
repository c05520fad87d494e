import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

// Worker and combiner threads compile their plans from queries the main
// thread has already parsed; loading libpg-query's WebAssembly in each of
// them would cost ~12 MB of RSS per thread. A resolve hook lists every
// module a thread's entry reaches.
const HOOK = `
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  process.stderr.write('RESOLVED ' + r.url + '\\n');
  return r;
}`;

function modulesReached(entry: string): string[] {
  const url = new URL(entry, import.meta.url).href;
  const script =
    `import { register } from 'node:module';` +
    `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));` +
    // The entry fails at its first use of parentPort, after its whole graph was resolved.
    `await import(${JSON.stringify(url)}).catch(() => {});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('RESOLVED '))
    .map((l) => l.slice('RESOLVED '.length));
}

for (const entry of ['../worker/worker-main.js', '../combiner/combiner-main.js']) {
  test(`${entry} does not load libpg-query`, () => {
    const urls = modulesReached(entry);
    // The graph was really walked: the plan compiler is in it.
    assert.ok(urls.some((u) => u.endsWith('/planner/compile-plan.js')), `compile-plan not reached from ${entry}`);
    assert.deepEqual(urls.filter((u) => u.includes('libpg-query')), []);
  });
}
