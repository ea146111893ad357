import type { Viewer } from './auth/tokens.ts';
import type { Db } from './db/client.ts';
import type { WriteHooks } from './domain/ticket-store.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { Logger } from './logger.ts';
import type { PubSub } from './pubsub.ts';
import type { SyncEngine } from './sync/engine.ts';

/** What every resolver gets. The viewer is always set: requests without one never reach GraphQL. */
export interface Context {
  viewer: Viewer;
  db: Db;
  pubsub: PubSub;
  loaders: Loaders;
  log: Logger;
  /** Passed to every write so the sync engine can plan deliveries in the same transaction. */
  hooks: WriteHooks;
  /** The sync engine, or null when no connections are configured. */
  sync: SyncEngine | null;
  /** Called after an engagement is created, so cached token scopes are re-read. */
  onEngagementsChanged?: () => void;
}

export interface ContextDeps {
  db: Db;
  pubsub: PubSub;
  log: Logger;
  hooks: WriteHooks;
  sync: SyncEngine | null;
  onEngagementsChanged?: () => void;
}

export function createContext(deps: ContextDeps, viewer: Viewer): Context {
  return { ...deps, viewer, loaders: createLoaders(deps.db) };
}
