// What every session shares: the catalog, the live backends, the settings
// loaded from the data directory, notifications and the logger.
import type { ServerLogger } from './log.js';
import type { ServerSettings } from '../config/settings.js';
import type { Catalog } from '../storage/catalog.js';
import type { Engine } from '../engine/engine.js';
import type { BackendRegistry } from './backend-registry.js';
import type { NotificationHub } from './notification-hub.js';
import type { PipelineRuntime } from '../engine/pipeline-runtime.js';

export interface ServerContext {
  readonly dataDir: string;
  readonly catalog: Catalog;
  /** The continuous-query engine: worker and combiner threads, view state. */
  readonly engine: Engine;
  readonly backends: BackendRegistry;
  readonly notifications: NotificationHub;
  readonly settings: ServerSettings;
  readonly log: ServerLogger;
  /** Removes a database and everything in it (no session may be connected to it). */
  dropDatabase(name: string): void;
  /** The continuous-query runtime (view state, truncation); absent until it runs. */
  pipelineRuntime?: PipelineRuntime;
}
