import { and, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { apiTokens } from '../db/schema/index.ts';
import type { Logger } from '../logger.ts';

/** Announced (on Postgres) when a token is revoked, so every replica re-checks at once. */
export const TOKENS_CHANNEL = 'hub_tokens';

/** Why a stream was ended: sent as the WebSocket close reason. */
export const TOKEN_ENDED = 'API token revoked or expired';

/**
 * Open streams (WebSockets, server-sent event subscriptions) outlive the request that checked
 * their token. This watches the tokens behind them: every `intervalMs`, one query asks which
 * of them are still valid (not revoked, not expired), and the streams of the others are ended.
 * A revocation NOTIFY makes the check run at once; without it, the period bounds the delay.
 * When the database does not answer, nothing is ended: the next check decides.
 */
export class TokenWatch {
  private readonly streams = new Map<string, Set<() => void>>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  /** Ends the stream through `end` once its token is no longer valid; returns the release. */
  track(tokenId: string, end: () => void): () => void {
    const set = this.streams.get(tokenId) ?? new Set<() => void>();
    this.streams.set(tokenId, set);
    set.add(end);
    return () => {
      set.delete(end);
      if (set.size === 0 && this.streams.get(tokenId) === set) this.streams.delete(tokenId);
    };
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One check now (a revocation was announced); concurrent calls share it. */
  check(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    const ids = [...this.streams.keys()];
    if (ids.length === 0) return;
    let valid: Set<string>;
    try {
      const rows = await this.db
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(
          and(
            inArray(apiTokens.id, ids),
            isNull(apiTokens.revokedAt),
            or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
          ),
        );
      valid = new Set(rows.map((r) => r.id));
    } catch (err) {
      this.log.warn({ err: (err as Error).name }, 'token re-check failed; streams kept until the next one');
      return;
    }
    for (const id of ids) {
      if (valid.has(id)) continue;
      const ends = this.streams.get(id);
      this.streams.delete(id);
      this.log.info(
        { tokenId: id, streams: ends?.size ?? 0 },
        'closing streams of a revoked or expired token',
      );
      for (const end of ends ?? []) end();
    }
  }
}
