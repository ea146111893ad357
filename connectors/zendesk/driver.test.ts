/** The end-to-end driver acts in Zendesk, and the connector sees what it did. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import { createConnectorContext } from '../../src/connector-kit/index.ts';
import { ZendeskConfigSchema } from './config.ts';
import { createZendeskDriver } from './driver.ts';
import { zendesk } from './index.ts';

let driver: VendorDriver;
beforeAll(async () => {
  driver = await createZendeskDriver();
});
afterAll(() => driver.close());

describe('zendesk driver', () => {
  it('settings plus secrets make a valid config', () => {
    expect(ZendeskConfigSchema.safeParse({ ...driver.settings, ...driver.secrets }).success).toBe(true);
    expect(JSON.stringify(driver.settings)).not.toContain(driver.secrets.apiToken!);
  });

  it('creates, assigns by email, sets status, comments and reads back', async () => {
    const carol = await driver.ensureUser({ email: 'carol.diaz@acme.example', name: 'Carol Diaz' });
    expect(await driver.ensureUser({ email: 'carol.diaz@acme.example', name: 'Carol Diaz' })).toBe(carol);
    const id = await driver.createTicket({ title: 'Badge reader offline', description: 'Door 2' });
    expect(await driver.read(id)).toEqual({
      title: 'Badge reader offline',
      status: 'NEW',
      assigneeEmail: null,
    });
    await driver.assign(id, 'carol.diaz@acme.example');
    await driver.setStatus(id, 'WAITING');
    await driver.addComment(id, 'asked facilities', 'INTERNAL');
    await driver.addComment(id, 'we are on it', 'PUBLIC');
    expect(await driver.read(id)).toEqual({
      title: 'Badge reader offline',
      status: 'WAITING',
      assigneeEmail: 'carol.diaz@acme.example',
    });
    expect(await driver.comments(id)).toEqual([
      { body: 'asked facilities', visibility: 'INTERNAL' },
      { body: 'we are on it', visibility: 'PUBLIC' },
    ]);
    await driver.assign(id, null);
    expect((await driver.read(id)).assigneeEmail).toBeNull();
    expect(driver.apiWriteCount()).toBe(0);
  });

  it('counts the connector writes and finds tickets by correlation', async () => {
    const config = ZendeskConfigSchema.parse({ ...driver.settings, ...driver.secrets });
    const ctx = createConnectorContext(zendesk, { connectionId: 'driver-test', config });
    const hubTicketId = randomUUID();
    const draft = {
      hubTicketId,
      title: 'From the MSP',
      description: null,
      status: 'OPEN' as const,
      priority: 'LOW' as const,
      assigneeExternalId: null,
      requesterEmail: null,
    };
    const created = await zendesk.createTicket(ctx, draft);
    await zendesk.addComment(ctx, created.externalId, {
      body: 'hello',
      visibility: 'PUBLIC',
      authorName: null,
    });
    expect(await driver.findByCorrelation(hubTicketId)).toEqual([created.externalId]);
    expect(driver.apiWriteCount()).toBe(2);
    expect(await driver.comments(created.externalId)).toEqual([{ body: 'hello', visibility: 'PUBLIC' }]);
  });
});
