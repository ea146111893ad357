/**
 * The pair-matrix driver: settings that pass the config schema once secrets are merged, and an
 * agent's actions in the instance read back the way the matrix expects.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { VendorDriver } from '../../src/connector-kit/driver.ts';
import { ServiceNowConfigSchema } from './config.ts';
import { createServiceNowDriver } from './driver.ts';

let driver: VendorDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

describe('createServiceNowDriver', () => {
  it('gives settings without secrets that parse once the secrets are merged in', async () => {
    driver = await createServiceNowDriver();
    expect(driver.connector).toBe('servicenow');
    expect(JSON.stringify(driver.settings)).not.toContain(driver.secrets['password']);
    expect(ServiceNowConfigSchema.safeParse(driver.settings).success).toBe(false);
    expect(ServiceNowConfigSchema.safeParse({ ...driver.settings, ...driver.secrets }).success).toBe(true);
  });

  it('creates, assigns by email, sets statuses, comments and reads back as an agent would', async () => {
    driver = await createServiceNowDriver();
    const alice = await driver.ensureUser({ email: 'alice@corp.example', name: 'Alice Admin' });
    expect(await driver.ensureUser({ email: 'alice@corp.example', name: 'Alice Admin' })).toBe(alice);
    const id = await driver.createTicket({ title: 'VPN drops', assigneeEmail: 'alice@corp.example' });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await driver.read(id)).toMatchObject({
      title: 'VPN drops',
      status: 'NEW',
      assigneeEmail: 'alice@corp.example',
    });

    await driver.assign(id, 'bob@corp.example');
    await driver.setStatus(id, 'WAITING');
    expect(await driver.read(id)).toMatchObject({ status: 'WAITING', assigneeEmail: 'bob@corp.example' });
    await driver.setStatus(id, 'RESOLVED');
    await driver.assign(id, null);
    expect(await driver.read(id)).toMatchObject({ status: 'RESOLVED', assigneeEmail: null });

    await driver.addComment(id, 'We are on it', 'PUBLIC');
    await driver.addComment(id, 'Check the firewall logs', 'INTERNAL');
    expect(await driver.comments(id)).toEqual([
      { body: 'We are on it', visibility: 'PUBLIC' },
      { body: 'Check the firewall logs', visibility: 'INTERNAL' },
    ]);
    expect(await driver.findByCorrelation('no-such-hub-id')).toEqual([]);
    // Acting in the tool is not an API write.
    expect(driver.apiWriteCount()).toBe(0);
  });

  it('posts the Business Rule notice to the hub once connected, and flushes it', async () => {
    driver = await createServiceNowDriver();
    const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const hub = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
    try {
      await driver.connectWebhook?.(`http://127.0.0.1:${(hub.address() as AddressInfo).port}/webhooks/sn`);
      const id = await driver.createTicket({ title: 'Notify me' });
      await driver.flushWebhooks?.();
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]!.body)).toMatchObject({
        sys_id: id,
        table: 'incident',
        operation: 'insert',
      });
      expect(received[0]!.headers['x-hub-signature']).toMatch(/^sha256=/);
    } finally {
      hub.closeAllConnections();
      await new Promise<void>((r) => hub.close(() => r()));
    }
  });
});
