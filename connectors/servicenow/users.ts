/**
 * `sys_user` lookups: names and emails for the sys_ids on incidents (references carry only the
 * sys_id with `sysparm_display_value=false`), and a caller by email for hub-created incidents.
 */
import type { AxiosInstance } from 'axios';
import type { SnIncident, SnUser } from './api-types.ts';
import { listUsers } from './client.ts';
import { andQuery, equals, inList } from './query.ts';

const BATCH = 100;

/** The users referenced by `incidents` (assignee and caller), in one query per 100 ids. */
export async function loadUsersFor(
  http: AxiosInstance,
  incidents: SnIncident[],
): Promise<Map<string, SnUser>> {
  const ids = [...new Set(incidents.flatMap((i) => [i.assigned_to, i.caller_id]).filter(Boolean))];
  const users = new Map<string, SnUser>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    for (const user of await listUsers(http, inList('sys_id', batch), batch.length))
      users.set(user.sys_id, user);
  }
  return users;
}

/** The active user with this email, or undefined. */
export async function findUserByEmail(http: AxiosInstance, email: string): Promise<SnUser | undefined> {
  const [user] = await listUsers(http, andQuery(equals('email', email), 'active=true'), 1);
  return user;
}
