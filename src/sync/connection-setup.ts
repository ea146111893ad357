/**
 * Turns the connections file's definitions into runtimes (party resolved, connector context
 * built) and records each connection in the database, so GraphQL and other replicas see it.
 */
import { createConnectorContext } from '../connector-kit/context.ts';
import type { HttpFactory } from '../connector-kit/contract.ts';
import type { Db } from '../db/client.ts';
import { connections, parties } from '../db/schema/index.ts';
import type { Logger } from '../logger.ts';
import type { ConnectionDefinition } from './connections-file.ts';
import { seedIdentities } from './people.ts';
import type { ConnectionRuntime } from './runtime.ts';

/** Every problem at once (an unknown party slug names the known ones), or the runtimes. */
export async function setUpConnections(
  db: Db,
  definitions: ConnectionDefinition[],
  log: Logger,
  http?: HttpFactory,
): Promise<ConnectionRuntime[]> {
  const rows = await db.select().from(parties);
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
    const ctx = createConnectorContext(def.connector, {
      connectionId: def.id,
      config: def.config,
      mapOverrides: def.mapOverrides,
      log: log.child({ connection: def.id }),
      ...(http ? { http } : {}),
    });
    runtimes.push({ id: def.id, partyId: party.id, def, connector: def.connector, ctx });
  }
  if (problems.length) throw new Error(`Cannot start the sync engine:\n  - ${problems.join('\n  - ')}`);
  for (const rt of runtimes) {
    const settings = {
      partyId: rt.partyId,
      connector: rt.connector.id,
      name: rt.def.name,
      settings: rt.def.publicSettings,
    };
    await db
      .insert(connections)
      .values({ id: rt.id, ...settings })
      .onConflictDoUpdate({ target: connections.id, set: { ...settings, updatedAt: new Date() } });
    await seedIdentities(db, rt);
  }
  return runtimes;
}
