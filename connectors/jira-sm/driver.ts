/**
 * The end-to-end pair matrix's view of Jira Service Management: an agent working in the simulated
 * Jira (create, assign by email, transition, comment), never through the connector under test.
 */
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import { adfToText } from './adf.ts';
import { CANONICAL_TO_JIRA_STATUS, jiraDefaultMappings, toCanonicalStatus } from './mapping.ts';
import { SIM_STATUSES } from './sim-model.ts';
import { createJiraSimulator } from './simulator.ts';

const WEBHOOK_SECRET = 'whsec-jira-driver-0001';

export async function createJiraSmDriver(): Promise<VendorDriver> {
  const sim = await createJiraSimulator();
  const config = sim.connectorConfig({ webhookSecret: WEBHOOK_SECRET });
  const issueOf = (id: string) => {
    const issue = sim.issue(id);
    if (!issue) throw new Error(`jira driver: no issue ${id}`);
    return issue;
  };
  const statusOf = (statusId: string) => {
    const s = SIM_STATUSES.find((x) => x.id === statusId)!;
    return { name: s.name, statusCategory: { key: s.category } };
  };

  return {
    connector: 'jira-sm',
    settings: {
      siteUrl: config.siteUrl,
      email: config.email,
      projectKey: config.projectKey,
      issueType: config.issueType,
      pageSize: config.pageSize,
      overlapSeconds: config.overlapSeconds,
    },
    secrets: { apiToken: config.apiToken, webhookSecret: WEBHOOK_SECRET },
    async connectWebhook(hubWebhookUrl) {
      sim.registerWebhook({ url: hubWebhookUrl, secret: WEBHOOK_SECRET, jql: `project = ${sim.projectKey}` });
    },
    flushWebhooks: () => sim.flushWebhooks(),
    async ensureUser(user) {
      return sim.addUser({ email: user.email, name: user.name }).accountId;
    },
    async createTicket(input) {
      const issue = sim.createIssue({
        summary: input.title,
        ...(input.description ? { description: input.description } : {}),
        ...(input.assigneeEmail ? { assigneeEmail: input.assigneeEmail } : {}),
      });
      return String(issue.id);
    },
    async setStatus(externalId, status) {
      const target = CANONICAL_TO_JIRA_STATUS[status];
      // Closed only offers "Reopen": an agent reopens first, then moves on.
      if (issueOf(externalId).statusId === '6' && target !== 'Closed' && target !== 'Open')
        sim.setStatus(externalId, 'Open');
      sim.setStatus(externalId, target);
    },
    async assign(externalId, email) {
      sim.assign(externalId, email);
    },
    async addComment(externalId, body, visibility) {
      sim.comment(externalId, body, { internal: visibility === 'INTERNAL' });
    },
    async read(externalId) {
      const issue = issueOf(externalId);
      return {
        title: issue.summary,
        status: toCanonicalStatus(statusOf(issue.statusId), jiraDefaultMappings),
        assigneeEmail: sim.store.userById(issue.assigneeId)?.email ?? null,
      };
    },
    async comments(externalId) {
      return (sim.store.comments.get(issueOf(externalId).id) ?? []).map((c) => ({
        body: adfToText(c.body),
        visibility: c.isPublic ? 'PUBLIC' : 'INTERNAL',
      }));
    },
    async findByCorrelation(hubTicketId) {
      return sim.findByCorrelation(hubTicketId).map((i) => String(i.id));
    },
    apiWriteCount: () => sim.totalWrites(),
    close: () => sim.close(),
  };
}
