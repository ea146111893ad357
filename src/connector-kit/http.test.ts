import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectorError } from './errors.ts';
import { type CreateHttpClientOptions, createHttpClient, createHttpFactory, parseWith } from './http.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

let server: Server;
let baseURL: string;
let handler: Handler;
let requests: Array<{ method: string; url: string }>;
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    req.resume();
    req.on('end', () => handler(req, res, requests.length));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

beforeEach(() => {
  requests = [];
  maxInFlight = 0;
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A client whose retry waits are recorded rather than slept, so the tests take no wall time. */
function client(options: Partial<CreateHttpClientOptions> = {}) {
  const waits: number[] = [];
  const http = createHttpClient({
    baseURL,
    baseDelayMs: 1,
    maxDelayMs: 2,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return { http, waits };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

describe('createHttpClient retries', () => {
  it('retries a 429 after the Retry-After the vendor asked for, then succeeds', async () => {
    handler = (_req, res, n) =>
      n <= 2 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, { ok: 1 });
    const { http, waits } = client();
    const response = await http.get('/tickets');
    expect(response.data).toEqual({ ok: 1 });
    expect(requests).toHaveLength(3);
    expect(waits).toEqual([1000, 1000]);
  });

  it('gives up as rate_limited after maxRetries, keeping the last Retry-After', async () => {
    handler = (_req, res) => json(res, 429, {}, { 'retry-after': '0' });
    const err = await failure(client({ maxRetries: 2 }).http.get('/tickets'));
    expect(requests).toHaveLength(3);
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterSeconds: 0, retryable: true });
  });

  it('does not sleep through a Retry-After beyond the cap: it hands the wait to the engine', async () => {
    handler = (_req, res) => json(res, 429, {}, { 'retry-after': '120' });
    const { http, waits } = client({ maxRetryAfterSeconds: 60 });
    const err = await failure(http.get('/tickets'));
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 120 });
  });

  it('retries 503 for every method, POST included, since the vendor did not process it', async () => {
    handler = (_req, res, n) => (n === 1 ? json(res, 503, {}) : json(res, 201, { id: 7 }));
    const response = await client().http.post('/tickets', { title: 'x' });
    expect(response.data).toEqual({ id: 7 });
    expect(requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('retries a dropped connection for GET but not for POST, which may have been applied', async () => {
    handler = (_req, res, n) => (n === 1 ? res.socket?.destroy() : json(res, 200, { ok: 1 }));
    await expect(client().http.get('/tickets/1')).resolves.toMatchObject({ data: { ok: 1 } });
    expect(requests).toHaveLength(2);

    requests = [];
    handler = (_req, res) => res.socket?.destroy();
    const err = await failure(client().http.post('/tickets', { title: 'x' }));
    expect(requests).toHaveLength(1);
    expect(err.kind).toBe('unavailable');
    expect(err.message).toMatch(/network error ECONNRESET \(POST \/tickets\)/);
  });

  it('stops retrying when the caller aborts during a backoff', async () => {
    handler = (_req, res) => json(res, 503, {});
    const controller = new AbortController();
    const http = createHttpClient({
      baseURL,
      headers: { authorization: 'Bearer ABORT-S3CRET' },
      sleep: async () => {
        controller.abort();
        throw new Error('aborted');
      },
    });
    const err = await failure(http.get('/tickets', { signal: controller.signal }));
    expect(requests).toHaveLength(1);
    expect(err.message).toContain('cancelled');
    expect(inspect(err, { depth: 5 })).not.toContain('ABORT-S3CRET');
  });

  it('maps a timeout to unavailable', async () => {
    handler = () => {};
    const err = await failure(client({ timeoutMs: 50, maxRetries: 0 }).http.get('/slow'));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toContain('did not answer in time');
  });
});

describe('createHttpClient error mapping', () => {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [409, 'conflict'],
    [400, 'bad_request'],
    [422, 'bad_request'],
    [500, 'unavailable'],
  ] as const)('maps %i to %s without retrying', async (status, kind) => {
    handler = (_req, res) => json(res, status, { message: 'nope' });
    const err = await failure(client().http.get('/tickets/1'));
    expect(requests).toHaveLength(1);
    expect(err).toMatchObject({ kind, status, method: 'GET', path: '/tickets/1' });
    expect(err.message).toContain(`GET /tickets/1 -> ${status}`);
  });

  it('reports a 200 whose body is not JSON as invalid_response', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    };
    const err = await failure(client().http.get('/tickets'));
    expect(err.kind).toBe('invalid_response');
  });

  it('leaves text alone when the connector asks for text', async () => {
    handler = (_req, res) => res.end('RT/5.0.5 200 Ok');
    const response = await client().http.get('/REST/1.0/', { responseType: 'text' });
    expect(response.data).toBe('RT/5.0.5 200 Ok');
  });

  it('never puts header values, query strings or bodies in errors', async () => {
    const secrets = ['HEADER-S3CRET', 'QUERY-S3CRET', 'BODY-S3CRET', 'PARAM-S3CRET'];
    const { http } = client({ headers: { authorization: 'Bearer HEADER-S3CRET' }, maxRetries: 1 });
    const calls = [
      () => http.get('/tickets?apiKey=QUERY-S3CRET', { params: { token: 'PARAM-S3CRET' } }),
      () => http.post('/tickets?apiKey=QUERY-S3CRET', { password: 'BODY-S3CRET' }),
    ];
    for (const status of [401, 429, 500, 0]) {
      handler = (_req, res) => (status === 0 ? res.socket?.destroy() : json(res, status, {}));
      for (const call of calls) {
        const err = await failure(call());
        const everything = `${err.message}\n${err.stack}\n${inspect(err, { depth: 5 })}\n${JSON.stringify(err)}`;
        for (const secret of secrets) expect(everything).not.toContain(secret);
        expect(err.path).toBe('/tickets');
      }
    }
  });
});

