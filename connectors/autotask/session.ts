/**
 * The connection's way into Autotask: the zone lookup (each database lives in one zone, found by
 * username), the authenticated client for that zone with the thread limit as its concurrency, and
 * threshold pacing on every request. The zone is cached per connector context; a 401 makes it
 * look again once, since a database moved to another zone answers 401 in the old one (djat).
 */
import type { AxiosInstance } from 'axios';
import {
  type ConnectorContext,
  ConnectorError,
  isConnectorError,
  parseWith,
  sleep,
} from '../../src/connector-kit/index.ts';
import { AtThresholdInformation, AtZoneInformation } from './api-types.ts';
import type { AutotaskConfig } from './config.ts';
import {
  decidePacing,
  estimateUsed,
  ownFreedInMs,
  type ThresholdSnapshot,
  thresholdReadDue,
} from './pacing.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

/** Autotask answers a 4th concurrent request per integration code and endpoint with an error. */
export const AT_THREAD_LIMIT = 3;
export const THRESHOLD_PATH = '/ThresholdInformation';

export interface AtZone {
  /** REST root for this database, e.g. `https://webservices5.autotask.net/atservicesrest/v1.0`. */
  apiBase: string;
  /** The web UI, e.g. `https://ww5.autotask.net/`, for ticket links. */
  webUrl: string | null;
}

export interface AtApi {
  http: AxiosInstance;
  zone: AtZone;
  config: AutotaskConfig;
}

const zones = new WeakMap<Ctx, Promise<AtZone>>();

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/General/API_Zones.htm
async function lookupZone(ctx: Ctx): Promise<AtZone> {
  const http = ctx.http({ baseURL: ctx.config.zoneLookupUrl, maxRetries: 2 });
  const path = '/v1.0/zoneInformation';
  try {
    const res = await http.get(path, { params: { user: ctx.config.username } });
    const info = parseWith(AtZoneInformation, res.data, { method: 'GET', path });
    return { apiBase: `${info.url.replace(/\/+$/, '')}/v1.0`, webUrl: info.webUrl ?? null };
  } catch (err) {
    // Autotask answers 500, not 404, for a blank or unknown username.
    if (isConnectorError(err) && err.status === 500) {
      throw new ConnectorError('auth', 'Autotask does not know this API username (zoneInformation)', {
        method: 'GET',
        path,
        status: 500,
      });
    }
    throw err;
  }
}

export function zoneOf(ctx: Ctx, fresh = false): Promise<AtZone> {
  const cached = zones.get(ctx);
  if (cached && !fresh) return cached;
  const promise = lookupZone(ctx);
  zones.set(ctx, promise);
  promise.catch(() => {
    if (zones.get(ctx) === promise) zones.delete(ctx);
  });
  return promise;
}

export function forgetZone(ctx: Ctx): void {
  zones.delete(ctx);
}

export async function apiFor(ctx: Ctx, freshZone = false): Promise<AtApi> {
  const zone = await zoneOf(ctx, freshZone);
  const { config } = ctx;
  const http = ctx.http({
    baseURL: zone.apiBase,
    headers: {
      ApiIntegrationCode: config.integrationCode,
      UserName: config.username,
      Secret: config.secret,
      'Content-Type': 'application/json',
    },
    maxConcurrency: AT_THREAD_LIMIT,
  });
  installPacing(ctx, http);
  return { http, zone, config };
}

/** Runs `fn` against the zone; on a 401, looks the zone up again and retries once if it moved. */
export async function withApi<T>(ctx: Ctx, fn: (api: AtApi) => Promise<T>): Promise<T> {
  const api = await apiFor(ctx);
  try {
    return await fn(api);
  } catch (err) {
    if (!isConnectorError(err) || err.status !== 401) throw err;
    const fresh = await apiFor(ctx, true);
    if (fresh.zone.apiBase === api.zone.apiBase) throw err;
    ctx.log.info({ connectionId: ctx.connectionId }, 'Autotask database moved zone; retrying there');
    return fn(fresh);
  }
}

interface PacerState {
  snapshot: ThresholdSnapshot | null;
  readAt: number | null;
  sent: number;
  lastStart: number | null;
  reading: Promise<void> | null;
  /** When our requests (reads of the threshold included) went or will go out. */
  stamps: number[];
}

const paced = new WeakSet<AxiosInstance>();

