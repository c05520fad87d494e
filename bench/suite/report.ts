// Prints the benchmark's figures as one Markdown table (ours, PostgreSQL
// 15's equivalent and ceiling, ratios), to stdout and optionally a file.
import type { Figure } from './loads.js';

function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2);
}

function ratio(a: number, b: number | undefined): string {
  return b === undefined || b === 0 ? '' : `${(a / b).toFixed(2)}x`;
}

export function figureTable(figures: readonly Figure[]): string {
  const lines = [
    '| load | unit | ours | PostgreSQL 15 equivalent | ours / PG | PostgreSQL ceiling | ours / ceiling | CPU stolen |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const f of figures) {
    const pgCell = f.postgres ? `${num(f.postgres.value)} (${f.postgres.label})` : '';
    const ceilCell = f.ceiling ? `${num(f.ceiling.value)} (${f.ceiling.label})` : '';
    lines.push(
      `| ${f.load}${f.note ? ` — ${f.note}` : ''} | ${f.unit} | ${num(f.ours)} | ${pgCell} | ${ratio(f.ours, f.postgres?.value)} | ${ceilCell} | ${ratio(f.ours, f.ceiling?.value)} | ${f.steal === undefined ? '' : `${f.steal.toFixed(0)} %`} |`,
    );
  }
  return lines.join('\n');
}
