/**
 * What people do in the simulated Jira UI, by email and status name rather than ids. Changes go
 * through the same store rules as API writes (so they bump `updated` and fire webhooks), and
 * status changes go through the workflow, as a person clicking a transition would.
 */
import { createHash } from 'node:crypto';
import { toAdf } from './adf.ts';
import { correlationLabel } from './jql.ts';
import { SIM_STATUSES, type SimIssue, type SimUser, transitionsFrom } from './sim-model.ts';
import type { SimStore } from './sim-store.ts';

export interface SimIssueSeed {
  summary?: string;
  description?: string;
  priority?: string;
  assigneeEmail?: string | null;
  labels?: string[];
  /** Adds the hub correlation label `hub-<id>`. */
  hubTicketId?: string;
  /** Service project key; default `ITS` (`GLX` is the second customer's desk). */
  projectKey?: string;
  /** Issue type name, e.g. `Incident`; default `Service Request`. */
  issueType?: string;
  /** Who acts; default alice@contoso-it.example, an agent (not the API user). */
  by?: string;
}

export const DEFAULT_ACTOR = 'alice@contoso-it.example';

export function createSimLevers(store: SimStore) {
  const actor = (email = DEFAULT_ACTOR): SimUser => {
    const user = store.userByEmail(email);
    if (!user) throw new Error(`simulator: no Jira user ${email}`);
    return user;
  };
  const issueOf = (idOrKey: string | number): SimIssue => {
    const issue = store.findIssue(String(idOrKey));
    if (!issue) throw new Error(`simulator: no issue ${idOrKey}`);
    return issue;
  };
  const accountOf = (email: string | null | undefined) => (email ? actor(email).accountId : null);
  let seeded = 0;

  function createIssue(input: SimIssueSeed = {}): SimIssue {
    const labels = [
      ...(input.labels ?? []),
      ...(input.hubTicketId ? [correlationLabel(input.hubTicketId)] : []),
    ];
    return store.createIssue(
      {
        summary: input.summary ?? `Seeded request ${++seeded}`,
        description: input.description ? toAdf(input.description) : null,
        priority: input.priority,
        assigneeId: accountOf(input.assigneeEmail),
        labels,
        projectKey: input.projectKey,
        issueType: input.issueType,
      },
      actor(input.by),
    );
  }

  /** Move through the workflow to `statusName`, one transition, as the UI offers it. */
  function setStatus(idOrKey: string | number, statusName: string, by?: string): SimIssue {
    const issue = issueOf(idOrKey);
    const target = SIM_STATUSES.find((s) => s.name.toLowerCase() === statusName.toLowerCase());
    if (!target) throw new Error(`simulator: no status ${statusName}`);
    if (target.id === issue.statusId) return issue;
    const t = transitionsFrom(issue.statusId).find((x) => x.toId === target.id);
    if (!t)
      throw new Error(
        `simulator: the workflow offers no transition from ${store.statusName(issue.statusId)} to ${target.name}`,
      );
    store.transition(issue, t.id, actor(by));
    return issue;
  }

  return {
    createIssue,
    seedIssues: (count: number, prefix = 'Seeded request') =>
      Array.from({ length: count }, (_, i) => createIssue({ summary: `${prefix} ${i + 1}` })),
    issue: (idOrKey: string | number) => store.findIssue(String(idOrKey)),
    rename: (idOrKey: string | number, summary: string, by?: string) =>
      store.updateIssue(issueOf(idOrKey), { summary }, actor(by)),
    setPriority: (idOrKey: string | number, priority: string, by?: string) =>
      store.updateIssue(issueOf(idOrKey), { priority }, actor(by)),
    setStatus,
    assign: (idOrKey: string | number, email: string | null, by?: string) =>
      store.updateIssue(issueOf(idOrKey), { assigneeId: accountOf(email) }, actor(by)),
    /** A public reply (shared with the customer) or an internal note, as an agent. */
    comment(idOrKey: string | number, text: string, opts: { internal: boolean; by?: string }) {
      return store.addComment(issueOf(idOrKey), toAdf(text), !opts.internal, actor(opts.by));
    },
    /** Add (or find) an agent who can hold issues; returns the account. */
    addUser(input: { email: string; name: string; timeZone?: string; assignable?: boolean }): SimUser {
      const existing = store.userByEmail(input.email);
      if (existing) return existing;
      const user: SimUser = {
        accountId: `5b10${createHash('sha1').update(input.email.toLowerCase()).digest('hex').slice(0, 20)}`,
        displayName: input.name,
        email: input.email,
        timeZone: input.timeZone ?? 'UTC',
        accountType: 'atlassian',
        tokens: [],
        assignable: input.assignable ?? true,
      };
      store.users.push(user);
      return user;
    },
    /** Issues whose labels carry `hub-<hubTicketId>`. */
    findByCorrelation: (hubTicketId: string) =>
      [...store.issues.values()].filter((i) => i.labels.includes(correlationLabel(hubTicketId))),
  };
}

export type SimLevers = ReturnType<typeof createSimLevers>;
