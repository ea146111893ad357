import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.ts';
import { chromiumUnavailable, ensureDashboardBuilt, launchChromium } from './support/dashboard.ts';
import { type SeededTicket, seedQueue } from './support/dashboard-seed.ts';
import { CLOSE, createTicket, mutate, UPDATE } from './support/ops.ts';
import { RT_ID, type SyncTestHub, startSyncHub } from './support/sync-hub.ts';

const skip = chromiumUnavailable();
if (skip) console.warn(`[skip dashboard] ${skip}`);
// One backend is enough for the browser: Postgres when it answers, else the embedded one.
const backend = skip ? undefined : (await availableBackends())[0];
// Generous: "appears without a reload", not a latency budget.
const LIVE = { timeout: 15_000 };
const SCREENSHOT = 'docs/dashboard.png';

/** What the page exposes (see dashboard/src/main.ts); the root tsconfig has no DOM types. */
interface PageGlobals {
  __hubDashboard: { catchUps(): number };
  sessionStorage: { length: number };
  marker?: number;
}

describe.skipIf(!backend)(`dashboard in Chromium on ${backend}`, () => {
  let hub: SyncTestHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let t: Awaited<ReturnType<typeof seedQueue>>;
  let origin: string;
  const pageErrors: string[] = [];

  const card = (p: Page, ticket: SeededTicket) => p.locator(`[data-ticket="${ticket.key}"]`);
  const inColumn = (p: Page, status: string, ticket: SeededTicket) =>
    p.locator(`[data-column="${status}"] [data-ticket="${ticket.key}"]`);
  const feedItem = (p: Page, type: string, ticket: SeededTicket) =>
    p.locator(`#feed li[data-type="${type}"]`).filter({ hasText: ticket.key });
  // Set once after login: still there means the page was never reloaded.
  const notReloaded = async (p: Page) =>
    expect(await p.evaluate(() => (globalThis as unknown as PageGlobals).marker)).toBe(1);

  async function open(token: string, via: 'form' | 'address'): Promise<Page> {
    const p = await context.newPage();
    p.on('pageerror', (err) => pageErrors.push(err.message));
    if (via === 'address') {
      await p.goto(`${origin}/dashboard?token=${encodeURIComponent(token)}`);
    } else {
      await p.goto(`${origin}/dashboard`);
      await p.getByLabel('API token').fill(token);
      await p.getByRole('button', { name: 'Open dashboard' }).click();
    }
    await p.locator('body[data-link="live"][data-catch-ups]').waitFor(LIVE);
    await p.evaluate(() => {
      (globalThis as unknown as PageGlobals).marker = 1;
    });
    return p;
  }

  beforeAll(async () => {
    await ensureDashboardBuilt();
    hub = await startSyncHub(backend!);
    origin = new URL(hub.url).origin;
    t = await seedQueue(hub);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('logs in with a token and shows the shared queue, counts and connection health', async () => {
    page = await open(hub.tokens.internalAdmin, 'form');
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.length))
      .toBe(1);
    await inColumn(page, 'NEW', t.backups).waitFor();
    await inColumn(page, 'IN_PROGRESS', t.vpn).waitFor();
    await inColumn(page, 'RESOLVED', t.tls).waitFor();
    await inColumn(page, 'CLOSED', t.mfa).waitFor();
    expect(await card(page, t.vpn).locator('[data-owner]').textContent()).toBe('msp');
    expect(await card(page, t.vpn).locator('[data-assignee]').textContent()).toBe('Asha Kumar');
    expect(await card(page, t.payroll).locator('.confidential').count()).toBe(1);
    await feedItem(page, 'CLOSED', t.mfa).waitFor();
    expect(await page.locator('[data-role]').textContent()).toBe('ADMIN');
    expect(await page.locator('[data-stat="closed"] .value').textContent()).toBe('1');
    expect(await page.locator('[data-stat="oldest"] .name').textContent()).toBe(
      `oldest open: ${t.printer.key}`,
    );
    expect(await page.locator('[data-stat="oldest"] .value').textContent()).toMatch(/^4d 3h$/);
    // Health of both tools; replay only on the admin's own party's connection.
    await page.locator(`[data-connection="${RT_ID}"] [data-parked]`).waitFor(LIVE);
    expect(await page.locator('[data-connection]').count()).toBe(2);
    expect(await page.locator(`[data-replay="${RT_ID}"]`).count()).toBe(1);
    expect(await page.locator('[data-replay]').count()).toBe(1);
  });

  it('moves a card to CLOSED and adds it to the feed when the MSP closes it in ConnectWise', async () => {
    hub.cw.updateTicket(t.backups.cwId!, { status: 'Closed' }, { by: 'jsmith' });
    await hub.settle();
    await inColumn(page, 'CLOSED', t.backups).waitFor(LIVE);
    const item = feedItem(page, 'CLOSED', t.backups);
    await item.waitFor(LIVE);
    expect(await item.locator('.side').textContent()).toBe('MSP');
    expect(await page.locator('#feed li').first().getAttribute('data-type')).toBe('CLOSED');
    expect(await page.locator('[data-stat="closed"] .value').textContent()).toBe('2');
    await notReloaded(page);
  });

  it('shows the new holder when a ticket is reassigned in ConnectWise', async () => {
    hub.cw.updateTicket(t.firewall.cwId!, { owner: 'mgarcia' }, { by: 'jsmith' });
    await hub.settle();
    await card(page, t.firewall).locator('[data-assignee]', { hasText: 'Maria Garcia' }).waitFor(LIVE);
    await feedItem(page, 'REASSIGNED', t.firewall).filter({ hasText: 'Maria Garcia' }).waitFor(LIVE);
    await notReloaded(page);
    await page.mouse.move(0, 0);
    mkdirSync('test-results', { recursive: true });
    const shot = await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
    // The README picture is written when missing or asked for, not on every run.
    if (!existsSync(SCREENSHOT) || process.env.HUB_UPDATE_SCREENSHOT) {
      mkdirSync('docs', { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    expect(shot.length).toBeGreaterThan(10_000);
  });

  it('shows the lost link, reconnects, and catches up on what changed meanwhile', async () => {
    const before = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).__hubDashboard.catchUps(),
    );
    // The browser loses the network: the page notices, and the hub sees the subscription end.
    await context.setOffline(true);
    await page.getByText('disconnected — reconnecting').first().waitFor(LIVE);
    expect(await page.locator('#banner').isVisible()).toBe(true);
    await expect.poll(() => hub.app.activeSubscriptions(), LIVE).toBe(0);

    // The internal team resolves a ticket in Request Tracker while the page is cut off.
    hub.rt.updateTicket(t.printer.rtId!, { status: 'resolved' });
    await hub.engine.pullNow(RT_ID);
    await hub.settle();
    await page.waitForTimeout(1_500);
    expect(await inColumn(page, 'WAITING', t.printer).count()).toBe(1);
    expect(await page.locator('#banner').isVisible()).toBe(true);

    await context.setOffline(false);
    await page.locator('body[data-link="live"]').waitFor(LIVE);
    await inColumn(page, 'RESOLVED', t.printer).waitFor(LIVE);
    const item = feedItem(page, 'RESOLVED', t.printer);
    await item.waitFor(LIVE);
    expect(await item.locator('.side').textContent()).toBe('Internal');
    expect(await page.locator('#banner').isVisible()).toBe(false);
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).__hubDashboard.catchUps()),
    ).toBeGreaterThan(before);
    await notReloaded(page);
  });

  it('never shows an MSP token the internal team’s confidential ticket, on load or live', async () => {
    const msp = await open(hub.tokens.mspAgent, 'address');
    expect(new URL(msp.url()).search).toBe('');
    await inColumn(msp, 'IN_PROGRESS', t.vpn).waitFor();
    expect(await card(msp, t.laptop).count()).toBe(0); // internal, not shared
    expect(await card(msp, t.payroll).count()).toBe(0);
    expect(await msp.locator('#health').textContent()).toContain('shown to ADMIN tokens');
    expect(await msp.locator('[data-replay]').count()).toBe(0);

    // The internal team closes the confidential ticket, then a shared one: the shared closure
    // reaching the MSP page proves the confidential one would have arrived first had it leaked.
    await mutate(hub, hub.tokens.internalAgent, CLOSE, { id: t.payroll.id });
    await mutate(hub, hub.tokens.internalAgent, CLOSE, { id: t.wifi.id });
    await feedItem(msp, 'CLOSED', t.wifi).waitFor(LIVE);
    await feedItem(page, 'CLOSED', t.payroll).waitFor(LIVE);
    expect(await card(msp, t.payroll).count()).toBe(0);
    expect(await msp.locator('#feed strong').allTextContents()).not.toContain(t.payroll.key);
    expect(await msp.content()).not.toContain(t.payroll.title);
    await msp.close();
  });

  it('drops a card from the MSP page when the internal team stops sharing the ticket', async () => {
    const own = await createTicket(hub, hub.tokens.internalAgent, { title: 'Board laptops refresh' });
    const shared = await mutate<{ updateTicket: { ticket: { version: number } } }>(
      hub,
      hub.tokens.internalAgent,
      UPDATE,
      { input: { id: own.id, expectedVersion: own.version, shared: true } },
    );
    const msp = await open(hub.tokens.mspAgent, 'address');
    const shown = msp.locator(`[data-ticket="${own.key}"]`);
    await shown.waitFor(LIVE);
    await mutate(hub, hub.tokens.internalAgent, UPDATE, {
      input: { id: own.id, expectedVersion: shared.updateTicket.ticket.version, shared: false },
    });
    await shown.waitFor({ state: 'detached', ...LIVE });
    await notReloaded(msp);
    await msp.close();
  });

  it('raised no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
