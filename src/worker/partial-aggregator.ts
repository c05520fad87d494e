// A worker's job for one batch: run every continuous view that reads the
// batch's stream over its rows, one view at a time in one reused group
// table (BatchGroups; records of doubles for a view of fixed kinds, see
// fixed-aggregator.ts), then write each group's partial states into the
// message of the combiner that owns it (hash of the group key).
import type { CompiledContinuousPlan } from '../planner/continuous-plan.js';
import type { EvalContext } from '../sql/functions/catalog.js';
import { combinerFor, writeGroups, type PartialsWriter } from '../engine/partials-codec.js';
import type { KeyId } from '../engine/key-string.js';
import { SlotIndex } from '../engine/slot-index.js';
import { aggregateFixed } from './fixed-aggregator.js';

export interface ViewPlan {
  viewOid: number;
  plan: CompiledContinuousPlan;
}

interface Group {
  key: Uint8Array;
  states: unknown[];
}

/** Rows of a batch, visited one at a time through a reused array. */
export interface RowSource {
  readonly rowCount: number;
  row(i: number, out: unknown[]): void;
}

/**
 * Aggregates the batch for one view and writes its groups into `writers`
 * (one per combiner; writers[c] gets the groups combiner c owns). Returns
 * the groups written and their key and state bytes. When it throws, it
 * wrote nothing.
 */
export function aggregateView(
  view: ViewPlan,
  rows: RowSource,
  width: number,
  ctx: EvalContext,
  writers: readonly PartialsWriter[],
): { groups: number; bytes: number } {
  const { viewOid, plan } = view;
  if (plan.fixedStep) {
    const fixed = aggregateFixed(view, rows, width, ctx, writers);
    if (fixed) return fixed;
    // A value needs the object form: the batch again, in that form.
  }
  const row: unknown[] = new Array(width);
  const table = batchGroups;
  const groups = table.groups;
  try {
    for (let i = 0; i < rows.rowCount; i++) {
      if ((i & 4095) === 4095) ctx.checkInterrupts();
      rows.row(i, row);
      const key = plan.groupKey(row, ctx);
      if (key === null) continue;
      // The key's bytes are copied only for a new group.
      const id = plan.encodeKeyId(key);
      let slot = table.index.get(id);
      if (slot < 0) slot = table.add(id, { key: plan.encodeKey(key), states: plan.newStates() });
      plan.step(groups[slot]!.states, row, ctx);
    }
    const bytes = writeGroups(writers, groups.length, (i) => {
      const g = groups[i]!;
      const writer = writers[combinerFor(g.key, writers.length)]!;
      plan.writeStates(writer.beginGroup(viewOid, g.key), g.states);
      return writer.endGroup();
    });
    return { groups: groups.length, bytes };
  } finally {
    table.clear();
  }
}

/**
 * A batch's groups by key id, in the order they first appeared. Numeric
 * key ids (most keys) are found through a SlotIndex rather than a Map: a
 * Map keyed by numbers past 2^31 boxes each key and walks a hash table per
 * row, a large part of a batch of mostly new groups (a bulk load over
 * random keys). One table serves every batch of the thread, emptied after
 * each (aggregateView runs one view at a time).
 */
class BatchGroups {
  readonly groups: Group[] = [];
  /** The numeric key id of each group (NaN for a string id). */
  private ids = new Float64Array(1024);
  readonly index = new SlotIndex({ idOf: (slot) => this.ids[slot]! });

  add(id: KeyId, group: Group): number {
    const slot = this.groups.length;
    if (slot >= this.ids.length) {
      const grown = new Float64Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[slot] = typeof id === 'number' ? id : NaN;
    this.index.set(id, slot);
    this.groups.push(group);
    return slot;
  }

  /** Forgets the batch's groups (the index keeps its size for the next batch). */
  clear(): void {
    this.index.clear();
    this.groups.length = 0;
  }
}

const batchGroups = new BatchGroups();
