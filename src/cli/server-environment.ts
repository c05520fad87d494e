// The environment pipeline-ctl (and `npm start`) start the server with.
//
// glibc's malloc raises its mmap threshold each time a large block is freed,
// after which the server's batch and partials buffers (hundreds of KB, made
// in one thread and freed in another) come from per-thread heaps that it
// rarely gives back. A fixed 128 KB threshold returns them to the system on
// free, and two arenas bound the per-thread heaps: measured after a
// 5,000,000-row COPY into a 1,000,000-group view, 441-473 MB of anonymous
// memory instead of 619-642 MB, at the same speed (bench/RESULTS.md).
// glibc reads these only when a process starts; non-empty values the caller
// set win (as `${VAR:-default}` in package.json's start script).
export const SERVER_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

export function serverEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const [name, value] of Object.entries(SERVER_MALLOC_ENV)) {
    if (!out[name]) out[name] = value;
  }
  return out;
}
