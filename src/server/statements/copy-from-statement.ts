// COPY stream [(columns)] FROM STDIN in text or csv: CopyData is parsed as
// it arrives, converted to the stream's column types and packed into binary
// batches, each sent to the engine as soon as it is full (StreamedBatches),
// as PipelineDB sends each full microbatch: a COPY that fails leaves the
// full batches before the bad row sent.
import { PgError, SQLSTATE } from '../../errors.js';
import { readCopyInOptions } from '../../ingest/copy-in-options.js';
import { CopyInParser } from '../../ingest/copy-in-parser.js';
import { compileCoercion, integerDigitsOf } from '../../ingest/stream-coercion.js';
import { insertableColumns, resolveTargetColumns } from '../../ingest/insert-rows.js';
import { OID } from '../../types/oids.js';
import type { StreamEntry } from '../../storage/stream-catalog.js';
import type { Session } from '../session.js';
import type { StatementPlan } from '../statement-plan.js';
import { pipelineCatalog } from './pipeline-common.js';
import { sessionStreamTargets, writeOptions } from './insert-statement.js';
import { reachesViews, StreamedBatches } from '../../engine/stream-writer.js';

export function planCopyFrom(session: Session, node: any): StatementPlan {
  const rel = node.relation;
  const stream = copyTarget(session, rel);
  const named = (node.attlist ?? []).map((a: any) => ({ name: String(a.String.sval), location: -1 }));
  const target = { name: stream.name, columns: stream.columns };
  const { targets } = resolveTargetColumns(named.length > 0 ? named : null, target);
  // Positions index the declared columns followed by arrival_timestamp.
  const all = insertableColumns(target);
  const columns = targets.map((i) => all[i]!);
  const options = readCopyInOptions(node.options, stream.name, columns.map((c) => c.name), stream.columns.map((c) => c.name));
  return {
    kind: 'CopyStmt',
    paramTypes: [],
    columns: null,
    async execute(s) {
      const runtime = s.server.pipelineRuntime;
      if (!runtime) throw new PgError(SQLSTATE.object_not_in_prerequisite_state, 'the continuous query engine is not running');
      pipelineCatalog(s).requireCommittedStream(stream);
      const opts = writeOptions(s, runtime.hasReaders(stream.oid) ? sessionStreamTargets(s) : null);
      // Plain digits of int2/int4 columns are read as numbers by the parser (no string per field).
      const digits = Uint8Array.from(columns, (c) => integerDigitsOf(c.typeOid));
      const parser = new CopyInParser(stream.name, columns.map((c) => c.name), options, digits);
      const coerce = compileCoercion(columns, columns.map(() => OID.unknown), {
        errorContext: (i, v) => parser.fieldContext(i, v as string | number | null),
        integersRead: true,
      });
      const ctx = s.evalContext([]);
      // Rows go somewhere only with an active reader among the targets (checked once, as PipelineDB does).
      const batches = reachesViews(runtime, stream, opts) ? new StreamedBatches(runtime.engine, stream, opts) : null;
      const converted: unknown[] = new Array(columns.length);
      const row: unknown[] = new Array(all.length).fill(null); // declared columns, then arrival_timestamp
      let rows = 0;
      const sink = (fields: (string | number | null)[]) => {
        coerce(fields, ctx, converted);
        for (let i = 0; i < targets.length; i++) row[targets[i]!] = converted[i];
        batches?.add(row);
        rows++;
        if ((rows & 4095) === 0) ctx.checkInterrupts();
      };
      s.out.copyInResponse(0, new Array(columns.length).fill(0));
      await s.out.flushAndWait();
      for (;;) {
        const msg = await s.readMessage();
        if (msg.type === 'CopyData') {
          parser.push(msg.data, sink);
          // Flow control: no more than a few batches wait for a worker while the next are parsed.
          if (batches) await batches.flow();
        } else if (msg.type === 'CopyDone') {
          parser.end(sink);
          break;
        } else if (msg.type === 'CopyFail') {
          throw new PgError(SQLSTATE.query_canceled, `COPY from stdin failed: ${msg.message}`);
        } else if (msg.type !== 'Flush' && msg.type !== 'Sync') {
          // Flush and Sync are ignored during COPY, as PostgreSQL does.
          throw new PgError(SQLSTATE.protocol_violation, `unexpected message type 0x${typeTag(msg.type)} during COPY from stdin`);
        }
      }
      if (batches) await batches.finish();
      return { tag: `COPY ${rows}` };
    },
  };
}

function copyTarget(session: Session, rel: any): StreamEntry {
  const name: string = rel.relname;
  const found = pipelineCatalog(session).relationByName(session.db.oid, name);
  if (!found) throw new PgError(SQLSTATE.undefined_table, `relation "${name}" does not exist`);
  if (found.kind === 'sqlview') {
    throw new PgError(SQLSTATE.wrong_object_type, `cannot copy to view "${name}"`, {
      hint: 'To enable copying to a view, provide an INSTEAD OF INSERT trigger.',
    });
  }
  if (found.kind !== 'stream') throw new PgError(SQLSTATE.wrong_object_type, `cannot copy to continuous view "${name}"`);
  return found;
}

const TYPE_BYTES: Record<string, number> = { Query: 0x51, Parse: 0x50, Bind: 0x42, Describe: 0x44, Execute: 0x45, Close: 0x43, Terminate: 0x58, FunctionCall: 0x46, AuthResponse: 0x70 };

function typeTag(type: string): string {
  return (TYPE_BYTES[type] ?? 0).toString(16).toUpperCase().padStart(2, '0');
}
