/**
 * Turns the connections file's definitions into runtimes (party and engagements resolved,
 * connector context built with the scope keys) and records each connection in the database, so GraphQL and other replicas see it.
 */
import { createConnectorContext } from '../connector-kit/context.ts';
import type { HttpFactory } from '../connector-kit/contract.ts';
import type { Db } from '../db/client.ts';
import { connections, engagements, parties } from '../db/schema/index.ts';
import type { Logger } from '../logger.ts';
import { resolveConnectionScope } from './connection-scope.ts';
import type { ConnectionDefinition } from './connections-file.ts';
import { seedIdentities } from './people.ts';
import type { ConnectionRuntime } from './runtime.ts';
import { scopeKeysOf } from './scope.ts';

/** Every problem at once (an unknown party slug names the known ones), or the runtimes. */
export async function setUpConnections(
  db: Db,
  definitions: ConnectionDefinition[],
  log: Logger,
  http?: HttpFactory,
): Promise<ConnectionRuntime[]> {
  const rows = await db.select().from(parties);
  const allEngagements = await db.select().from(engagements);
  const problems: string[] = [];
  const runtimes: ConnectionRuntime[] = [];
  for (const def of definitions) {
    const party = rows.find((p) => p.slug === def.partySlug);
    if (!party) {
      problems.push(
        `connection ${def.id}: no party "${def.partySlug}" (known: ${rows.map((p) => p.slug).join(', ')})`,
      );
      continue;
    }
    const resolved = resolveConnectionScope(def, party, allEngagements);
    if ('problems' in resolved) {
      problems.push(...resolved.problems);
      continue;
    }
    const { scope } = resolved;
    const ctx = createConnectorContext(def.connector, {
      connectionId: def.id,
      scopeKeys: scopeKeysOf(scope),
      config: def.config,
      mapOverrides: def.mapOverrides,
      log: log.child({ connection: def.id }),
      ...(http ? { http } : {}),
    });
    runtimes.push({
      id: def.id,
      partyId: party.id,
      engagementIds: scope.engagementIds,
      scope,
      def,
      connector: def.connector,
      ctx,
    });
  }
  if (problems.length) throw new Error(`Cannot start the sync engine:\n  - ${problems.join('\n  - ')}`);
  for (const rt of runtimes) {
    const settings = {
      partyId: rt.partyId,
      connector: rt.connector.id,
      name: rt.def.name,
      settings: rt.def.publicSettings,
      engagementId:
        rt.scope.byKey === null || rt.engagementIds.length === 1 ? (rt.engagementIds[0] ?? null) : null,
      engagementMap: rt.scope.byKey ? Object.fromEntries(rt.scope.byKey) : null,
    };
    await db
      .insert(connections)
      .values({ id: rt.id, ...settings })
      .onConflictDoUpdate({ target: connections.id, set: { ...settings, updatedAt: new Date() } });
    await seedIdentities(db, rt);
  }
  return runtimes;
}
