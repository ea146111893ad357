import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import { createConnectorContext } from '../../src/connector-kit/index.ts';
import { AutotaskConfigSchema } from './config.ts';
import { createAutotaskDriver } from './driver.ts';
import { autotask } from './index.ts';

let driver: VendorDriver;
beforeAll(async () => {
  driver = await createAutotaskDriver();
});
afterAll(() => driver.close());

describe('createAutotaskDriver', () => {
  it('has settings that pass the config schema once secrets are merged, and none without', () => {
    expect(AutotaskConfigSchema.safeParse(driver.settings).success).toBe(false);
    expect(AutotaskConfigSchema.safeParse({ ...driver.settings, ...driver.secrets }).success).toBe(true);
    expect(JSON.stringify(driver.settings)).not.toContain(driver.secrets['secret']);
  });

  it('creates, assigns by email, sets status, comments and reads back as a technician', async () => {
    const alice = await driver.ensureUser({ email: 'alice@fabrikam.example', name: 'Alice Smith' });
    expect(await driver.ensureUser({ email: 'alice@fabrikam.example', name: 'Alice Smith' })).toBe(alice);
    const id = await driver.createTicket({
      title: 'Projector flickers',
      assigneeEmail: 'alice@fabrikam.example',
    });
    expect(await driver.read(id)).toMatchObject({
      title: 'Projector flickers',
      status: 'NEW',
      assigneeEmail: 'alice@fabrikam.example',
    });
    await driver.setStatus(id, 'WAITING');
    await driver.assign(id, null);
    await driver.addComment(id, 'Asked for the model number', 'PUBLIC');
    await driver.addComment(id, 'Probably the lamp', 'INTERNAL');
    expect(await driver.read(id)).toMatchObject({
      title: 'Projector flickers',
      status: 'WAITING',
      assigneeEmail: null,
    });
    expect(await driver.comments(id)).toEqual([
      { body: 'Asked for the model number', visibility: 'PUBLIC' },
      { body: 'Probably the lamp', visibility: 'INTERNAL' },
    ]);
    expect(driver.apiWriteCount()).toBe(0);
  });

  it('sees what the connector writes through the API', async () => {
    const config = AutotaskConfigSchema.parse({ ...driver.settings, ...driver.secrets });
    const ctx = createConnectorContext(autotask, { connectionId: 'driver-test', config });
    const hubTicketId = 'hub-ticket-driver-1';
    const created = await autotask.createTicket(ctx, {
      hubTicketId,
      title: 'From the hub',
      description: null,
      status: 'OPEN',
      priority: 'LOW',
      assigneeExternalId: null,
      requesterEmail: null,
    });
    expect(await driver.findByCorrelation(hubTicketId)).toEqual([created.externalId]);
    expect((await driver.read(created.externalId)).status).toBe('OPEN');
    expect(driver.apiWriteCount()).toBe(1);
  });
});
