// CPU time the hypervisor gave to other guests while a load ran ("steal" in
// /proc/stat): on a shared VM it is what makes one run's figures differ from
// the next, so the table shows it beside each figure.
import { readFileSync } from 'node:fs';

interface CpuTimes {
  steal: number;
  total: number;
}

/** The machine's CPU time so far, in clock ticks: user nice system idle iowait irq softirq steal (null where /proc/stat is unreadable). */
export function cpuTicks(): number[] | null {
  try {
    const t = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return t.length < 8 || t.some((x) => !Number.isFinite(x)) ? null : t;
  } catch {
    return null;
  }
}

function cpuTimes(): CpuTimes | null {
  const t = cpuTicks();
  return t && { steal: t[7]!, total: t.reduce((a, b) => a + b, 0) };
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
