// Runs every micro-benchmark in bench/ in sequence, each in its own Node
// process (own heap and JIT state) with short run sizes, and prints one
// combined table: benchmark | case | figures. Lines of a benchmark's output
// that carry no rate (headers, view queries) appear as section rows.
//   node dist/bench/micro.js [name-filter]
// Build first: npx tsc -p tsconfig.json
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';

// Short run sizes: a few seconds per benchmark on a shared 2-core machine.
const benches: [string, string[]][] = [
  ['sketch-hll-bloom', ['1000000']],
  ['sketch-cms-topk', ['500000']],
  ['sketch-tdigest', ['500000', '1000']],
  ['aggregates', ['0.15']],
  ['planner-step', ['200000', '1000']],
  ['ingest-batch', ['10000', '20']],
  ['ingest-copy', ['200000']],
  ['ingest-insert', ['0.5']],
  ['view-point-read', ['100000', '1']],
  ['combiner-merge', ['300000']],
  ['worker-aggregate', ['20']],
  ['data-row-encode', ['200000']],
];

// A figure: a number followed by a rate or per-item unit.
const FIGURE = /-?\d[\d,]*(?:\.\d+)?\s*(?:M\/s|[A-Za-z]*\/s|ns\/[a-z]+)/;

interface Row {
  bench: string;
  label: string;
  figures: string;
}
const table: Row[] = [];

for (const [name, args] of benches) {
  if (!name.includes(filter)) continue;
  const t0 = performance.now();
  let out: string;
  try {
    out = execFileSync(process.execPath, [path.join(here, `${name}.js`), ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  } catch (e) {
    table.push({ bench: name, label: 'FAILED', figures: String((e as Error).message).split('\n')[0]! });
    continue;
  }
  for (const raw of out.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = FIGURE.exec(line);
    if (!m) {
      table.push({ bench: name, label: `-- ${line}`, figures: '' });
      continue;
    }
    const label = line.slice(0, m.index).replace(/[:\s]+$/, '');
    // Drop the "(N in X s)" run details; keep sizes, checks and ratios.
    const figures = line.slice(m.index).replace(/\(\d+ in [\d.]+ s\)/g, '').replace(/\s+/g, ' ').trim();
    table.push({ bench: name, label, figures });
  }
  table.push({ bench: name, label: `-- wall time ${((performance.now() - t0) / 1000).toFixed(1)} s`, figures: '' });
}

const w1 = Math.max(9, ...table.map((r) => r.bench.length));
const w2 = Math.min(60, Math.max(4, ...table.map((r) => r.label.length)));
console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${'benchmark'.padEnd(w1)} | ${'case'.padEnd(w2)} | figures`);
console.log(`${'-'.repeat(w1)}-|-${'-'.repeat(w2)}-|-${'-'.repeat(40)}`);
for (const r of table) console.log(`${r.bench.padEnd(w1)} | ${r.label.padEnd(w2)} | ${r.figures}`);
