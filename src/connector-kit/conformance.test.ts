/**
 * The suite run against the in-memory reference connector (every check must pass, none skipped),
 * and against deliberately broken variants (the relevant check must fail), which proves the
 * suite is not vacuous.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkBulkCommentsMatchPerTicket } from './conformance/comment-checks.ts';
import {
  checkNoSkipDuringPull,
  checkSameTimestampAcrossPages,
  checkSameTimestampAtCursor,
} from './conformance/pull-race-checks.ts';
import {
  checkCreateOutsideScopeRefused,
  checkCreateUnderScopeKey,
  checkScopedPull,
} from './conformance/scope-checks.ts';
import {
  type CheckTarget,
  ConformanceFailure,
  ConformanceSkip,
  createCheckTarget,
} from './conformance/support.ts';
import { checkWebhookTampered } from './conformance/webhook-checks.ts';
import { checkCreateIdempotent } from './conformance/write-checks.ts';
import { runConformanceSuite } from './conformance.ts';
import type { ConnectorHarness } from './harness.ts';
import { createMemoryConnector, type MemoryConfig, type MemoryVariant } from './testing/memory-connector.ts';
import { createMemoryHarness } from './testing/memory-harness.ts';

runConformanceSuite('memory', createMemoryConnector(), createMemoryHarness);

describe('the conformance suite catches broken connectors', () => {
  const open: ConnectorHarness<MemoryConfig>[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });

  async function target(variant: MemoryVariant): Promise<CheckTarget<MemoryConfig>> {
    const harness = await createMemoryHarness();
    open.push(harness);
    return createCheckTarget(createMemoryConnector(variant), harness);
  }

  async function failureOf(run: Promise<void>): Promise<string> {
    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConformanceFailure);
    return (err as Error).message;
  }

  it('an exclusive cursor (updated > cursor) fails the same-timestamp check', async () => {
    const message = await failureOf(checkSameTimestampAtCursor(await target({ exclusiveCursor: true })));
    expect(message).toMatch(/written at the cursor's own time .* were missed/);
    expect(message).toContain('inclusive');
  });

  it('starting each page at "updated > last seen" fails the page-boundary check', async () => {
    const message = await failureOf(
      checkSameTimestampAcrossPages(await target({ timestampOnlyPaging: true })),
    );
    expect(message).toMatch(
      /tickets sharing one update time .* were missed when a page boundary fell among them/,
    );
  });

  it('offset paging over a last-updated sort fails the mid-pull skip check', async () => {
    const message = await failureOf(checkNoSkipDuringPull(await target({ offsetPaging: true })));
    expect(message).toContain('made the pull skip');
  });

  it('a createTicket that does not search the correlation key fails the idempotency check', async () => {
    const message = await failureOf(checkCreateIdempotent(await target({ forgetCorrelation: true })));
    expect(message).toMatch(/created \d+ and then \d+/);
  });

  it('a webhook check that ignores the signature fails the tampered-body check', async () => {
    const message = await failureOf(checkWebhookTampered(await target({ acceptAnySignature: true })));
    expect(message).toContain("returned 'valid' for a body changed after signing");
  });

  it('a bulk comment read in another order than listComments fails the bulk check', async () => {
    const message = await failureOf(checkBulkCommentsMatchPerTicket(await target({ bulkNewestFirst: true })));
    expect(message).toContain('listCommentsBulk differs from listComments for a ticket with three comments');
  });

  it('a pull that ignores ctx.scopeKeys fails the scoped-pull check', async () => {
    const message = await failureOf(checkScopedPull(await target({ ignoreScope: true })));
    expect(message).toMatch(/a pull scoped to "acme" returned tickets .* of customer "globex"/);
  });

  it('a pull without a server-side filter passes only when it says so and marks every record', async () => {
    const t = await target({ ignoreScope: true });
    const declared = {
      ...t,
      harness: { ...t.harness, scope: { ...t.harness.scope!, pullFilter: { notServerSide: 'test' } } },
    };
    await checkScopedPull(declared);
  });

  it('a create that ignores draft.scopeKey fails the scope create checks', async () => {
    const underKey = await failureOf(checkCreateUnderScopeKey(await target({ ignoreDraftScope: true })));
    expect(underKey).toContain('with draft.scopeKey "globex" returned scopeKey "acme"');
    const outside = await failureOf(checkCreateOutsideScopeRefused(await target({ ignoreDraftScope: true })));
    expect(outside).toContain('on a connection scoped to "acme" succeeded');
  });

  it('a harness without customers skips the scope checks with a reason', async () => {
    const t = await target({});
    const { scope: _, ...noScope } = t.harness;
    await expect(checkScopedPull({ ...t, harness: noScope })).rejects.toBeInstanceOf(ConformanceSkip);
  });

  it('without listCommentsBulk the bulk check skips with a reason', async () => {
    const t = await target({});
    const { listCommentsBulk: _, ...perTicketOnly } = t.connector;
    await expect(checkBulkCommentsMatchPerTicket({ ...t, connector: perTicketOnly })).rejects.toBeInstanceOf(
      ConformanceSkip,
    );
  });

  it('the same checks pass for the correct connector, so the failures above are the bugs', async () => {
    const good = await target({});
    await checkSameTimestampAtCursor(good);
    await checkSameTimestampAcrossPages(good);
    await checkNoSkipDuringPull(good);
    await checkCreateIdempotent(good);
    await checkWebhookTampered(good);
    await checkBulkCommentsMatchPerTicket(good);
    await checkScopedPull(good);
    await checkCreateUnderScopeKey(good);
    await checkCreateOutsideScopeRefused(good);
  });

  it('a check that needs a missing lever skips with a reason instead of passing', async () => {
    const t = await target({});
    const noClock = { ...t, clock: { controllable: false, advance: () => undefined } };
    await expect(checkSameTimestampAtCursor(noClock)).rejects.toBeInstanceOf(ConformanceSkip);
  });
});
