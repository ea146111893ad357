/**
 * OAuth2 client credentials for Halo: one token per (token URL, tenant, client, secret, scope),
 * shared by every call of a connection, refreshed a minute before it expires and once more when
 * the API answers 401 (a token revoked or expired early). Concurrent callers share one request.
 */
import { createHash } from 'node:crypto';
import {
  type ConnectorContext,
  ConnectorError,
  isConnectorError,
  parseWith,
} from '../../src/connector-kit/index.ts';
import { HaloToken } from './api-types.ts';
import { type HaloConfig, tokenUrlOf } from './config.ts';

type Ctx = ConnectorContext<HaloConfig>;

/** Refresh this long before `expires_in` runs out, so a token never expires mid-request. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
const MAX_CACHED_TOKENS = 64;

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

const tokens = new Map<string, CachedToken>();
const inFlight = new Map<string, Promise<CachedToken>>();

/** Per connection; the key hashes the secret, so edited (or bad) credentials never reuse a good token. */
function cacheKey(ctx: Ctx): string {
  const { config } = ctx;
  const parts = [
    ctx.connectionId,
    tokenUrlOf(config),
    config.tenant ?? '',
    config.clientId,
    config.clientSecret,
    config.scope,
  ];
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

// https://halopsa.com/apidoc/info (Authorisation: client credentials, POST {authServer}/token, form encoded)
async function requestToken(ctx: Ctx): Promise<CachedToken> {
  const { config } = ctx;
  const url = new URL(tokenUrlOf(config));
  const http = ctx.http({ baseURL: url.origin, maxRetries: 2 });
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: config.clientId,
    client_secret: config.clientSecret,
    scope: config.scope,
  });
  const where = { method: 'POST', path: url.pathname };
  try {
    const res = await http.post(url.pathname, form.toString(), {
      params: config.tenant ? { tenant: config.tenant } : undefined,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const token = parseWith(HaloToken, res.data, where);
    return { accessToken: token.access_token, expiresAt: ctx.now().getTime() + token.expires_in * 1000 };
  } catch (err) {
    // The token endpoint answers 400 `{"error":"invalid_client"}` for a wrong id or secret.
    if (isConnectorError(err) && (err.kind === 'bad_request' || err.kind === 'auth')) {
      throw new ConnectorError('auth', 'HaloPSA rejected the client credentials', {
        ...where,
        status: err.status,
      });
    }
    throw err;
  }
}

/** A valid access token, from the cache unless it is about to expire or `force` is set. */
export async function getAccessToken(ctx: Ctx, force = false): Promise<string> {
  const key = cacheKey(ctx);
  const cached = tokens.get(key);
  if (!force && cached && cached.expiresAt - TOKEN_REFRESH_MARGIN_MS > ctx.now().getTime()) {
    return cached.accessToken;
  }
  let pending = inFlight.get(key);
  if (!pending) {
    pending = requestToken(ctx).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  const fresh = await pending;
  if (tokens.size >= MAX_CACHED_TOKENS && !tokens.has(key))
    tokens.delete(tokens.keys().next().value as string);
  tokens.set(key, fresh);
  return fresh.accessToken;
}

/** Forget the cached token if it is still `accessToken` (another caller may have refreshed it). */
export function invalidateToken(ctx: Ctx, accessToken: string): void {
  const key = cacheKey(ctx);
  if (tokens.get(key)?.accessToken === accessToken) tokens.delete(key);
}

/**
 * Run `call` with a bearer token; on a 401 get a new token and try exactly once more. A second
 * 401 is a real auth failure (an API application without the agent's permissions, say).
 */
export async function withToken<T>(ctx: Ctx, call: (authorization: string) => Promise<T>): Promise<T> {
  const first = await getAccessToken(ctx);
  try {
    return await call(`Bearer ${first}`);
  } catch (err) {
    if (!isConnectorError(err) || err.status !== 401) throw err;
    invalidateToken(ctx, first);
    const second = await getAccessToken(ctx, true);
    return call(`Bearer ${second}`);
  }
}
