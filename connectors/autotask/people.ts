/**
 * Resources as people: emails for assignees, and the tolerant loader pulls and reads use (a
 * missing permission to list resources costs the emails, not the sync).
 */
import type { ConnectorContext } from '../../src/connector-kit/index.ts';
import { isConnectorError } from '../../src/connector-kit/index.ts';
import type { AtResource } from './api-types.ts';
import type { AutotaskConfig } from './config.ts';
import { loadResources } from './lookups.ts';
import type { AtApi } from './session.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

export async function loadResourcesSoftly(ctx: Ctx, api: AtApi): Promise<ReadonlyMap<number, AtResource>> {
  try {
    return await loadResources(ctx, api);
  } catch (err) {
    // Bad credentials (401) and an unhealthy Autotask fail the call as they would anyway.
    const permanent =
      isConnectorError(err) &&
      (err.status === 403 || err.kind === 'not_found' || err.kind === 'invalid_response');
    if (!permanent) throw err;
    ctx.log.warn(
      { connectionId: ctx.connectionId, kind: err.kind, status: err.status },
      'cannot list Autotask resources; assignee emails left out',
    );
    return new Map();
  }
}

/** The resource holding this email, refreshing the cache once when it is not known. */
export async function resourceByEmail(ctx: Ctx, api: AtApi, email: string): Promise<AtResource | undefined> {
  const wanted = email.toLowerCase();
  const find = (m: ReadonlyMap<number, AtResource>) =>
    [...m.values()].find((r) => r.email?.toLowerCase() === wanted);
  return find(await loadResources(ctx, api)) ?? find(await loadResources(ctx, api, true));
}
