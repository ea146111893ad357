/** The CLI's service area, matrix and routing commands: the same domain calls as the GraphQL admin mutations. */
import { eq } from 'drizzle-orm';
import { TICKET_PRIORITIES, type TicketPriority } from './connector-kit/records.ts';
import type { Db } from './db/client.ts';
import { connectionAreaMaps, engagements, parties } from './db/schema/index.ts';
import {
  createServiceArea,
  deleteRoutingRule,
  listServiceAreas,
  saveRoutingRule,
  setBusinessHours,
  setConnectionAreaMap,
} from './domain/routing/admin.ts';
import type { AreaMap } from './domain/routing/area-map.ts';
import { loadMatrix } from './domain/routing/matrix.ts';
import { conditionText, rangeText } from './domain/routing/rules.ts';
import { previewRoute, toRoutingRule } from './domain/routing/store.ts';

export const ROUTING_USAGE = `
  area list --engagement <slug>
  area create --engagement <slug> --key <key> --name <name>
  area-map set --connection <id> --engagement <slug> [--queues "Board=area,..."] [--categories "Type=area,..."] [--known-queues "A,B"]
  area-map show --connection <id>
  rule add --engagement <slug> --area <key> --responsible <party> [--accountable <party>]
           [--consulted a,b] [--informed a,b] [--category <c>] [--priorities HIGH,CRITICAL]
           [--hours in|out] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--precedence <n>] [--note <text>]
  rule delete --engagement <slug> --id <rule-id>
  matrix --engagement <slug> [--at <ISO date-time>]      who is responsible now, what changes next, gaps
  route preview --engagement <slug> --area <key> [--category <c>] [--priority <p>] [--at <ISO date-time>]
  hours set --engagement <slug> --time-zone <tz> --days 1,2,3,4,5 --start 08:00 --end 18:00`;

export const ROUTING_OPTIONS = {
  engagement: { type: 'string' },
  key: { type: 'string' },
  area: { type: 'string' },
  connection: { type: 'string' },
  queues: { type: 'string' },
  categories: { type: 'string' },
  'known-queues': { type: 'string' },
  responsible: { type: 'string' },
  accountable: { type: 'string' },
  consulted: { type: 'string' },
  informed: { type: 'string' },
  category: { type: 'string' },
  priorities: { type: 'string' },
  priority: { type: 'string' },
  hours: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  precedence: { type: 'string' },
  note: { type: 'string' },
  at: { type: 'string' },
  'time-zone': { type: 'string' },
  days: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
} as const;

type Flags = Record<string, string | undefined>;

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
const pairs = (v: string | undefined) =>
  v
    ? Object.fromEntries(list(v)!.map((p) => p.split('=').map((s) => s.trim()) as [string, string]))
    : undefined;

async function engagementOf(db: Db, flags: Flags, need: (v: string | undefined, f: string) => string) {
  const slug = need(flags.engagement, 'engagement');
  const [row] = await db.select().from(engagements).where(eq(engagements.slug, slug));
  if (!row) throw new Error(`no engagement "${slug}" (see \`engagement list\`)`);
  return row;
}