describe('createHttpClient limits', () => {
  it('caps requests in flight at maxConcurrency, measured by the server', async () => {
    const held: ServerResponse[] = [];
    let timer: NodeJS.Timeout | undefined;
    // Answers are held until no new request has arrived for 50 ms: a client exceeding the cap would
    // get its extra request in meanwhile. A slow machine can only hide a breach, never invent one.
    handler = (_req, res) => {
      held.push(res);
      clearTimeout(timer);
      timer = setTimeout(() => {
        for (const r of held.splice(0)) json(r, 200, {});
      }, 50);
    };
    const { http } = client({ maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => http.get(`/tickets/${i}`)));
    expect(requests).toHaveLength(8);
    expect(maxInFlight).toBe(2);
  });
});

describe('createHttpFactory', () => {
  it('returns the same client for equal options so limits are shared across calls', () => {
    const factory = createHttpFactory({ timeoutMs: 1000 });
    const a = factory({ baseURL, headers: { a: '1', b: '2' } });
    expect(factory({ baseURL, headers: { b: '2', a: '1' } })).toBe(a);
    expect(factory({ baseURL, headers: { a: 'other' } })).not.toBe(a);
  });
});

describe('parseWith', () => {
  const schema = z.object({ tickets: z.array(z.object({ id: z.number(), status: z.string() })) });

  it('returns the parsed value', () => {
    expect(parseWith(schema, { tickets: [] }, { method: 'GET', path: '/t' })).toEqual({ tickets: [] });
  });

  it('throws invalid_response naming the first failing field, not its value', () => {
    const data = {
      tickets: [
        { id: 1, status: 'ok' },
        { id: 2, status: 42 },
      ],
    };
    expect(() => parseWith(schema, data, { method: 'get', path: '/t?key=SECRET' })).toThrowError(
      expect.objectContaining({ kind: 'invalid_response', path: '/t' }),
    );
    try {
      parseWith(schema, data, { method: 'get', path: '/t?key=SECRET' });
    } catch (err) {
      expect((err as Error).message).toMatch(/at tickets\[1\]\.status: .*\(GET \/t\)$/);
      expect((err as Error).message).not.toContain('42');
      expect((err as Error).message).not.toContain('SECRET');
    }
  });
});
