// What the DDL layer asks of the continuous-query runtime (workers,
// combiners, view state). The runtime sets ServerContext.pipelineRuntime;
// until it does, views can be defined but not read or truncated in storage.
import type { Relation } from '../../sql/select/relation.js';
import type { ContinuousViewEntry } from '../../storage/stream-catalog.js';

export interface PipelineRuntimeHooks {
  /** A continuous view's state must be emptied (TRUNCATE CONTINUOUS VIEW, truncate_continuous_view()). */
  onTruncate(dbOid: number, viewOid: number): void;
  /** The rows of a continuous view for SELECT ... FROM view; null: not readable. */
  viewRelation(dbOid: number, view: ContinuousViewEntry): Relation | null;
}
