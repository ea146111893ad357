/** The vendor's 429 is absorbed by the kit's HTTP client; a connector that bypasses it fails here. */
import { type CheckTarget, call, ensure, seed, skip, uniqueTag } from './support.ts';

export async function checkRateLimitRetried<C>(t: CheckTarget<C>): Promise<void> {
  const inject = t.harness.injectRateLimit?.bind(t.harness);
  if (!t.harness.capabilities.rateLimitInjection || !inject) {
    skip('the harness cannot inject 429 responses (capabilities.rateLimitInjection and injectRateLimit)');
  }
  const [ticketId] = await seed(t, 1, `rate-limit ${uniqueTag()}`);
  const before = t.harness.requestCount?.();
  inject(2, 1);
  const record = await call(
    'getTicket while the vendor answers 429 twice with Retry-After: 1',
    () => t.connector.getTicket(t.ctx, ticketId!),
    'build the vendor client with ctx.http, which retries 429 after Retry-After',
  );
  ensure(
    record?.externalId === ticketId,
    `getTicket("${ticketId}") returned ${record?.externalId ?? 'null'} after the 429s`,
  );
  if (before === undefined) return;
  const made = (t.harness.requestCount?.() ?? 0) - before;
  ensure(
    made >= 3,
    `the backend saw ${made} request(s) for one getTicket after two 429s; expected at least 3`,
  );
}
