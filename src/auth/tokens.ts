import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { PartyKind, Role } from '../db/schema/index.ts';
import { apiTokens, parties } from '../db/schema/index.ts';
import { engagementIdsOf } from '../domain/engagements.ts';
import { TOKENS_CHANNEL } from './token-watch.ts';

/** Who is calling: resolved from an API token, carried in the GraphQL context. */
export interface Viewer {
  tokenId: string;
  tokenName: string;
  role: Role;
  partyId: string;
  partySlug: string;
  partyKind: PartyKind;
  /** When the token stops working, if it expires at all. */
  expiresAt: Date | null;
  /**
   * The engagements this token may see: its internal party's one engagement, or the MSP
   * party's engagements (all of them, or the token's list). Empty means it sees nothing.
   */
  engagementIds: readonly string[];
}

const TOKEN_PREFIX = 'hub_';

/** 32 random bytes: guessing is hopeless, so a fast hash (not bcrypt) is the right storage. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Accepts `Bearer <token>` or a bare token; returns null when nothing usable was sent. */
export function extractToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const value = header.trim();
  const match = /^Bearer\s+(.+)$/i.exec(value);
  const token = (match ? match[1] : value)?.trim();
  return token ? token : null;
}

export async function createApiToken(
  db: Db,
  input: {
    partyId: string;
    role: Role;
    name: string;
    expiresAt?: Date | null;
    engagementIds?: string[] | null;
  },
): Promise<{ id: string; token: string }> {
  const token = generateToken();
  const [row] = await db
    .insert(apiTokens)
    .values({ ...input, tokenHash: hashToken(token), tokenPrefix: token.slice(0, 10) })
    .returning({ id: apiTokens.id });
  if (!row) throw new Error('token insert returned no row');
  return { id: row.id, token };
}

/**
 * Revokes a token and announces it, in one transaction: every hub listening on Postgres
 * re-checks its open streams and forgets its cached tokens at once (the periodic re-check
 * covers hubs that miss it). False when no active token has that id.
 */
export async function revokeToken(db: Db, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (done.length === 0) return false;
    await tx.execute(sql`select pg_notify(${TOKENS_CHANNEL}, ${id})`);
    return true;
  });
}

/**
 * Resolves tokens to viewers with a short cache: a request should not cost a database
 * round trip just to authenticate. A revoked token stops working within `ttlMs` (at once on
 * the hubs that hear the revocation's NOTIFY); an expiring one exactly when it expires.
 */
export class TokenResolver {
  private readonly cache = new Map<string, { viewer: Viewer | null; expires: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** Null for an unknown, revoked or expired token; throws `TokenCheckError` when it cannot tell. */
  async resolve(token: string): Promise<Viewer | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const hash = hashToken(token);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.expires > now) return hit.viewer;
    let viewer: Viewer | null;
    try {
      viewer = await this.lookup(hash);
    } catch (err) {
      throw new TokenCheckError(err);
    }
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    const until = Math.min(now + this.ttlMs, viewer?.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    this.cache.set(hash, { viewer, expires: until });
    return viewer;
  }

  invalidate(): void {
    this.cache.clear();
  }

  private async lookup(hash: string): Promise<Viewer | null> {
    const [row] = await this.db
      .select({
        tokenId: apiTokens.id,
        tokenName: apiTokens.name,
        role: apiTokens.role,
        partyId: parties.id,
        partySlug: parties.slug,
        partyKind: parties.kind,
        expiresAt: apiTokens.expiresAt,
        limit: apiTokens.engagementIds,
      })
      .from(apiTokens)
      .innerJoin(parties, eq(parties.id, apiTokens.partyId))
      .where(
        and(
          eq(apiTokens.tokenHash, hash),
          isNull(apiTokens.revokedAt),
          or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
        ),
      );
    if (!row) return null;
    const { limit, ...viewer } = row;
    return { ...viewer, engagementIds: await engagementIdsOf(this.db, viewer, limit) };
  }
}

/**
 * The token could not be checked (the database did not answer). Its message and `detail` are
 * safe to log: the failed statement, its parameters (the token's hash) and the stack of the
 * database error are left behind; only the underlying error's code and message are kept.
 */
export class TokenCheckError extends Error {
  override readonly name = 'TokenCheckError';
  readonly detail: { code?: string; message: string };

  constructor(err: unknown) {
    super('The API token could not be checked: the database did not answer.');
    const cause = (err as { cause?: unknown })?.cause ?? err;
    const code = (cause as { code?: unknown })?.code;
    const message = cause instanceof Error ? cause.message : String(cause);
    this.detail = {
      ...(typeof code === 'string' ? { code } : {}),
      // A database message may quote a value; a token hash is 64 hex digits.
      message: message.replace(/[0-9a-f]{64}/gi, '[redacted]').slice(0, 300),
    };
    // The stack would point into the database driver, never needed to read a connection failure.
    this.stack = `${this.name}: ${this.message}`;
  }
}
