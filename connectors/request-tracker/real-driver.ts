/**
 * An agent working in a *real* Request Tracker (what scripts/start-rt.sh starts), for the
 * hub's end-to-end pair matrix. Acts through REST2 as root, in a fresh queue per run so the
 * hub's pulls see only this run's tickets.
 */
import { randomUUID } from 'node:crypto';
import axios from 'axios';
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import { getTicketAttachments, getTicketHistory } from './client.ts';
import { toCommentRecords } from './comment-mapping.ts';
import { restRoot } from './config.ts';
import { CANONICAL_TO_RT_STATUS, RT_STATUS_TO_CANONICAL } from './mapping.ts';

const ROOT = { username: 'root', password: 'password' };

export async function createRealRequestTrackerDriver(url: string): Promise<VendorDriver> {
  const rest = axios.create({ baseURL: restRoot(url), auth: ROOT, timeout: 30_000 });
  const queue = `hub-e2e-${randomUUID().slice(0, 8)}`;
  const created = await rest.post('/queue', { Name: queue, Description: 'hub pair-matrix run' });
  const queueId = String(created.data.id);
  let writes = 0;
  const login = (email: string) => email.split('@')[0]!.replace(/[^a-z0-9._-]/gi, '');
  const write = async <T>(p: Promise<T>) => {
    writes++;
    return p;
  };

  return {
    connector: 'request-tracker',
    settings: { baseUrl: url, username: ROOT.username, queue, pageSize: 50 },
    secrets: { password: ROOT.password },
    async ensureUser({ email, name }) {
      const name_ = login(email);
      const found = await rest.get(`/user/${encodeURIComponent(name_)}`, { validateStatus: () => true });
      if (found.status === 200) return name_;
      await rest.post('/user', {
        Name: name_,
        EmailAddress: email,
        RealName: name,
        Privileged: 1,
        Password: randomUUID(),
      });
      return name_;
    },
    async createTicket({ title, description, assigneeEmail }) {
      const res = await write(
        rest.post('/ticket', {
          Queue: queue,
          Subject: title,
          ...(description ? { Content: description, ContentType: 'text/plain' } : {}),
          ...(assigneeEmail ? { Owner: login(assigneeEmail) } : {}),
        }),
      );
      return String(res.data.id);
    },
    async setStatus(id, status) {
      await write(rest.put(`/ticket/${id}`, { Status: CANONICAL_TO_RT_STATUS[status] }));
    },
    async assign(id, email) {
      await write(rest.put(`/ticket/${id}`, { Owner: email ? login(email) : 'Nobody' }));
    },
    async addComment(id, body, visibility) {
      const kind = visibility === 'INTERNAL' ? 'comment' : 'correspond';
      await write(rest.post(`/ticket/${id}/${kind}`, { Content: body, ContentType: 'text/plain' }));
    },
    async read(id) {
      const t = (await rest.get(`/ticket/${id}`)).data as {
        Subject: string;
        Status: string;
        Owner?: { id?: string };
      };
      const owner =
        t.Owner?.id && t.Owner.id !== 'Nobody'
          ? (await rest.get(`/user/${encodeURIComponent(t.Owner.id)}`)).data
          : null;
      return {
        title: t.Subject,
        status: RT_STATUS_TO_CANONICAL[t.Status] ?? 'OPEN',
        assigneeEmail: (owner as { EmailAddress?: string } | null)?.EmailAddress ?? null,
      };
    },
    async comments(id) {
      const [history, attachments] = await Promise.all([
        getTicketHistory(rest, id, 1),
        getTicketAttachments(rest, id, 1),
      ]);
      return toCommentRecords(history.items, attachments.items).map((c) => ({
        body: c.body,
        visibility: c.visibility,
      }));
    },
    async findByCorrelation(hubTicketId) {
      const res = await rest.get('/tickets', {
        params: { query: `Queue = '${queue}' AND CF.{HubTicketId} = '${hubTicketId}'`, per_page: 100 },
      });
      return (res.data.items as { id: string }[]).map((t) => String(t.id));
    },
    apiWriteCount: () => writes,
    async close() {
      // RT never deletes queues; DELETE disables it, keeping its tickets for inspection.
      await rest.delete(`/queue/${queueId}`, { validateStatus: () => true });
    },
  };
}
