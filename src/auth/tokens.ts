import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { PartyKind, Role } from '../db/schema/index.ts';
import { apiTokens, parties } from '../db/schema/index.ts';
import { engagementIdsOf } from '../domain/engagements.ts';

/** Who is calling: resolved from an API token, carried in the GraphQL context. */
export interface Viewer {
  tokenId: string;
  tokenName: string;
  role: Role;
  partyId: string;
  partySlug: string;
  partyKind: PartyKind;
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
  input: { partyId: string; role: Role; name: string; engagementIds?: string[] | null },
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
 * Resolves tokens to viewers with a short cache: a request should not cost a database
 * round trip just to authenticate. A revoked token stops working within `ttlMs`.
 */
export class TokenResolver {
  private readonly cache = new Map<string, { viewer: Viewer | null; expires: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  async resolve(token: string): Promise<Viewer | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const hash = hashToken(token);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.expires > now) return hit.viewer;
    const viewer = await this.lookup(hash);
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(hash, { viewer, expires: now + this.ttlMs });
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
        limit: apiTokens.engagementIds,
      })
      .from(apiTokens)
      .innerJoin(parties, eq(parties.id, apiTokens.partyId))
      .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
    if (!row) return null;
    const { limit, ...viewer } = row;
    return { ...viewer, engagementIds: await engagementIdsOf(this.db, viewer, limit) };
  }
}
