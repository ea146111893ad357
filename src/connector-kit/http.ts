/**
 * The HTTP client every connector uses: axios with timeouts, per-connection limits, retries that
 * honour `Retry-After`, and errors mapped to `ConnectorError` without leaking credentials.
 *
 * The policy lives in a wrapping adapter rather than in interceptors: the adapter sees every
 * attempt, can hold a limiter slot for exactly the time a request is on the wire, and can retry
 * without re-running the connector's own interceptors.
 */
import axios, {
  type AxiosAdapter,
  type AxiosError,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import type { z } from 'zod';
import { computeBackoffMs, sleep as defaultSleep, parseRetryAfter } from './backoff.ts';
import type { ConnectorLogger, HttpClientOptions, HttpFactory } from './contract.ts';
import { ConnectorError } from './errors.ts';
import { describeRequest, isRetryable, type RequestTarget, toConnectorError } from './http-errors.ts';
import { createRequestLimiter, type RequestLimiter } from './limiter.ts';

export interface CreateHttpClientOptions extends HttpClientOptions {
  log?: ConnectorLogger;
  /** Replaces the retry timer: tests record the waits instead of sleeping through them. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  log: ConnectorLogger | undefined;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: (() => number) | undefined;
}

export function createHttpClient(options: CreateHttpClientOptions): AxiosInstance {
  const limiter = createRequestLimiter({
    maxConcurrency: options.maxConcurrency ?? 4,
    maxRequestsPerSecond: options.maxRequestsPerSecond,
  });
  const policy: RetryPolicy = {
    maxRetries: Math.max(0, options.maxRetries ?? 4),
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: (options.maxRetryAfterSeconds ?? 60) * 1000,
    log: options.log,
    sleep: options.sleep ?? defaultSleep,
    random: options.random,
  };
  const client = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs ?? 15_000,
    headers: { accept: 'application/json', ...options.headers },
    // The hub runs on Node; pinning the http adapter keeps socket error codes stable.
    adapter: createPolicyAdapter(axios.getAdapter('http'), limiter, policy),
    // ETIMEDOUT instead of ECONNABORTED, so timeouts are told apart from aborted sockets.
    transitional: { clarifyTimeoutError: true },
  });
  // Axios replaces the adapter's error with its own CanceledError (request config and headers
  // included) when the signal is aborted; map that too, so nothing leaves without being scrubbed.
  // Other errors (a bug in a connector's own interceptor) pass through unchanged so they stay visible.
  client.interceptors.response.use(undefined, (err: unknown) => {
    if (!axios.isAxiosError(err)) return Promise.reject(err);
    const target = err.config ? describeRequest(err.config) : { method: 'UNKNOWN', path: '/' };
    return Promise.reject(toConnectorError(err, target));
  });
  return client;
}

function createPolicyAdapter(
  inner: AxiosAdapter,
  limiter: RequestLimiter,
  policy: RetryPolicy,
): AxiosAdapter {
  return async (config) => {
    const target = describeRequest(config);
    const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
    for (let attempt = 0; ; attempt += 1) {
      const release = await cancellable(limiter.acquire(signal), target);
      let failure: unknown;
      try {
        const response = await inner(config);
        return parseJsonBody(response, config, target);
      } catch (err) {
        failure = err;
      } finally {
        release();
      }
      const delayMs = nextDelay(failure, target, attempt, policy);
      policy.log?.debug(
        { ...target, status: statusOf(failure), attempt: attempt + 1, delayMs },
        'retrying vendor call',
      );
      await cancellable(policy.sleep(delayMs, signal), target);
    }
  };
}

/** An abort while queued or backing off surfaces as a ConnectorError like every other failure. */
async function cancellable<T>(promise: Promise<T>, target: RequestTarget): Promise<T> {
  try {
    return await promise;
  } catch {
    throw new ConnectorError('unavailable', 'request cancelled by the caller', target);
  }
}

/** The wait before the next attempt, or throws the mapped error when there is none. */
function nextDelay(failure: unknown, target: RequestTarget, attempt: number, policy: RetryPolicy): number {
  if (!axios.isAxiosError(failure)) throw toConnectorError(failure, target);
  const retryAfterMs = parseRetryAfter(headerOf(failure, 'retry-after'));
  const retryAfterSeconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
  const attempts = attempt + 1;
  if (!isRetryable(failure, target.method) || attempt >= policy.maxRetries) {
    throw toConnectorError(failure, target, { retryAfterSeconds, attempts });
  }
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
    // Sleeping minutes inside a sync job would pin a worker; the engine reschedules instead.
    throw toConnectorError(failure, target, { retryAfterSeconds, attempts });
  }
  return computeBackoffMs(attempt, {
    baseMs: policy.baseDelayMs,
    maxMs: policy.maxDelayMs,
    retryAfterMs,
    random: policy.random,
  });
}

/**
 * Axios silently hands back a string when a body that should be JSON does not parse, which turns
 * a proxy's HTML login page into a confusing zod error later. Here it is a clear `invalid_response`.
 * Connectors that expect text set `responseType: 'text'`.
 */
function parseJsonBody(
  response: AxiosResponse,
  config: InternalAxiosRequestConfig,
  target: RequestTarget,
): AxiosResponse {
  const wantsJson = config.responseType === undefined || config.responseType === 'json';
  if (!wantsJson || typeof response.data !== 'string' || response.data.trim() === '') return response;
  try {
    response.data = JSON.parse(response.data);
  } catch {
    throw new ConnectorError('invalid_response', 'vendor sent a body that is not JSON', {
      ...target,
      status: response.status,
    });
  }
  return response;
}

function statusOf(err: unknown): number | undefined {
  return axios.isAxiosError(err) ? err.response?.status : undefined;
}

function headerOf(err: AxiosError, name: string): string | undefined {
  const value: unknown = err.response?.headers?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * An `HttpFactory` for one connection. Equal options return the same client, so a connector that
 * asks `ctx.http(...)` in every operation still shares one limiter per connection.
 */
export function createHttpFactory(defaults: Partial<CreateHttpClientOptions> = {}): HttpFactory {
  const clients = new Map<string, AxiosInstance>();
  return (options) => {
    const merged: CreateHttpClientOptions = {
      ...defaults,
      ...options,
      headers: { ...defaults.headers, ...options.headers },
    };
    const key = cacheKey(merged);
    const existing = clients.get(key);
    if (existing) return existing;
    // Rotating tokens (Halo, Jira OAuth) produce new keys; keep the map from growing without bound.
    if (clients.size >= 16) clients.delete(clients.keys().next().value as string);
    const client = createHttpClient(merged);
    clients.set(key, client);
    return client;
  };
}

function cacheKey(options: CreateHttpClientOptions): string {
  const { log: _log, sleep: _sleep, random: _random, headers, ...rest } = options;
  const sortedHeaders = Object.entries(headers ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const sortedRest = Object.entries(rest).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([sortedRest, sortedHeaders]);
}

/**
 * Parse a vendor payload with zod. A mismatch is `invalid_response` naming the first failing field,
 * never the value (it may be personal data).
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  data: unknown,
  where: { method: string; path: string },
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  const field = first && first.path.length > 0 ? formatIssuePath(first.path) : '(root)';
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  throw new ConnectorError(
    'invalid_response',
    `vendor response did not match the expected shape at ${field}: ${first?.message ?? 'invalid'}${more}`,
    { method: where.method, path: where.path.split('?')[0] },
  );
}

export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
