// The main thread's statistics registry: what pipelinedb.stream_stats,
// proc_query_stats (and the views over it) and the 0.9 pipeline_*_stats
// views read. Like PipelineDB's shared-memory tables it lives only as long
// as the server: counts start from zero on every start.
//
//   streams       per stream OID: rows, batches and bytes written to it
//                 (counted when a batch is handed to a worker)
//   proc queries  per (thread, continuous query): the counters the thread
//                 reported (see stats-counters.ts), its type and pid
import { COUNTERS, DELTA_ENTRY, DELTA_HEADER } from './stats-counters.js';

export type ProcType = 'worker' | 'combiner';

export interface StreamStats {
  streamOid: number;
  inputRows: number;
  inputBatches: number;
  inputBytes: number;
}

export interface ProcQueryStats {
  type: ProcType;
  /** The thread's id (stable for its life, unique within the server process). */
  pid: number;
  queryOid: number;
  /** Microseconds since 2000-01-01: when the thread first ran the query. */
  startTime: number;
  /** Indexed by the counter constants of stats-counters.ts. */
  counters: Float64Array;
}

interface ThreadEntry {
  type: ProcType;
  /** V8 heap in use by the thread at its last report. */
  heapBytes: number;
  queries: Map<number, ProcQueryStats>;
}

/** Byte offset of the row count in a stream batch's header (see src/worker/batch-format.ts). */
const BATCH_ROW_COUNT_OFFSET = 28;

/** The row count a stream batch's header records. */
export function batchRowCount(buf: ArrayBuffer): number {
  return new DataView(buf, BATCH_ROW_COUNT_OFFSET, 4).getUint32(0, true);
}

export class StatsRegistry {
  private readonly streams = new Map<number, StreamStats>();
  private readonly threads = new Map<number, ThreadEntry>();

  /** A batch of `rows` rows (`bytes` encoded) was written to a stream. */
  streamInput(streamOid: number, rows: number, bytes: number): void {
    let s = this.streams.get(streamOid);
    if (!s) this.streams.set(streamOid, (s = { streamOid, inputRows: 0, inputBatches: 0, inputBytes: 0 }));
    s.inputRows += rows;
    s.inputBatches++;
    s.inputBytes += bytes;
  }

  /** Adds a thread's reported counters (a ThreadStats.drain() delta). */
  applyDelta(type: ProcType, pid: number, delta: Float64Array): void {
    let t = this.threads.get(pid);
    if (!t) this.threads.set(pid, (t = { type, heapBytes: 0, queries: new Map() }));
    t.heapBytes = delta[0]!;
    for (let p = DELTA_HEADER; p + DELTA_ENTRY <= delta.length; p += DELTA_ENTRY) {
      const queryOid = delta[p]!;
      let q = t.queries.get(queryOid);
      if (!q) t.queries.set(queryOid, (q = { type, pid, queryOid, startTime: delta[p + 1]!, counters: new Float64Array(COUNTERS) }));
      const c = q.counters;
      for (let i = 0; i < COUNTERS; i++) c[i] += delta[p + 2 + i]!;
    }
  }

  /** A thread ended: its entries go, as PipelineDB purges the stats of processes that exited. */
  forgetThread(pid: number): void {
    this.threads.delete(pid);
  }

  /** Drops the entries of queries and streams that no longer exist (PipelineDB purges them on DROP). */
  retain(isLiveQuery: (oid: number) => boolean, isLiveStream: (oid: number) => boolean): void {
    for (const t of this.threads.values()) {
      for (const oid of t.queries.keys()) if (!isLiveQuery(oid)) t.queries.delete(oid);
    }
    for (const oid of this.streams.keys()) if (!isLiveStream(oid)) this.streams.delete(oid);
  }

  /** Stream entries, in stream OID order. */
  streamStats(): StreamStats[] {
    return [...this.streams.values()].sort((a, b) => a.streamOid - b.streamOid);
  }

  /** Every (thread, query) entry. */
  procQueryStats(): ProcQueryStats[] {
    const out: ProcQueryStats[] = [];
    for (const t of this.threads.values()) for (const q of t.queries.values()) out.push(q);
    return out;
  }

  /** V8 heap bytes a thread used at its last report (0 when it never reported). */
  threadHeapBytes(pid: number): number {
    return this.threads.get(pid)?.heapBytes ?? 0;
  }
}
