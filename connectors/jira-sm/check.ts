/**
 * `check()`: the token works, the project exists and is visible, and it offers the configured
 * issue type. Never throws: every failure becomes a reason a person can act on, without secrets.
 */
import { type CheckResult, type ConnectorContext, isConnectorError } from '../../src/connector-kit/index.ts';
import * as jira from './client.ts';
import type { JiraSmConfig } from './config.ts';

function reasonFor(err: unknown, config: JiraSmConfig, step: 'myself' | 'project'): string {
  if (!isConnectorError(err)) return 'the Jira check failed unexpectedly';
  switch (err.kind) {
    case 'auth':
      return step === 'myself'
        ? `Jira rejected the API token for ${config.email} (HTTP ${err.status ?? '?'}): create a new token at id.atlassian.com and check the email is the token owner's`
        : `the account ${config.email} may not browse project ${config.projectKey} (HTTP ${err.status ?? '?'}): add it to the project's Service Desk Team role`;
    case 'not_found':
      return step === 'myself'
        ? `${config.siteUrl} does not look like a Jira Cloud site (no /rest/api/3/myself)`
        : `Jira has no project ${config.projectKey}, or ${config.email} cannot see it`;
    case 'unavailable':
    case 'rate_limited':
      return `Jira did not answer at ${config.siteUrl} (${err.kind}${err.status ? `, HTTP ${err.status}` : ''}): try again later`;
    case 'invalid_response':
      return `the answer from ${config.siteUrl} does not look like Jira Cloud REST v3: is siteUrl right?`;
    default:
      return `Jira refused the check (${err.kind}${err.status ? `, HTTP ${err.status}` : ''})`;
  }
}

export async function checkConnection(ctx: ConnectorContext<JiraSmConfig>): Promise<CheckResult> {
  const http = jira.createJiraHttp(ctx);
  const { config } = ctx;
  let me: Awaited<ReturnType<typeof jira.getMyself>>;
  try {
    me = await jira.getMyself(http);
  } catch (err) {
    return { ok: false, reason: reasonFor(err, config, 'myself') };
  }
  try {
    const project = await jira.getProject(http, config.projectKey);
    const types = project.issueTypes.map((t) => t.name);
    if (!types.some((name) => name.toLowerCase() === config.issueType.toLowerCase())) {
      return {
        ok: false,
        reason: `project ${project.key} has no issue type "${config.issueType}" (it has: ${types.join(', ') || 'none'})`,
      };
    }
    if (project.projectTypeKey && project.projectTypeKey !== 'service_desk') {
      return {
        ok: false,
        reason: `project ${project.key} is not a service project: internal notes need JSM`,
      };
    }
    const zone = me.timeZone
      ? `, time zone ${me.timeZone} (the cursor uses epoch ms, so it does not matter)`
      : '';
    return {
      ok: true,
      detail: `signed in as ${me.displayName ?? me.accountId}${zone}, project ${project.key}`,
    };
  } catch (err) {
    return { ok: false, reason: reasonFor(err, config, 'project') };
  }
}
