/**
 * The agent directory: tickets name their assignee only by `responder_id`, and the hub matches
 * people across tools by email, so the agents are listed once and reused for a few minutes per
 * connection. An id missing from the cache (a new agent) reloads it, at most every 30 seconds.
 */
import type { AxiosInstance } from 'axios';
import type { ConnectorContext } from '../../src/connector-kit/index.ts';
import type { FsAgent } from './api-types.ts';
import { listAgents } from './client.ts';
import type { FreshserviceConfig } from './config.ts';

const TTL_MS = 5 * 60_000;
const RELOAD_AFTER_MS = 30_000;
const MAX_PAGES = 50;
const cache = new Map<string, { agents: Map<number, FsAgent>; loadedAt: number }>();

async function load(http: AxiosInstance): Promise<Map<number, FsAgent>> {
  const agents = new Map<number, FsAgent>();
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const result = await listAgents(http, page);
    for (const agent of result.agents) agents.set(agent.id, agent);
    if (!result.next || result.agents.length === 0) break;
  }
  return agents;
}

export async function agentDirectory(
  ctx: ConnectorContext<FreshserviceConfig>,
  http: AxiosInstance,
  needed: Array<number | null | undefined> = [],
): Promise<Map<number, FsAgent>> {
  const key = `${ctx.connectionId}\n${ctx.config.baseUrl}`;
  const now = Date.now();
  const cached = cache.get(key);
  const missing = needed.some((id) => id != null && !cached?.agents.has(id));
  const fresh = cached && now - cached.loadedAt < TTL_MS;
  if (cached && fresh && (!missing || now - cached.loadedAt < RELOAD_AFTER_MS)) return cached.agents;
  const agents = await load(http);
  cache.set(key, { agents, loadedAt: now });
  return agents;
}
