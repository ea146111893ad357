/**
 * CW callbacks: signature check, change hints, registration.
 *
 * CW does not sign with a shared secret. Each callback names a `Metadata.key_url`; the receiver
 * fetches `{"signing_key": "..."}` from it, hashes that with SHA-256 and uses the digest as the
 * HMAC-SHA256 key over the body (base64, header `x-content-signature`), as connectwise-rest's
 * `verifyMessage` does. Because the URL comes from the untrusted body, it is fetched only from
 * the connection's own CW origin or an allowlisted https host (else anyone could make the hub
 * call any URL, and sign their own forgeries with a key they serve).
 *
 * Even on the vendor's own host, only the key path CW serves is fetched
 * (`/<codebase>/callback-keys/<key id>`, as in the captured callback in
 * fixtures/callback-ticket-updated.json; the path itself is not in CW's public docs, see
 * ../shared/reference/psa-apis.md "Callbacks"): a forged callback must not make the hub call
 * any other API path. Once a key URL not in the cache failed (its key did not verify the
 * callback, or it could not be fetched), no other uncached key URL is fetched for that
 * connection for KEY_REFETCH_AFTER_MS, so forged callbacks naming fresh key ids cannot turn
 * into a stream of outbound calls, while a genuine key rotation (whose first callback verifies)
 * is never held up by another genuine one. The signature must have the shape of one before
 * anything is fetched.
 */
import { createHash } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import {
  type ChangeHint,
  type ConnectorContext,
  ConnectorError,
  getHeader,
  verifyHmac,
  type WebhookRequest,
  type WebhookVerdict,
} from '../../src/connector-kit/index.ts';
import { CwCallbackPayload, CwSigningKey } from './api-types.ts';
import { createCallback, createCwHttp, deleteCallback, listCallbacks, patchCallback } from './client.ts';
import type { ConnectWiseConfig } from './config.ts';

type Ctx = ConnectorContext<ConnectWiseConfig>;

export const CW_SIGNATURE_HEADER = 'x-content-signature';
/** A fetched key is reused this long; a signature that fails against an older key refetches once. */
const KEY_TTL_MS = 5 * 60_000;
const KEY_REFETCH_AFTER_MS = 30_000;
const MAX_CACHED_KEYS = 64;

const keyCache = new Map<string, { key: Buffer; fetchedAt: number }>();
/** When each connection last fetched a key it did not have and that key did not verify. */
const lastFailedFetch = new Map<string, number>();

/** `/<codebase>/callback-keys/<key id>`, nothing else; no query string. */
const KEY_PATH = /^\/[A-Za-z0-9_.-]{1,40}\/callback-keys\/[A-Za-z0-9_-]{1,128}$/;
/** base64 of an HMAC-SHA256 digest: 32 bytes. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{43}=$/;

/** `key_url` as a URL when it may be fetched, else null. */
export function toAllowedKeyUrl(config: ConnectWiseConfig, raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (!KEY_PATH.test(url.pathname) || url.search) return null;
  if (url.origin === new URL(config.baseUrl).origin) return url;
  const allowed = config.callbackUrlHostAllowlist.includes(url.host.toLowerCase());
  return allowed && url.protocol === 'https:' ? url : null;
}

async function fetchSigningKey(ctx: Ctx, url: URL): Promise<Buffer> {
  // No credentials go to key_url (connectwise-rest sends none either), and no redirects are
  // followed: a redirect would escape the origin check above.
  const http: AxiosInstance = ctx.http({ baseURL: url.origin, timeoutMs: 5_000, maxRetries: 1 });
  const res = await http.get(url.pathname + url.search, { responseType: 'text', maxRedirects: 0 });
  let body: unknown = JSON.parse(String(res.data));
  // connectwise-rest JSON.parses what axios already parsed, which suggests CW may serve the key
  // document as a JSON *string*; accept both (UNCONFIRMED).
  if (typeof body === 'string') body = JSON.parse(body);
  const parsed = CwSigningKey.parse(body);
  return createHash('sha256').update(parsed.signing_key).digest();
}

