/**
 * Shared plumbing for the conformance checks: the target a check runs against, failures that say
 * what to fix, a forward-only suite clock, and a pull collector that validates every record.
 *
 * Checks throw `ConformanceFailure` rather than calling vitest's `expect`, so they can be called
 * directly (the kit's own tests prove the suite catches broken connectors that way).
 */
import { randomUUID } from 'node:crypto';
import { createConnectorContext } from '../context.ts';
import type { Connector, ConnectorContext, Page } from '../contract.ts';
import type { ConnectorHarness } from '../harness.ts';
import { formatIssuePath } from '../http.ts';
import { type TicketDraft, type TicketRecord, TicketRecordSchema } from '../records.ts';

export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

export function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

/** Thrown by a check that cannot run against this backend (a missing lever); the reason is printed. */
export class ConformanceSkip extends Error {
  override readonly name = 'ConformanceSkip';
}

export function skip(reason: string): never {
  throw new ConformanceSkip(reason);
}

export interface CheckTarget<C> {
  connector: Connector<C>;
  harness: ConnectorHarness<C>;
  /** A context over `harness.validConfig`, as the engine would build it. */
  ctx: ConnectorContext<C>;
  clock: SuiteClock;
  /** Print a remark that is not a failure (e.g. a weaker assertion because a lever is missing). */
  note(message: string): void;
}

/** A check passes by returning, fails with `ConformanceFailure`, or is skipped with `ConformanceSkip`. */
export type Check = <C>(t: CheckTarget<C>) => Promise<void>;

export function createCheckTarget<C>(
  connector: Connector<C>,
  harness: ConnectorHarness<C>,
  note: (message: string) => void = () => {},
): CheckTarget<C> {
  return {
    connector,
    harness,
    ctx: contextFor(connector, harness.validConfig),
    clock: createSuiteClock(harness),
    note,
  };
}

export function contextFor<C>(connector: Connector<C>, config: C): ConnectorContext<C> {
  return createConnectorContext(connector, { connectionId: `conformance-${connector.id}`, config });
}

/**
 * Moves the backend clock forward in whole-hour steps from whole minutes (Jira and ServiceNow keep
 * minutes or seconds, so finer times would blur in their sort order). Never moves backwards,
 * because records already in the backend would then look newer than new ones.
 */
export interface SuiteClock {
  readonly controllable: boolean;
  /** Sets the backend clock one hour past the last setting and returns it; undefined when not controllable. */
  advance(): Date | undefined;
}

function createSuiteClock<C>(harness: ConnectorHarness<C>): SuiteClock {
  const controllable = harness.capabilities.controllableClock && typeof harness.setClock === 'function';
  let current = Math.ceil(Date.now() / 60_000) * 60_000 + 24 * 3_600_000;
  return {
    controllable,
    advance() {
      if (!controllable) return undefined;
      current += 3_600_000;
      const at = new Date(current);
      harness.setClock?.(at);
      return at;
    },
  };
}

export function pageSizeOf<C>(harness: ConnectorHarness<C>): number {
  return harness.pageSize ?? 5;
}

export function uniqueTag(): string {
  return randomUUID().slice(0, 8);
}

export function draftFor<C>(
  t: CheckTarget<C>,
  title: string,
  hubTicketId: string = randomUUID(),
): TicketDraft {
  const statuses = t.harness.roundTrip?.statuses;
  const priorities = t.harness.roundTrip?.priorities;
  return {
    description: 'Created by the connector conformance suite.',
    status: statuses && !statuses.includes('NEW') && statuses[0] ? statuses[0] : 'NEW',
    priority: priorities && !priorities.includes('MEDIUM') && priorities[0] ? priorities[0] : 'MEDIUM',
    assigneeExternalId: null,
    requesterEmail: null,
    ...t.harness.draftDefaults,
    hubTicketId,
    title,
  };
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const kind = (err as { kind?: unknown }).kind;
    return `${err.name}${typeof kind === 'string' ? `(${kind})` : ''}: ${err.message}`;
  }
  return String(err);
}

/** Runs a connector call; if it throws, the failure names the call instead of a bare stack. */
export async function call<T>(what: string, fn: () => Promise<T>, hint = ''): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ConformanceFailure || err instanceof ConformanceSkip) throw err;
    fail(`${what} threw ${describeError(err)}${hint ? `. ${hint}` : ''}`);
  }
}

export interface PullResult {
  pages: Page<TicketRecord>[];
  records: TicketRecord[];
  /** The last non-null page cursor: where the engine would resume. */
  lastCursor: string | null;
  /** Each id's last occurrence, i.e. what the engine would hold after applying the pull. */
  latest: Map<string, TicketRecord>;
}

const MAX_PAGES = 500;

export async function collectPull<C>(t: CheckTarget<C>, cursor: string | null): Promise<PullResult> {
  const what = `pullTickets(${cursor === null ? 'null' : 'cursor'})`;
  const pages: Page<TicketRecord>[] = [];
  const records: TicketRecord[] = [];
  const latest = new Map<string, TicketRecord>();
  let lastCursor: string | null = null;
  await call(what, async () => {
    for await (const page of t.connector.pullTickets(t.ctx, cursor)) {
      pages.push(page);
      ensure(
        pages.length <= MAX_PAGES,
        `${what} did not finish after ${MAX_PAGES} pages: make sure each page's query advances (next page link, offset or keyset) and the loop ends on a short or empty page`,
      );
      for (const record of page.records) {
        assertTicketRecord(record, what);
        records.push(record);
        latest.set(record.externalId, record);
      }
      if (page.cursor !== null) lastCursor = page.cursor;
    }
  });
  return { pages, records, lastCursor, latest };
}

export function assertTicketRecord(record: unknown, what: string): asserts record is TicketRecord {
  const result = TicketRecordSchema.safeParse(record);
  if (result.success) return;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? formatIssuePath(issue.path) : '(record)';
  const id = (record as { externalId?: unknown } | null)?.externalId;
  fail(
    `${what} returned a ticket (externalId ${String(id)}) that is not a valid TicketRecord at ${field}: ${issue?.message}. Fix the vendor -> canonical mapping (dates must be Date objects, status and priority canonical values).`,
  );
}

export function listSome(ids: string[], max = 5): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

/** Seeds through the harness; a harness failure is reported as one, not as a connector bug. */
export async function seed<C>(t: CheckTarget<C>, count: number, titlePrefix: string): Promise<string[]> {
  const ids = await call(`harness.seedTickets(${count})`, () =>
    t.harness.seedTickets(count, { titlePrefix }),
  );
  ensure(ids.length === count, `harness.seedTickets(${count}) returned ${ids.length} ids`);
  return ids;
}

export function missingFrom(ids: string[], ...pulls: PullResult[]): string[] {
  return ids.filter((id) => !pulls.some((pull) => pull.latest.has(id)));
}
