// PipelineDB 1.0's bucket_agg(x, bucket int2 [, ts timestamptz]): the bucket
// each distinct x was last seen in, as bytea (src/sketches/bucket-map.ts), and
// the functions reading it: bucket_ids, bucket_cardinalities,
// bucket_cardinality. No rows give NULL. As in PipelineDB, a NULL x counts as
// one value and a NULL bucket id or timestamp is an error (XX000).
//
// "Last" is the greatest timestamp. Without the third argument a row's
// timestamp is the wall clock in microseconds when it is stepped, made
// strictly increasing per thread so later rows of one thread always win.
// Threads are ordered only by their clocks: rows inserted at about the same
// time (async inserts that different workers process out of order) or across
// a clock stepping back may keep the earlier row's bucket. PipelineDB kept no
// timestamps in this form and let whichever state its combiner merged last
// win, which is no more ordered. Given timestamps compare to the microsecond
// (PipelineDB cut them to whole seconds, making ties far more common).
import { PgError, SQLSTATE } from '../../errors.js';
import { BucketMap, bucketCount, bucketCounts } from '../../sketches/bucket-map.js';
import { OID } from '../../types/oids.js';
import { PG_EPOCH_USECS, PgArray } from '../../types/values.js';
import { registerFunction } from '../functions/catalog.js';
import { fn } from '../functions/define.js';
import { canonicalCodec } from '../functions/sketch-value-bytes.js';
import { registerAggregate } from './aggregate.js';
import { sketchAggregate } from './sketch-state.js';

let lastStepTime = -Infinity;

/** Microseconds since 2000-01-01 (a timestamptz), never the same twice on this thread. */
function stepTime(): number {
  // Not Date.now(): its milliseconds would tie two quick sync INSERTs handled
  // by different workers. timeOrigin + now() reads the clock to the
  // microsecond, and the threads' readings agree to within tens of them.
  const now = Math.floor((performance.timeOrigin + performance.now()) * 1000) - PG_EPOCH_USECS;
  lastStepTime = now > lastStepTime ? now : lastStepTime + 1;
  return lastStepTime;
}

function malformed(): PgError {
  return new PgError(SQLSTATE.internal_error, 'malformed bucket_agg transition state received');
}

function readMap(b: Uint8Array): BucketMap {
  try {
    return BucketMap.deserialize(b);
  } catch {
    throw malformed();
  }
}

function bucketAgg(elemType: number, withTs: boolean) {
  const codec = canonicalCodec(elemType);
  return sketchAggregate<BucketMap>({
    resultType: OID.bytea,
    step: (s, [v, bucket, ts]) => {
      if (bucket === null) throw new PgError(SQLSTATE.internal_error, 'set ID cannot be NULL');
      if (withTs && ts === null) throw new PgError(SQLSTATE.internal_error, 'timestamp cannot be NULL');
      const map = s ?? new BucketMap();
      map.add(v === null ? null : codec.encode(v), bucket as number, withTs ? (ts as number) : stepTime());
      return map;
    },
    merge: (a, b) => a.mergeFrom(b),
    toBytes: (s) => s.serialize(),
    fromBytes: readMap,
  });
}

registerAggregate(
  {
    name: 'bucket_agg',
    args: [OID.anyelement, OID.int2],
    ret: OID.bytea,
    strict: false,
    create: (t) => bucketAgg(t[0]!, false),
  },
  {
    name: 'bucket_agg',
    args: [OID.anyelement, OID.int2, OID.timestamptz],
    ret: OID.bytea,
    strict: false,
    create: (t) => bucketAgg(t[0]!, true),
  },
);

function counts(b: Uint8Array): { ids: number[]; counts: number[] } {
  try {
    return bucketCounts(b);
  } catch {
    throw malformed();
  }
}

// Ascending bucket id order (PipelineDB's followed its hash table), so
// bucket_ids and bucket_cardinalities pair up element by element.
registerFunction(
  fn('bucket_ids', [OID.bytea], OID._int2, ([b]: [Uint8Array]) => new PgArray(OID.int2, counts(b).ids)),
  fn('bucket_cardinalities', [OID.bytea], OID._int4, ([b]: [Uint8Array]) => new PgArray(OID.int4, counts(b).counts)),
  fn('bucket_cardinality', [OID.bytea, OID.int2], OID.int8, ([b, id]: [Uint8Array, number]) => {
    try {
      return BigInt(bucketCount(b, id));
    } catch {
      throw malformed();
    }
  }),
);
