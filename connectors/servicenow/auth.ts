/**
 * Authentication headers. Basic sends `username:password` on every call. OAuth trades the same
 * credentials plus a client id/secret for a bearer token at `/oauth_token.do` (password grant);
 * tokens are cached per connection until a minute before they expire (30 minutes by default).
 */
import { createHash } from 'node:crypto';
import { type ConnectorContext, parseWith } from '../../src/connector-kit/index.ts';
import { SnTokenResponse } from './api-types.ts';
import type { ServiceNowConfig } from './config.ts';

type Ctx = ConnectorContext<ServiceNowConfig>;

const EXPIRY_MARGIN_MS = 60_000;
const MAX_TOKENS = 256;
const tokens = new Map<string, { token: string; expiresAt: number }>();

export function basicAuthorization(config: Pick<ServiceNowConfig, 'username' | 'password'>): string {
  return `Basic ${Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64')}`;
}

/** The cache key names the credentials by hash, so an edited password never reuses a token. */
function tokenKey(ctx: Ctx): string {
  const { instanceUrl, username, password, oauthClientId, oauthClientSecret } = ctx.config;
  const digest = createHash('sha256')
    .update([instanceUrl, username, password, oauthClientId, oauthClientSecret].join('\n'))
    .digest('hex');
  return `${ctx.connectionId}\n${digest}`;
}

// https://www.servicenow.com/docs/bundle/xanadu-platform-security/page/administer/security/reference/r_OAuthAPIRequestParameters.html
async function fetchToken(ctx: Ctx): Promise<{ token: string; expiresAt: number }> {
  const { config } = ctx;
  const http = ctx.http({ baseURL: config.instanceUrl, maxRetries: 2 });
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: config.oauthClientId ?? '',
    client_secret: config.oauthClientSecret ?? '',
    username: config.username,
    password: config.password,
  });
  const res = await http.post('/oauth_token.do', form.toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const body = parseWith(SnTokenResponse, res.data, { method: 'POST', path: '/oauth_token.do' });
  return { token: body.access_token, expiresAt: ctx.now().getTime() + body.expires_in * 1000 };
}

export async function authHeaders(ctx: Ctx): Promise<Record<string, string>> {
  if (ctx.config.auth === 'basic') return { authorization: basicAuthorization(ctx.config) };
  const key = tokenKey(ctx);
  const cached = tokens.get(key);
  if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > ctx.now().getTime()) {
    return { authorization: `Bearer ${cached.token}` };
  }
  const fresh = await fetchToken(ctx);
  if (tokens.size >= MAX_TOKENS) tokens.delete(tokens.keys().next().value as string);
  tokens.set(key, fresh);
  return { authorization: `Bearer ${fresh.token}` };
}

/** Drop the connection's token (after a 401: revoked or expired early). */
export function forgetToken(ctx: Ctx): void {
  tokens.delete(tokenKey(ctx));
}
