import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import { createConnectorContext } from '../../src/connector-kit/index.ts';
import { createHaloPsaDriver } from './driver.ts';
import { halopsa } from './index.ts';

let driver: VendorDriver;
beforeAll(async () => {
  driver = await createHaloPsaDriver();
});
afterAll(() => driver.close());

describe('HaloPSA driver', () => {
  it('keeps secrets out of settings, and settings + secrets pass the config schema', () => {
    expect(Object.keys(driver.secrets).sort()).toEqual(['clientSecret', 'webhookSecret']);
    expect(JSON.stringify(driver.settings)).not.toContain(driver.secrets['clientSecret']);
    expect(halopsa.configSchema.safeParse({ ...driver.settings, ...driver.secrets }).success).toBe(true);
  });

  it('creates, assigns by e-mail, sets status, comments, and reads it all back as the connector sees it', async () => {
    const carolId = await driver.ensureUser({ email: 'carol@msp.example', name: 'Carol Field' });
    expect(await driver.ensureUser({ email: 'CAROL@msp.example', name: 'Carol Field' })).toBe(carolId);
    const id = await driver.createTicket({ title: 'Scanner offline', assigneeEmail: 'alice@msp.example' });
    await driver.assign(id, 'carol@msp.example');
    await driver.setStatus(id, 'WAITING');
    await driver.addComment(id, 'asked the user for the model', 'INTERNAL');
    await driver.addComment(id, 'we are on it', 'PUBLIC');
    expect(await driver.read(id)).toEqual({
      title: 'Scanner offline',
      status: 'WAITING',
      assigneeEmail: 'carol@msp.example',
    });
    expect(await driver.comments(id)).toEqual([
      { body: 'asked the user for the model', visibility: 'INTERNAL' },
      { body: 'we are on it', visibility: 'PUBLIC' },
    ]);

    const config = halopsa.configSchema.parse({ ...driver.settings, ...driver.secrets });
    const ctx = createConnectorContext(halopsa, { connectionId: randomUUID(), config });
    const record = await halopsa.getTicket(ctx, id);
    expect(record).toMatchObject({
      status: 'WAITING',
      assignee: { externalId: carolId, email: 'carol@msp.example' },
    });
    const comments = await halopsa.listComments(ctx, id);
    expect(comments.map((c) => c.visibility)).toEqual(['INTERNAL', 'PUBLIC']);

    await driver.assign(id, null);
    expect((await driver.read(id)).assigneeEmail).toBeNull();
    expect(driver.apiWriteCount()).toBe(0);
  });

  it('finds tickets by correlation and counts the API writes the connector makes', async () => {
    const config = halopsa.configSchema.parse({ ...driver.settings, ...driver.secrets });
    const ctx = createConnectorContext(halopsa, { connectionId: randomUUID(), config });
    const hubTicketId = randomUUID();
    const before = driver.apiWriteCount();
    const draft = {
      hubTicketId,
      title: 'from the hub',
      description: null,
      status: 'NEW',
      priority: 'LOW',
      assigneeExternalId: null,
      requesterEmail: null,
    } as const;
    const created = await halopsa.createTicket(ctx, draft);
    await halopsa.addComment(ctx, created.externalId, {
      body: 'hello',
      visibility: 'PUBLIC',
      authorName: null,
    });
    expect(await driver.findByCorrelation(hubTicketId)).toEqual([created.externalId]);
    expect(driver.apiWriteCount() - before).toBe(2);
  });
});
