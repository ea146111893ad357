/**
 * Agents, cached per connection: tickets carry only `agent_id`, and the hub matches people by
 * e-mail. A short TTL keeps a renamed or new agent from staying unknown for long; a ticket naming
 * an agent the cache lacks triggers one early reload.
 */
import type { ConnectorContext } from '../../src/connector-kit/index.ts';
import type { HaloAgent } from './api-types.ts';
import { listAgents } from './client.ts';
import type { HaloConfig } from './config.ts';

type Ctx = ConnectorContext<HaloConfig>;

const AGENT_TTL_MS = 5 * 60_000;
const RELOAD_AFTER_MS = 15_000;
const MAX_CONNECTIONS = 64;

const agentCache = new Map<string, { agents: Map<number, HaloAgent>; loadedAt: number }>();

function keyOf(ctx: Ctx): string {
  return `${ctx.connectionId}\n${ctx.config.baseUrl}\n${ctx.config.clientId}`;
}

/** Agents by id. `wanted` names ids the caller needs: a miss reloads once the cache is 15 s old. */
export async function loadAgents(ctx: Ctx, wanted: number[] = []): Promise<ReadonlyMap<number, HaloAgent>> {
  const key = keyOf(ctx);
  const now = ctx.now().getTime();
  const cached = agentCache.get(key);
  const age = cached ? now - cached.loadedAt : Number.POSITIVE_INFINITY;
  const missing = cached ? wanted.some((id) => !cached.agents.has(id)) : true;
  if (cached && age < AGENT_TTL_MS && !(missing && age >= RELOAD_AFTER_MS)) return cached.agents;
  const agents = new Map((await listAgents(ctx)).map((agent) => [agent.id, agent] as const));
  if (agentCache.size >= MAX_CONNECTIONS && !agentCache.has(key)) {
    agentCache.delete(agentCache.keys().next().value as string);
  }
  agentCache.set(key, { agents, loadedAt: now });
  return agents;
}
