import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import { createConnectorContext } from '../../src/connector-kit/index.ts';
import { JiraSmConfigSchema } from './config.ts';
import { createJiraSmDriver } from './driver.ts';
import { jiraSm } from './index.ts';

let driver: VendorDriver;
beforeAll(async () => {
  driver = await createJiraSmDriver();
});
afterAll(() => driver.close());

describe('the Jira SM driver', () => {
  it('has settings that, with secrets merged in, pass the config schema and connect', async () => {
    expect(driver.settings).not.toHaveProperty('apiToken');
    const config = JiraSmConfigSchema.parse({ ...driver.settings, ...driver.secrets });
    const ctx = createConnectorContext(jiraSm, { connectionId: 'driver', config });
    expect(await jiraSm.check(ctx)).toMatchObject({ ok: true });
  });

  it('creates, assigns by email, moves status (reopening from Closed), comments and reads back', async () => {
    const dana = await driver.ensureUser({ email: 'dana@contoso-msp.example', name: 'Dana MSP' });
    expect(await driver.ensureUser({ email: 'dana@contoso-msp.example', name: 'Dana MSP' })).toBe(dana);
    const id = await driver.createTicket({
      title: 'Backup failed on FS01',
      description: 'Veeam job 7',
      assigneeEmail: 'dana@contoso-msp.example',
    });
    expect(await driver.read(id)).toEqual({
      title: 'Backup failed on FS01',
      status: 'NEW',
      assigneeEmail: 'dana@contoso-msp.example',
    });
    await driver.assign(id, null);
    await driver.setStatus(id, 'CLOSED');
    expect(await driver.read(id)).toMatchObject({ status: 'CLOSED', assigneeEmail: null });
    await driver.setStatus(id, 'IN_PROGRESS');
    expect((await driver.read(id)).status).toBe('IN_PROGRESS');
    await driver.addComment(id, 'internal finding', 'INTERNAL');
    await driver.addComment(id, 'public reply', 'PUBLIC');
    expect(await driver.comments(id)).toEqual([
      { body: 'internal finding', visibility: 'INTERNAL' },
      { body: 'public reply', visibility: 'PUBLIC' },
    ]);
    expect(driver.apiWriteCount()).toBe(0);
  });

  it('counts the connector writes and finds tickets by correlation, delivering webhooks', async () => {
    const received: string[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      received.push(String(req.headers['x-hub-signature']));
      req.resume().on('end', () => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await driver.connectWebhook?.(`http://127.0.0.1:${port}/webhooks/jira`);
    const config = JiraSmConfigSchema.parse({ ...driver.settings, ...driver.secrets });
    const ctx = createConnectorContext(jiraSm, { connectionId: 'driver', config });
    const hubTicketId = randomUUID();
    const created = await jiraSm.createTicket(ctx, {
      hubTicketId,
      title: 'From the hub',
      description: null,
      status: 'NEW',
      priority: 'HIGH',
      assigneeExternalId: null,
      requesterEmail: null,
    });
    expect(await driver.findByCorrelation(hubTicketId)).toEqual([created.externalId]);
    expect(driver.apiWriteCount()).toBe(1);
    await driver.flushWebhooks?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});