/** Runs a routing command; false when the command is not one of these. */
export async function runRouting(
  db: Db,
  command: string[],
  flags: Flags,
  need: (v: string | undefined, f: string) => string,
  out: (line: string) => void,
): Promise<boolean> {
  const slugOf = async (id: string) =>
    (await db.select().from(parties).where(eq(parties.id, id)))[0]?.slug ?? id;
  switch (command.join(' ')) {
    case 'area list':
      for (const a of await listServiceAreas(db, (await engagementOf(db, flags, need)).id))
        out(`${a.key}\t${a.name}`);
      return true;
    case 'area create': {
      const a = await createServiceArea(db, await engagementOf(db, flags, need), {
        key: need(flags.key, 'key'),
        name: need(flags.name, 'name'),
      });
      out(`created service area ${a.key}`);
      return true;
    }
    case 'area-map set': {
      const engagement = await engagementOf(db, flags, need);
      const areas = new Set((await listServiceAreas(db, engagement.id)).map((a) => a.key));
      const map: AreaMap = {
        queues: pairs(flags.queues),
        categories: pairs(flags.categories),
        knownQueues: list(flags['known-queues']),
      };
      await setConnectionAreaMap(
        db,
        need(flags.connection, 'connection'),
        JSON.parse(JSON.stringify(map)),
        areas,
      );
      out(`area map of ${flags.connection} set`);
      return true;
    }
    case 'area-map show': {
      const [row] = await db
        .select()
        .from(connectionAreaMaps)
        .where(eq(connectionAreaMaps.connectionId, need(flags.connection, 'connection')));
      out(JSON.stringify(row?.areaMap ?? null, null, 2));
      return true;
    }
    case 'rule add': {
      const priorities = list(flags.priorities)?.map((p) => p.toUpperCase());
      const bad = priorities?.find((p) => !TICKET_PRIORITIES.includes(p as TicketPriority));
      if (bad) throw new Error(`--priorities: "${bad}" is not one of ${TICKET_PRIORITIES.join(', ')}`);
      const hours = flags.hours?.toUpperCase();
      if (hours && hours !== 'IN' && hours !== 'OUT') throw new Error('--hours must be in or out');
      const { rule, gaps } = await saveRoutingRule(db, await engagementOf(db, flags, need), {
        serviceArea: need(flags.area, 'area'),
        category: flags.category ?? null,
        priorities: (priorities as TicketPriority[] | undefined) ?? null,
        businessHours: (hours as 'IN' | 'OUT' | undefined) ?? null,
        responsibleParty: need(flags.responsible, 'responsible'),
        accountableParty: flags.accountable ?? null,
        consultedParties: list(flags.consulted) ?? null,
        informedParties: list(flags.informed) ?? null,
        effectiveFrom: flags.from ?? null,
        effectiveTo: flags.to ?? null,
        precedence: flags.precedence ? Number(flags.precedence) : null,
        note: flags.note ?? null,
      });
      out(`added rule ${rule?.id}`);
      for (const g of gaps)
        out(`gap: ${g.serviceArea} ${rangeText({ effectiveFrom: g.from, effectiveTo: g.to })}: ${g.tickets}`);
      return true;
    }
    case 'rule delete': {
      const { gaps } = await deleteRoutingRule(db, await engagementOf(db, flags, need), need(flags.id, 'id'));
      out(`deleted rule ${flags.id}`);
      for (const g of gaps)
        out(`gap: ${g.serviceArea} ${rangeText({ effectiveFrom: g.from, effectiveTo: g.to })}: ${g.tickets}`);
      return true;
    }
    case 'matrix': {
      const engagement = await engagementOf(db, flags, need);
      const m = await loadMatrix(db, engagement, flags.at ? new Date(flags.at) : new Date());
      out(`responsibility matrix of ${engagement.slug} on ${m.today}`);
      for (const row of m.areas) {
        out(`${row.area.key} (${row.area.name})`);
        for (const r of row.now)
          out(
            `  now: ${await slugOf(r.responsiblePartyId)} responsible, ${await slugOf(r.accountablePartyId)} accountable${conditionText(toRoutingRule(r))} [${r.id}]`,
          );
        if (row.nextChangeOn) {
          out(`  from ${row.nextChangeOn}:`);
          for (const r of row.next)
            out(`    ${await slugOf(r.responsiblePartyId)} responsible${conditionText(toRoutingRule(r))}`);
        }
      }
      for (const g of m.gaps)
        out(`gap: ${g.serviceArea} ${rangeText({ effectiveFrom: g.from, effectiveTo: g.to })}: ${g.tickets}`);
      return true;
    }
    case 'route preview': {
      const engagement = await engagementOf(db, flags, need);
      const priority = (flags.priority?.toUpperCase() ?? 'MEDIUM') as TicketPriority;
      const p = await previewRoute(
        db,
        {
          engagementId: engagement.id,
          serviceArea: need(flags.area, 'area'),
          category: flags.category ?? null,
          priority,
        },
        flags.at ? new Date(flags.at) : new Date(),
      );
      out(p.rule ? `${await slugOf(p.rule.responsiblePartyId)}: ${p.explanation}` : p.explanation);
      return true;
    }
    case 'hours set': {
      const hours = await setBusinessHours(db, await engagementOf(db, flags, need), {
        timeZone: need(flags['time-zone'], 'time-zone'),
        days: list(need(flags.days, 'days'))!.map(Number),
        start: need(flags.start, 'start'),
        end: need(flags.end, 'end'),
      });
      out(`business hours of ${flags.engagement}: ${JSON.stringify(hours)}`);
      return true;
    }
    default:
      return false;
  }
}
