/**
 * Building the context a connector's calls receive. The engine builds one per connection; tests
 * and the conformance suite build their own with the same function, so connectors see one shape.
 */
import type { Connector, ConnectorContext, ConnectorLogger, HttpFactory, Mappings } from './contract.ts';
import { createHttpFactory } from './http.ts';
import type { TicketPriority, TicketStatus } from './records.ts';

/** A connection's changes to the connector's default maps; entries not named keep their default. */
export interface MappingOverrides {
  status?: {
    toCanonical?: Record<string, TicketStatus>;
    fromCanonical?: Partial<Record<TicketStatus, string>>;
  };
  priority?: {
    toCanonical?: Record<string, TicketPriority>;
    fromCanonical?: Partial<Record<TicketPriority, string>>;
  };
}

export interface CreateConnectorContextOptions<C> {
  connectionId: string;
  /** Already validated with the connector's `configSchema`, secrets resolved. */
  config: C;
  mapOverrides?: MappingOverrides;
  log?: ConnectorLogger;
  now?: () => Date;
  /** Defaults to a fresh `createHttpFactory` logging to `log`: one set of limits per context. */
  http?: HttpFactory;
  /** The connection's customer keys; absent or null: the whole tool. */
  scopeKeys?: readonly string[] | null;
}

export const silentLogger: ConnectorLogger = {
  debug() {},
  info() {},
  warn() {},
};

export function createConnectorContext<C>(
  connector: Connector<C>,
  options: CreateConnectorContextOptions<C>,
): ConnectorContext<C> {
  const log = options.log ?? silentLogger;
  return {
    connectionId: options.connectionId,
    config: options.config,
    maps: mergeMappings(connector.defaultMappings, options.mapOverrides),
    http: options.http ?? createHttpFactory({ log }),
    log,
    now: options.now ?? (() => new Date()),
    scopeKeys: options.scopeKeys ?? null,
  };
}

/**
 * Defaults overlaid with a connection's entries. The result is a fresh object, so one connection's
 * overrides can never leak into the connector's shared defaults or into another connection.
 */
export function mergeMappings(defaults: Mappings, overrides: MappingOverrides = {}): Mappings {
  return {
    status: {
      toCanonical: { ...defaults.status.toCanonical, ...overrides.status?.toCanonical },
      fromCanonical: { ...defaults.status.fromCanonical, ...definedOnly(overrides.status?.fromCanonical) },
    },
    priority: {
      toCanonical: { ...defaults.priority.toCanonical, ...overrides.priority?.toCanonical },
      fromCanonical: {
        ...defaults.priority.fromCanonical,
        ...definedOnly(overrides.priority?.fromCanonical),
      },
    },
  };
}

// `{ OPEN: undefined }` from a loosely built override must not erase a default.
function definedOnly<K extends string>(
  entries: Partial<Record<K, string>> | undefined,
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, value] of Object.entries(entries ?? {}) as Array<[K, string | undefined]>) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}
