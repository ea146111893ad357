import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/**
 * Every setting, in one schema. Parsed once in main.ts; nothing else reads process.env.
 * Unknown variables are ignored; every bad value is reported at once.
 */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Postgres URL. Unset: the embedded PGlite database in HUB_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  HUB_DATA_DIR: z.string().min(1).default('./.hub-data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(4000, 0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** GraphiQL at /graphql in a browser. Defaults to on outside production. */
  GRAPHIQL: bool.optional(),
  MAX_QUERY_DEPTH: int(10, 2, 50),
  MAX_QUERY_COST: int(5000, 100, 1_000_000),
  MAX_BODY_BYTES: int(1_048_576, 1024, 50 * 1_048_576),
  PG_POOL_MAX: int(10, 1, 200),
  /** Webhook requests per connection per minute; more answer 429 before anything is verified. */
  WEBHOOK_RATE_PER_MINUTE: int(600, 10, 100_000),
  /** Webhook hints for one ticket closer together than this are fetched once, at the window's end. */
  WEBHOOK_TICKET_WINDOW_MS: int(5_000, 0, 600_000),
  /** Largest WebSocket frame (connection_init included); bigger ones close the socket with 1009. */
  WS_MAX_PAYLOAD_BYTES: int(262_144, 1024, 50 * 1_048_576),
  /** Live subscriptions one WebSocket may hold. */
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: int(50, 1, 10_000),
  /** Live subscriptions one API token may hold across all its sockets (in this process). */
  WS_MAX_SUBSCRIPTIONS_PER_TOKEN: int(200, 1, 100_000),
  /** JSON file declaring the connections (tools) to sync; unset means no sync. */
  HUB_CONNECTIONS_FILE: z.string().min(1).optional(),
  /** The hub's address as the tools see it, for registering webhooks, e.g. https://hub.example.com. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Other web origins whose pages may call the API from a browser (CORS), comma-separated,
   * e.g. `https://ops.example.com,http://localhost:5173`. The hub's own origin (and
   * PUBLIC_URL's) is always allowed; nothing else is.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .url({ protocol: /^https?$/, error: 'must be an http(s) origin such as https://ops.example.com' })
          .refine((u) => new URL(u).origin === u.replace(/\/$/, ''), {
            message: 'must be an origin (scheme://host[:port]) without a path',
          })
          .transform((u) => new URL(u).origin),
      ),
    ),
  /**
   * How long a replica owns a claimed outbox row or webhook hint before another replica may
   * take it over. The owner renews it while the work runs, so it only matters after a crash.
   */
  SYNC_DELIVERY_LEASE_MS: int(60_000, 500, 3_600_000),
  /** The same for a connection's pull lease (one pull per connection across all replicas). */
  SYNC_PULL_LEASE_MS: int(60_000, 500, 3_600_000),
  /**
   * The longest a revoked or expired API token keeps working: tokens are cached for this long,
   * and open WebSocket and server-sent event streams are re-checked this often and closed
   * (a revocation announced by the CLI closes them at once on Postgres).
   */
  TOKEN_RECHECK_MS: int(30_000, 100, 600_000),
  /** How long a graceful shutdown may wait for in-flight work. */
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 120_000),
});

export type Config = z.infer<typeof ConfigSchema> & { graphiql: boolean };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = result.data;
  return { ...cfg, graphiql: cfg.GRAPHIQL ?? cfg.NODE_ENV !== 'production' };
}
