import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeToken } from '../src/auth/tokens.ts';
import { apiTokens } from '../src/db/schema/index.ts';
import { availableBackends } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';
import { createTicket } from './support/ops.ts';

const backends = await availableBackends();
const SUB = 'subscription { ticketEvents { type ticket { title } } }';

/**
 * What a revoked token's open streams do. Revocation is written the way an older hub's CLI
 * wrote it (a plain UPDATE, no NOTIFY), so it is the hub's periodic re-check that must notice;
 * the re-check period is shortened to 200 ms for the test.
 */
describe.each(backends)('streams of revoked and expired tokens on %s', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend, { TOKEN_RECHECK_MS: '200' });
  });
  afterAll(async () => hub?.stop());

  const newToken = async () =>
    createApiToken(hub.database.db, { partyId: hub.partyIds.internal, role: 'VIEWER', name: 'wallboard' });

  it('closes the WebSocket of a revoked token with 4403 and delivers nothing more', async () => {
    const { id, token } = await newToken();
    const received: string[] = [];
    const client = hub.ws(token, { onNonLazyError: () => {} });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      client.on('closed', (event) => resolve(event as { code: number; reason: string }));
    });
    const before = hub.app.activeSubscriptions();
    client.subscribe<{ ticketEvents: { ticket: { title: string } } }>(
      { query: SUB },
      { next: (m) => received.push(m.data!.ticketEvents.ticket.title), error: () => {}, complete: () => {} },
    );
    while (hub.app.activeSubscriptions() <= before) await new Promise((r) => setTimeout(r, 10));
    await createTicket(hub, hub.tokens.internalAgent, { title: 'before revocation' });
    while (received.length < 1) await new Promise((r) => setTimeout(r, 10));

    await hub.database.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
    const close = await closed;
    expect(close.code).toBe(4403);
    expect(close.reason).toMatch(/revoked or expired/);
    await createTicket(hub, hub.tokens.internalAgent, { title: 'after revocation' });
    await hub.app.dispatcher.idle();
    expect(received).toEqual(['before revocation']);
  });

  it('closes the WebSocket of a token when it expires', async () => {
    const { id, token } = await newToken();
    await hub.database.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() + 1500) })
      .where(eq(apiTokens.id, id));
    const client = hub.ws(token, { onNonLazyError: () => {} });
    const closed = new Promise<{ code: number }>((resolve) => {
      client.on('closed', (event) => resolve(event as { code: number }));
    });
    client.subscribe({ query: SUB }, { next: () => {}, error: () => {}, complete: () => {} });
    expect((await closed).code).toBe(4403);
    const res = await hub.gql(token, '{ viewer { role } }');
    expect(res.status).toBe(401);
  });

  it('ends the server-sent event stream of a revoked token', async () => {
    const { id, token } = await newToken();
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: SUB }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) return true;
        text += new TextDecoder().decode(value);
      }
      return false;
    };
    await createTicket(hub, hub.tokens.internalAgent, { title: 'sse before revocation' });
    await readUntil(/sse before revocation/);
    await hub.database.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
    // The stream completes and the response ends: nothing can be delivered on it any more.
    expect(await readUntil(/event: complete/)).toBe(false);
    const { done } = await reader.read();
    expect(done).toBe(true);
    expect(text).toContain('sse before revocation');
  });
});

describe.each(backends)('a revocation announced by revokeToken on %s', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    // A re-check period far beyond the test's timeout: only the announcement can close the socket.
    hub = await startTestHub(backend, { TOKEN_RECHECK_MS: '600000' });
  });
  afterAll(async () => hub?.stop());

  it('closes the token’s WebSocket at once and refuses its next request', async () => {
    const { id, token } = await createApiToken(hub.database.db, {
      partyId: hub.partyIds.msp,
      role: 'AGENT',
      name: 'leaked laptop',
    });
    expect((await hub.gql(token, '{ viewer { role } }')).status).toBe(200);
    const client = hub.ws(token, { onNonLazyError: () => {} });
    const closed = new Promise<{ code: number }>((resolve) => {
      client.on('closed', (event) => resolve(event as { code: number }));
    });
    const before = hub.app.activeSubscriptions();
    client.subscribe({ query: SUB }, { next: () => {}, error: () => {}, complete: () => {} });
    while (hub.app.activeSubscriptions() <= before) await new Promise((r) => setTimeout(r, 10));
    expect(await revokeToken(hub.database.db, id)).toBe(true);
    expect((await closed).code).toBe(4403);
    expect((await hub.gql(token, '{ viewer { role } }')).status).toBe(401);
    expect(await revokeToken(hub.database.db, id)).toBe(false);
  });
});