// https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/General/ThresholdInformation.htm
async function readThreshold(http: AxiosInstance, state: PacerState): Promise<void> {
  // The read counts against the threshold too.
  state.stamps.push(Date.now());
  try {
    const res = await http.get(THRESHOLD_PATH);
    const info = parseWith(AtThresholdInformation, res.data, { method: 'GET', path: THRESHOLD_PATH });
    state.snapshot = {
      threshold: info.externalRequestThreshold,
      timeframeMs: info.requestThresholdTimeframe * 60_000,
      used: info.currentTimeframeRequestCount,
    };
    state.sent = 0;
  } catch {
    // Pacing is a courtesy: bad credentials or a hiccup here must not block the real call,
    // which reports its own error.
  } finally {
    state.readAt = Date.now();
  }
}

/** Drops stamps no longer needed: outside the window both now and when the snapshot was read. */
function prune(state: PacerState, now: number): void {
  const timeframe = state.snapshot?.timeframeMs ?? 3_600_000;
  const cutoff = Math.min(now, state.readAt ?? now) - timeframe;
  if ((state.stamps[0] ?? cutoff + 1) <= cutoff) state.stamps = state.stamps.filter((t) => t > cutoff);
}

/**
 * Before every request: re-read the threshold when due, then go, wait, or defer. The budget is
 * judged from our own count since the last read (`estimateUsed`); when it is used up and our own
 * oldest requests leave the window within `maxPacingWaitSeconds`, the request waits for them
 * (a backfill rides the rolling window without a single 429), otherwise it is deferred.
 */
function installPacing(ctx: Ctx, http: AxiosInstance): void {
  if (paced.has(http)) return;
  paced.add(http);
  const { config } = ctx;
  const policy = {
    startRatio: config.pacingStartPercent / 100,
    reserve: config.thresholdReserve,
    maxWaitMs: config.maxPacingWaitSeconds * 1000,
  };
  const state: PacerState = {
    snapshot: null,
    readAt: null,
    sent: 0,
    lastStart: null,
    reading: null,
    stamps: [],
  };
  const budgetOf = (snapshot: ThresholdSnapshot) =>
    Math.max(1, snapshot.threshold - Math.max(0, policy.reserve));
  const usedNow = (now: number) =>
    state.snapshot && state.readAt !== null
      ? estimateUsed(state.snapshot, state.readAt, state.stamps, now)
      : 0;
  http.interceptors.request.use(async (request) => {
    if (request.url === THRESHOLD_PATH) return request;
    for (;;) {
      let now = Date.now();
      prune(state, now);
      const timeframe = state.snapshot?.timeframeMs ?? 720_000;
      const due = thresholdReadDue(state.readAt, state.sent, now, {
        every: config.thresholdCheckEvery,
        maxAgeMs: Math.min(60_000, timeframe / 12),
        // Reads count against the budget they measure: an old snapshot is re-read after half of
        // `every` requests, or when two timeframes old (after idling), not before each slow,
        // paced request. Our own requests are counted locally in between.
        minSent: Math.ceil(config.thresholdCheckEvery / 2),
        staleMs: 2 * timeframe,
      });
      // Never spend the last slot of the budget on reading how much is left.
      if (due && (!state.snapshot || usedNow(now) < budgetOf(state.snapshot))) {
        state.reading ??= readThreshold(http, state).finally(() => {
          state.reading = null;
        });
        await state.reading;
        now = Date.now();
      }
      const snapshot = state.snapshot;
      if (!snapshot) break;
      const used = usedNow(now);
      const decision = decidePacing({ ...snapshot, used }, 0, policy);
      if (decision.action === 'go') {
        const start = Math.max(now, (state.lastStart ?? 0) + decision.spacingMs);
        // Taken before sleeping, so concurrent requests see each other's slot.
        state.lastStart = start;
        state.sent += 1;
        state.stamps.push(start);
        await sleep(start - now);
        return request;
      }
      const excess = used - budgetOf(snapshot) + 1;
      const freedIn = excess > 0 ? ownFreedInMs(state.stamps, now, snapshot.timeframeMs, excess) : null;
      if (freedIn !== null && freedIn <= policy.maxWaitMs) {
        await sleep(freedIn);
        continue;
      }
      throw new ConnectorError('rate_limited', 'Autotask request threshold nearly used up; deferring', {
        method: (request.method ?? 'get').toUpperCase(),
        path: pathOf(request.url),
        retryAfterSeconds:
          freedIn === null ? decision.retryAfterSeconds : Math.max(1, Math.ceil(freedIn / 1000)),
      });
    }
    // No snapshot (ThresholdInformation unreadable): go unpaced, but keep count.
    state.sent += 1;
    state.stamps.push(Date.now());
    return request;
  });
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://relative.invalid').pathname;
  } catch {
    return '/';
  }
}
