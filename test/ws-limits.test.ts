/**
 * #15 item 6: live operations are capped per socket and per token, and WebSocket frames are
 * capped in size (connection_init included, before any token is checked), with clear errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { availableBackends } from './support/backends.ts';
import { collect, startTestHub, type TestHub } from './support/hub.ts';

const backends = await availableBackends();

/** The same subscription, its text differing by a comment so no two share an execution. */
const sub = (i: number) => `subscription { ticketEvents { id type } } # copy ${i}`;

function codesOf(errors: unknown[]): string[] {
  return errors.flatMap((e) =>
    (Array.isArray(e) ? e : [e]).map(
      (x) => (x as { extensions?: { code?: string } }).extensions?.code ?? String(x),
    ),
  );
}

describe.each(backends)('WebSocket limits on %s', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend, {
      WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '3',
      WS_MAX_SUBSCRIPTIONS_PER_TOKEN: '5',
      WS_MAX_PAYLOAD_BYTES: '65536',
    });
  });
  afterAll(async () => hub?.stop());

  it('refuses a subscription past the per-socket cap with TOO_MANY_SUBSCRIPTIONS, and takes one after another ends', async () => {
    const client = hub.ws(hub.tokens.mspAgent);
    const subs = [0, 1, 2].map((i) => collect(hub, client, sub(i)));
    await Promise.all(subs.map((s) => s.ready));
    const extra = collect(hub, client, sub(3));
    await extra.ready;
    expect(codesOf(extra.errors)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(JSON.stringify(extra.errors)).toMatch(/WS_MAX_SUBSCRIPTIONS_PER_SOCKET/);
    for (const s of subs) expect(s.errors).toEqual([]);
    await subs[0]!.stop();
    const again = collect(hub, client, sub(4));
    await again.ready;
    expect(again.errors).toEqual([]);
    await Promise.all([subs[1]!.stop(), subs[2]!.stop(), again.stop()]);
    client.dispose();
  });

  it('refuses a subscription past the per-token cap across sockets; other tokens are unaffected', async () => {
    const a = hub.ws(hub.tokens.internalAgent);
    const b = hub.ws(hub.tokens.internalAgent);
    const onA = [0, 1, 2].map((i) => collect(hub, a, sub(i)));
    await Promise.all(onA.map((s) => s.ready));
    const onB = [3, 4].map((i) => collect(hub, b, sub(i)));
    await Promise.all(onB.map((s) => s.ready));
    const sixth = collect(hub, b, sub(5));
    await sixth.ready;
    expect(codesOf(sixth.errors)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(JSON.stringify(sixth.errors)).toMatch(/WS_MAX_SUBSCRIPTIONS_PER_TOKEN/);
    const other = hub.ws(hub.tokens.internalViewer);
    const fine = collect(hub, other, sub(6));
    await fine.ready;
    expect(fine.errors).toEqual([]);
    // A closed socket gives its operations back to the token.
    await a.dispose();
    const deadline = Date.now() + 5000;
    let later = collect(hub, b, sub(7));
    await later.ready;
    while (later.errors.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      later = collect(hub, b, sub(8));
      await later.ready;
    }
    expect(later.errors).toEqual([]);
    b.dispose();
    other.dispose();
  });

  it('closes a socket sending a frame over WS_MAX_PAYLOAD_BYTES (1009), even before connection_init is accepted', async () => {
    const socket = new WebSocket(hub.wsUrl, 'graphql-transport-ws');
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1_048_576) } }));
    expect(await closed).toBe(1009);
  });
});
