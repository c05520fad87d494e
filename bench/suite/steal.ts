// CPU time the hypervisor gave to other guests while a load ran ("steal" in
// /proc/stat): on a shared VM it is what makes one run's figures differ from
// the next, so the table shows it beside each figure.
import { readFileSync } from 'node:fs';

interface CpuTimes {
  steal: number;
  total: number;
}

function cpuTimes(): CpuTimes | null {
  try {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (clock ticks)
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const t = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (t.length < 8 || t.some((x) => !Number.isFinite(x))) return null;
    return { steal: t[7]!, total: t.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/** Starts measuring; the returned function gives the percentage of CPU time stolen since (undefined where /proc/stat is unreadable). */
export function stealMeter(): () => number | undefined {
  const start = cpuTimes();
  return () => {
    const end = cpuTimes();
    if (!start || !end || end.total <= start.total) return undefined;
    return (100 * (end.steal - start.steal)) / (end.total - start.total);
  };
}
