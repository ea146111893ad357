import type { Viewer } from './auth/tokens.ts';
import type { Db } from './db/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { Logger } from './logger.ts';
import type { PubSub } from './pubsub.ts';

/** What every resolver gets. The viewer is always set: requests without one never reach GraphQL. */
export interface Context {
  viewer: Viewer;
  db: Db;
  pubsub: PubSub;
  loaders: Loaders;
  log: Logger;
}

export interface ContextDeps {
  db: Db;
  pubsub: PubSub;
  log: Logger;
}

export function createContext(deps: ContextDeps, viewer: Viewer): Context {
  return { ...deps, viewer, loaders: createLoaders(deps.db) };
}
