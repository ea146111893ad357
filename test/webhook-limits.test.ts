/**
 * #15 items 7 and 8 on the hub's side: body limits enforced while the body streams (chunked
 * bodies too, GraphQL and webhooks alike), a per-connection webhook rate limit, and replayed
 * callbacks coalesced per ticket so they cannot spend the vendor's API quota.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { CW_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const backends = await availableBackends();

/** A body sent with Transfer-Encoding: chunked (no Content-Length), `size` bytes in 64 KB chunks. */
function chunked(prefix: string, size: number, suffix: string): ReadableStream<Uint8Array> {
  let sent = 0;
  const filler = new Uint8Array(65_536).fill('a'.charCodeAt(0));
  return new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(prefix));
    },
    pull(c) {
      if (sent >= size) {
        c.enqueue(new TextEncoder().encode(suffix));
        c.close();
        return;
      }
      c.enqueue(filler);
      sent += filler.length;
    },
  });
}

describe.each(backends)('webhook and body limits on %s', (backend) => {
  let hub: SyncTestHub;
  let origin: string;
  beforeAll(async () => {
    hub = await startSyncHub(backend, {
      env: { WEBHOOK_RATE_PER_MINUTE: '400', WEBHOOK_TICKET_WINDOW_MS: '10000' },
    });
    origin = new URL(hub.url).origin;
  });
  afterAll(async () => hub?.stop());

  const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : new Uint8Array(body),
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('answers 413 to a chunked GraphQL body over MAX_BODY_BYTES, without running it', async () => {
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.tokens.internalAgent}` },
      body: chunked(
        '{"query":"mutation { createTicket(input: { title: \\"',
        20 * 1_048_576,
        '\\" }) { ticket { id } } }"}',
      ),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe('PAYLOAD_TOO_LARGE');
  });

  it('still answers a chunked GraphQL body under the limit', async () => {
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.tokens.internalAgent}` },
      body: chunked('{"query":"{ viewer { role } }","extensions":{"pad":"', 65_536, '"}}'),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { viewer: { role: 'AGENT' } } });
  });

  it('answers 413 to a chunked webhook body over MAX_BODY_BYTES', async () => {
    const res = await fetch(`${origin}/webhooks/${CW_ID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-content-signature': 'x' },
      body: chunked('{"pad":"', 20 * 1_048_576, '"}'),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('fetches a ticket a replayed valid callback names once per window, not once per replay', async () => {
    const seeded = hub.cw.seedTicket({ summary: 'Replayed callback', skipCallback: true }) as { id: number };
    const cb = hub.cw.signedCallback(seeded.id);
    const before = hub.cw.requestCount();
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      statuses.add((await post(`/webhooks/${CW_ID}`, cb.rawBody, cb.headers)).status);
    }
    expect([...statuses]).toEqual([202]);
    await hub.settle();
    // The 300 replays took about one 10 s window: the ticket (and its notes) were read at once
    // and at the window's end, plus what delivering it onwards reads. Without the window, every
    // replay that found no hint waiting re-read it: about 150 reads.
    const calls = hub.cw.requestCount() - before;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(12);
    const found = await hub.gql<{ tickets: { totalCount: number } }>(
      hub.tokens.mspAgent,
      '{ tickets(filter: { search: "Replayed callback" }) { totalCount } }',
    );
    expect(found.data!.tickets.totalCount).toBe(1);
  });

  it('answers 429 with Retry-After once a connection spends its rate, before verifying anything', async () => {
    const keyFetches = hub.cw.keyFetchCount();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 500; i++) {
      const res = await post(`/webhooks/${CW_ID}`, '{"forged":true}', { 'x-content-signature': 'x' });
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses).toContain(401);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(hub.cw.keyFetchCount()).toBe(keyFetches);
    // Other connections keep their own budget.
    expect((await post('/webhooks/internal-rt', '{}')).status).toBe(400);
  });
});
