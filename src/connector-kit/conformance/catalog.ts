/**
 * Every conformance check, grouped as the suite runs them. Each group gets a fresh harness, so a
 * backend left odd by one group (a frozen clock, a pending 429) cannot disturb another.
 */

import {
  checkBulkCommentsMatchPerTicket,
  checkHubCommentsKeepVisibility,
  checkVendorCommentsKeepVisibility,
} from './comment-checks.ts';
import {
  checkAuthFailuresAreTyped,
  checkBadCredentialsFailPolitely,
  checkCheckSucceeds,
  checkInvalidConfigsFail,
  checkValidConfigParses,
} from './config-checks.ts';
import { checkManyToOnePriorities, checkManyToOneStatuses } from './mapping-checks.ts';
import { checkFindUserByEmail } from './people-checks.ts';
import { checkBackfillPages, checkIncremental, checkOldestFirst } from './pull-checks.ts';
import {
  checkChangeDuringPull,
  checkNoSkipDuringPull,
  checkSameTimestampAcrossPages,
  checkSameTimestampAtCursor,
} from './pull-race-checks.ts';
import { checkRateLimitRetried } from './rate-limit-checks.ts';
import {
  checkCreateOutsideScopeRefused,
  checkCreateUnderScopeKey,
  checkGetTicketScopeKey,
  checkScopedPull,
} from './scope-checks.ts';
import type { Check } from './support.ts';
import { checkDescriptionRoundTrip, checkQueueMove } from './updatable-checks.ts';
import {
  checkWebhookMissingHeaders,
  checkWebhookStale,
  checkWebhookTampered,
  checkWebhookValid,
} from './webhook-checks.ts';
import {
  checkAssigneeRoundTrip,
  checkCreateIdempotent,
  checkCreateLinksExisting,
  checkGetReturnsCreated,
  checkGetUnknownIsNull,
  checkPriorityRoundTrip,
  checkStatusRoundTrip,
  checkTitleRoundTrip,
} from './write-checks.ts';

export interface CheckDefinition {
  /** Reads as a sentence after the connector's name in the test report. */
  name: string;
  run: Check;
}

export interface CheckGroup {
  title: string;
  checks: CheckDefinition[];
}

export const CONFORMANCE_GROUPS: CheckGroup[] = [
  {
    title: 'config and credentials',
    checks: [
      { name: 'accepts harness.validConfig', run: checkValidConfigParses },
      { name: 'refuses each of harness.invalidConfigs, naming a field', run: checkInvalidConfigsFail },
      { name: 'check() is ok with valid credentials', run: checkCheckSucceeds },
      {
        name: 'check() returns ok:false with a reason (no secrets) for bad credentials',
        run: checkBadCredentialsFailPolitely,
      },
      { name: "bad credentials surface as ConnectorError('auth')", run: checkAuthFailuresAreTyped },
    ],
  },
  {
    title: 'pulling tickets',
    checks: [
      {
        name: 'backfill: pullTickets(null) pages through every ticket with a cursor per page',
        run: checkBackfillPages,
      },
      { name: 'backfill: pages come oldest first', run: checkOldestFirst },
      {
        name: 'incremental: a pull from the last cursor returns changed tickets and few others',
        run: checkIncremental,
      },
      {
        name: 'same timestamp: a page boundary among tickets sharing a time loses none',
        run: checkSameTimestampAcrossPages,
      },
      {
        name: "same timestamp: tickets written at the cursor's own time are not missed",
        run: checkSameTimestampAtCursor,
      },
      {
        name: 'during a pull: a change and a new ticket are picked up by the next pull',
        run: checkChangeDuringPull,
      },
      {
        name: 'during a pull: a change does not make the pull skip other tickets',
        run: checkNoSkipDuringPull,
      },
    ],
  },
  {
    title: 'writing tickets',
    checks: [
      { name: 'createTicket is idempotent for one hubTicketId', run: checkCreateIdempotent },
      {
        name: 'createTicket links a vendor ticket already carrying the hubTicketId',
        run: checkCreateLinksExisting,
      },
      { name: 'getTicket of an unknown id is null', run: checkGetUnknownIsNull },
      { name: 'getTicket returns the ticket createTicket made', run: checkGetReturnsCreated },
      { name: 'round trip: every status written is read back', run: checkStatusRoundTrip },
      { name: 'round trip: every priority written is read back', run: checkPriorityRoundTrip },
      { name: 'round trip: assignee set to each person, then cleared', run: checkAssigneeRoundTrip },
      { name: 'round trip: title', run: checkTitleRoundTrip },
      {
        name: 'round trip: description, when declared updatable (never sent otherwise)',
        run: checkDescriptionRoundTrip,
      },
      {
        name: 'queue move: to another board or queue, keeping the status, when declared updatable',
        run: checkQueueMove,
      },
      {
        name: 'findUserByEmail (when present) finds the assignee an e-mail belongs to, in any case',
        run: checkFindUserByEmail,
      },
    ],
  },
  {
    title: 'lossy maps',
    checks: [
      {
        name: 'many-to-one statuses read back as a status the map writes the same way',
        run: checkManyToOneStatuses,
      },
      {
        name: 'many-to-one priorities read back as a priority the map writes the same way',
        run: checkManyToOnePriorities,
      },
    ],
  },
  {
    title: 'connection scope (customers)',
    checks: [
      {
        name: 'a pull scoped to customer A returns A and nothing of B (or B marked as B)',
        run: checkScopedPull,
      },
      { name: 'getTicket gives each ticket its customer as scopeKey', run: checkGetTicketScopeKey },
      { name: 'createTicket lands under draft.scopeKey', run: checkCreateUnderScopeKey },
      {
        name: 'createTicket outside the scope is refused, non-retryable, nothing written',
        run: checkCreateOutsideScopeRefused,
      },
    ],
  },
  {
    title: 'comments',
    checks: [
      {
        name: 'hub comments keep their visibility and come back fromHub',
        run: checkHubCommentsKeepVisibility,
      },
      {
        name: 'vendor comments keep their visibility and are not fromHub',
        run: checkVendorCommentsKeepVisibility,
      },
      {
        name: 'listCommentsBulk (when present) gives what listComments gives per ticket',
        run: checkBulkCommentsMatchPerTicket,
      },
    ],
  },
  {
    title: 'webhooks',
    checks: [
      { name: 'a signed webhook verifies and parses into a hint for its ticket', run: checkWebhookValid },
      { name: 'a tampered body is invalid', run: checkWebhookTampered },
      { name: 'a request without signature headers is missing_headers', run: checkWebhookMissingHeaders },
      { name: 'a webhook sent an hour ago is stale', run: checkWebhookStale },
    ],
  },
  {
    title: 'rate limits',
    checks: [{ name: '429 with Retry-After is retried until the call succeeds', run: checkRateLimitRetried }],
  },
];
