/**
 * Vendor-side levers: what an agent does in the instance's UI. Every change goes through the same
 * platform logic as an API write (journal appends, priority lookup, data policies, sys_updated_on)
 * and fires the Business Rule. The default actor is Beth Anglin, an ITIL agent.
 */
import type { SimActor, SimStore } from './sim-store.ts';
import type { SimRecord } from './sim-tables.ts';

export interface SimActorOptions {
  /** user_name of the person acting (default `beth.anglin`). */
  as?: string;
}

export function createSimLevers(store: SimStore) {
  const actor = (opts: SimActorOptions = {}): SimActor => {
    const userName = opts.as ?? 'beth.anglin';
    const user = store.userByName(userName);
    if (!user) throw new Error(`no user ${userName} in the simulator`);
    return { sys_id: user['sys_id']!, user_name: userName };
  };
  const require = (sysId: string): SimRecord => {
    const record = store.get('incident', sysId);
    if (!record) throw new Error(`no incident ${sysId} in the simulator`);
    return record;
  };

  return {
    /** sys_id of a user by user_name. */
    userId(userName: string): string {
      return actor({ as: userName }).sys_id;
    },
    /** The agents the suite may assign to (Beth Anglin, David Loo). */
    agentIds: (): string[] => ['beth.anglin', 'david.loo'].map((u) => actor({ as: u }).sys_id),
    /** A user with this email, created (active) if missing; returns their sys_id. */
    ensureUser(user: { email: string; name: string }): string {
      const existing = store.userByEmail(user.email);
      if (existing) return existing['sys_id']!;
      const [first = user.name, ...rest] = user.name.split(' ');
      const userName = user.email.split('@')[0] ?? user.email;
      const system = { sys_id: '', user_name: 'admin' };
      const record = store.insertRaw(
        'sys_user',
        {
          user_name: userName,
          name: user.name,
          first_name: first,
          last_name: rest.join(' '),
          email: user.email,
          active: 'true',
          title: '',
        },
        system,
      );
      return record['sys_id']!;
    },
    user: (sysId: string) => store.get('sys_user', sysId),

    /** Open an incident as an agent would; any incident field may be given. */
    seedIncident(fields: Record<string, string> = {}, opts?: SimActorOptions): SimRecord {
      return store.createIncident(
        { short_description: 'Seeded incident', caller_id: actor({ as: 'abel.tuter' }).sys_id, ...fields },
        actor(opts),
      );
    },
    seedIncidents(count: number, opts: { titlePrefix?: string } & SimActorOptions = {}): SimRecord[] {
      const prefix = opts.titlePrefix ?? 'Seeded incident';
      return Array.from({ length: count }, (_, i) =>
        store.createIncident(
          { short_description: `${prefix} ${i + 1}`, caller_id: actor({ as: 'abel.tuter' }).sys_id },
          actor(opts),
        ),
      );
    },
    /** Change fields as an agent (data policies apply: On Hold needs hold_reason, and so on). */
    updateIncident(sysId: string, changes: Record<string, string>, opts?: SimActorOptions): SimRecord {
      require(sysId);
      return store.updateIncident(sysId, changes, actor(opts));
    },
    rename(sysId: string, title: string, opts?: SimActorOptions): SimRecord {
      require(sysId);
      return store.updateIncident(sysId, { short_description: title }, actor(opts));
    },
    /** Add a journal entry: `comments` (customer-visible) or `work_notes` (internal). */
    addJournal(
      sysId: string,
      element: 'comments' | 'work_notes',
      value: string,
      opts?: SimActorOptions,
    ): void {
      require(sysId);
      store.updateIncident(sysId, { [element]: value }, actor(opts));
    },
    deleteIncident(sysId: string, opts?: SimActorOptions): void {
      store.deleteIncident(sysId, actor(opts));
    },
    /** The raw stored incident (all values strings), or undefined. */
    incident: (sysId: string): SimRecord | undefined => store.get('incident', sysId),
    /** The incident's journal entries, oldest first. */
    journal: (sysId: string): SimRecord[] =>
      store
        .list('sys_journal_field')
        .filter((e) => e['element_id'] === sysId)
        .sort((a, b) =>
          a['sys_created_on']! < b['sys_created_on']!
            ? -1
            : a['sys_created_on'] === b['sys_created_on']
              ? 0
              : 1,
        ),
    findByCorrelation: (hubTicketId: string): string[] =>
      store
        .list('incident')
        .filter((i) => i['correlation_id'] === hubTicketId)
        .map((i) => i['sys_id']!),
    countCorrelated: (hubTicketId: string): number =>
      store.list('incident').filter((i) => i['correlation_id'] === hubTicketId).length,
  };
}
