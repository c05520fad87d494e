// What the DDL layer asks of the continuous-query runtime (workers,
// combiners, view state). The runtime sets ServerContext.pipelineRuntime;
// until it does, views can be defined but not read. Everything else the
// runtime learns from StreamCatalog.onChange, which fires only for committed
// changes (TRUNCATE clears state when its counter change commits).
import type { Relation } from '../../sql/select/relation.js';
import type { ContinuousViewEntry } from '../../storage/stream-catalog.js';

export interface PipelineRuntimeHooks {
  /** The rows of a continuous view for SELECT ... FROM view; null: not readable. */
  viewRelation(dbOid: number, view: ContinuousViewEntry): Relation | null;
}
