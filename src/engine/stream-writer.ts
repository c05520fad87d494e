// Writes rows into a stream: packs them into binary batches of at most
// pipelinedb.batch_size rows and hands them to the engine, then waits as
// stream_insert_level asks. Rows of a stream no active view reads are
// discarded, as in PipelineDB.
import { PgError, SQLSTATE } from '../errors.js';
import { splitIdentifierList } from '../config/identifiers.js';
import type { StreamEntry } from '../storage/stream-catalog.js';
import { BatchBuilder, currentTimestampMicros } from '../worker/batch-format.js';
import type { InsertLevel } from './batch-tracker.js';
import type { PipelineRuntime } from './pipeline-runtime.js';

export interface WriteOptions {
  level: InsertLevel;
  /** stream_targets: view OIDs the rows go to (null: every view reading the stream). */
  targets: number[] | null;
  batchSize: number;
}

export async function writeToStream(runtime: PipelineRuntime, stream: StreamEntry, rows: readonly unknown[][], opts: WriteOptions): Promise<void> {
  if (rows.length === 0 || !runtime.hasReaders(stream.oid)) return;
  if (opts.targets !== null && opts.targets.length === 0) return;
  const { engine } = runtime;
  const builder = new BatchBuilder(stream.columns.map((c) => c.typeOid), Math.min(rows.length, opts.batchSize));
  const arrival = currentTimestampMicros();
  const sent: Promise<void>[] = [];
  for (let i = 0; i < rows.length; i++) {
    builder.addRow(rows[i]!);
    if (builder.rowCount >= opts.batchSize || i === rows.length - 1) {
      const batchId = engine.newBatchId();
      sent.push(engine.send({ buf: builder.finish(batchId, stream.oid, arrival), batchId, streamOid: stream.oid, targets: opts.targets, level: opts.level }));
    }
  }
  await Promise.all(sent);
}

/**
 * stream_targets: a list of continuous view names of the current database,
 * read as identifiers (unquoted names fold to lower case, quoted ones keep theirs).
 */
export function resolveStreamTargets(setting: string, lookup: (name: string) => number | undefined): number[] | null {
  const names = splitIdentifierList(setting);
  if (names === null) throw new PgError(SQLSTATE.invalid_parameter_value, `invalid list syntax in parameter "stream_targets"`);
  if (names.length === 0) return null;
  return names.map((name) => {
    const oid = lookup(name);
    if (oid === undefined) throw new PgError(SQLSTATE.undefined_table, `continuous view "${name}" does not exist`);
    return oid;
  });
}