async function signingKey(ctx: Ctx, url: URL, refresh: boolean) {
  const cacheKey = `${ctx.connectionId}\n${url.href}`;
  const now = ctx.now().getTime();
  const cached = keyCache.get(cacheKey);
  if (cached && !refresh && now - cached.fetchedAt < KEY_TTL_MS) return { ...cached, fresh: false };
  if (cached && refresh && now - cached.fetchedAt < KEY_REFETCH_AFTER_MS) return null;
  if (!cached) {
    const last = lastFailedFetch.get(ctx.connectionId);
    if (last !== undefined && now - last < KEY_REFETCH_AFTER_MS) return null;
  }
  let key: Buffer;
  try {
    key = await fetchSigningKey(ctx, url);
  } catch (err) {
    if (!cached) lastFailedFetch.set(ctx.connectionId, now);
    throw err;
  }
  if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(cacheKey, { key, fetchedAt: now });
  return { key, fresh: true };
}

export async function verifyCallback(ctx: Ctx, req: WebhookRequest): Promise<WebhookVerdict> {
  const signature = getHeader(req.headers, CW_SIGNATURE_HEADER);
  if (!signature) return 'missing_headers';
  if (!SIGNATURE_SHAPE.test(signature)) return 'invalid';
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return 'invalid';
  }
  const payload = CwCallbackPayload.safeParse(body);
  if (!payload.success) return 'invalid';
  const keyUrl = toAllowedKeyUrl(ctx.config, payload.data.Metadata.key_url);
  if (!keyUrl) return 'invalid';
  // CW signs JSON.stringify(body) (connectwise-rest re-serialises the parsed body); whether that
  // equals the bytes on the wire is UNCONFIRMED, so both are accepted.
  const payloads = [JSON.stringify(body), req.rawBody];
  const matches = (key: Buffer) =>
    payloads.some((p) => verifyHmac({ algorithm: 'sha256', key, payload: p, signature, encoding: 'base64' }));
  try {
    const first = await signingKey(ctx, keyUrl, false);
    if (first && matches(first.key)) return 'valid';
    if (first?.fresh) {
      // A key fetched for this callback that does not verify it: likely a forgery naming a key id.
      lastFailedFetch.set(ctx.connectionId, ctx.now().getTime());
      return 'invalid';
    }
    const second = await signingKey(ctx, keyUrl, true);
    return second && matches(second.key) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

export function parseCallback(_ctx: Ctx, req: WebhookRequest): ChangeHint[] {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new ConnectorError('invalid_response', 'ConnectWise callback body is not JSON');
  }
  const payload = CwCallbackPayload.safeParse(body);
  if (!payload.success)
    throw new ConnectorError('invalid_response', 'ConnectWise callback has an unexpected shape');
  const { Type, ID, Action } = payload.data;
  if (Type.toLowerCase() !== 'ticket') return [];
  const externalId = String(ID);
  if (!/^\d{1,12}$/.test(externalId))
    throw new ConnectorError('invalid_response', 'callback ID is not a ticket id');
  return [{ externalId, kind: Action.toLowerCase() === 'deleted' ? 'deleted' : 'ticket' }];
}

/**
 * Make sure CW calls `url` for every ticket change (`level: owner`, `objectId: 1`, as
 * django-connectwise registers). Self-suppressed, so changes made with the hub's own API member
 * do not come back (meaning of the flag inferred from its name: UNCONFIRMED).
 */
export async function registerCallback(ctx: Ctx, url: string): Promise<'created' | 'existing'> {
  const http = createCwHttp(ctx);
  const existing = (await listCallbacks(http)).find(
    (e) => e.url === url && e.type.toLowerCase() === 'ticket',
  );
  if (existing) {
    if (existing.inactiveFlag) {
      await patchCallback(http, existing.id, [{ op: 'replace', path: 'inactiveFlag', value: false }]);
    }
    return 'existing';
  }
  await createCallback(http, {
    description: 'co-managed ticket hub',
    url,
    objectId: 1,
    type: 'ticket',
    level: 'owner',
    inactiveFlag: false,
    isSelfSuppressedFlag: true,
  });
  return 'created';
}

/** Removes the hub's ticket callbacks for `url` (a failed start cleaning up after itself). */
export async function unregisterCallback(ctx: Ctx, url: string): Promise<void> {
  const http = createCwHttp(ctx);
  for (const entry of await listCallbacks(http)) {
    if (entry.url === url && entry.type.toLowerCase() === 'ticket') await deleteCallback(http, entry.id);
  }
}
