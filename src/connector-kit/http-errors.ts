/**
 * Turning a failed vendor call into a `ConnectorError`, and deciding whether it is worth retrying.
 *
 * Axios errors carry the whole request config (headers with credentials, the body, the query
 * string). None of that may reach a log line, so the mapping keeps only method, path, status and
 * the socket error code, and drops the axios error rather than attaching it as `cause`.
 */
import axios, { type AxiosError, type InternalAxiosRequestConfig } from 'axios';
import { ConnectorError, type ConnectorErrorKind } from './errors.ts';

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Failures where the request may not have reached the vendor, or where it may have half-run. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ERR_NETWORK',
]);

export interface RequestTarget {
  method: string;
  /** Path only: the query string may hold keys, so it never leaves this module. */
  path: string;
}

export function describeRequest(config: InternalAxiosRequestConfig): RequestTarget {
  const method = (config.method ?? 'get').toUpperCase();
  try {
    return { method, path: new URL(axios.getUri(config)).pathname };
  } catch {
    return { method, path: (config.url ?? '/').split(/[?#]/)[0] || '/' };
  }
}

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/**
 * Whether a failed attempt may be repeated. 429 and 503 mean the vendor did not process the call,
 * so every method is safe to repeat. A dropped connection or a gateway error may have happened
 * after the vendor acted, so only methods that are safe to repeat are retried; a repeated POST
 * could create a second ticket.
 */
export function isRetryable(err: AxiosError, method: string): boolean {
  const status = err.response?.status;
  if (status === 429 || status === 503) return true;
  if (!isIdempotent(method)) return false;
  if (status === 502 || status === 504) return true;
  return status === undefined && err.code !== undefined && NETWORK_CODES.has(err.code);
}

function kindForStatus(status: number): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'unavailable';
  if (status >= 400) return 'bad_request';
  return 'invalid_response';
}

const MESSAGES: Record<ConnectorErrorKind, string> = {
  auth: 'vendor rejected the credentials or their permissions',
  not_found: 'vendor says the resource does not exist',
  conflict: 'vendor reports a conflicting change',
  rate_limited: 'vendor rate limit hit',
  unavailable: 'vendor unavailable',
  bad_request: 'vendor rejected the request as invalid',
  invalid_response: 'vendor sent an unexpected response',
};

export function toConnectorError(
  err: unknown,
  target: RequestTarget,
  extra: { retryAfterSeconds?: number; attempts?: number } = {},
): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const retries = extra.attempts && extra.attempts > 1 ? ` after ${extra.attempts} attempts` : '';
  const wait = extra.retryAfterSeconds !== undefined ? `; retry after ${extra.retryAfterSeconds} s` : '';
  if (!axios.isAxiosError(err)) {
    return new ConnectorError('unavailable', `request failed${retries}`, target);
  }
  const status = err.response?.status;
  if (status !== undefined) {
    const kind = kindForStatus(status);
    return new ConnectorError(kind, `${MESSAGES[kind]}${retries}${wait}`, {
      ...target,
      status,
      retryAfterSeconds: extra.retryAfterSeconds,
    });
  }
  if (err.code === 'ERR_CANCELED') {
    return new ConnectorError('unavailable', 'request cancelled by the caller', target);
  }
  if (err.code === 'ETIMEDOUT' || err.code === 'ECONNABORTED') {
    return new ConnectorError('unavailable', `vendor did not answer in time${retries}`, target);
  }
  if (err.code === 'ERR_BAD_RESPONSE') {
    return new ConnectorError('invalid_response', MESSAGES.invalid_response, target);
  }
  // Socket codes (ECONNRESET, ENOTFOUND...) are safe to show and tell an operator what broke.
  const code = err.code && /^[A-Z_]+$/.test(err.code) ? ` ${err.code}` : '';
  return new ConnectorError('unavailable', `network error${code}${retries}`, target);
}
