import { existsSync, mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engagements } from '../src/db/schema/index.ts';
import { createServiceArea } from '../src/domain/routing/admin.ts';
import { availableBackends } from './support/backends.ts';
import { type CustomersHub, startCustomersHub } from './support/customers-hub.ts';
import { chromiumUnavailable, ensureDashboardBuilt, launchChromium } from './support/dashboard.ts';
import { mutate } from './support/ops.ts';

const skip = chromiumUnavailable();
if (skip) console.warn(`[skip dashboard matrix] ${skip}`);
const backend = skip ? undefined : (await availableBackends())[0];
const LIVE = { timeout: 15_000 };
const SCREENSHOT = 'docs/dashboard-matrix.png';

/**
 * The dashboard for an MSP with two customers: the engagement switcher, the responsibility
 * matrix as a table with its next phase change, and UNROUTED tickets highlighted.
 */
describe.skipIf(!backend)(`dashboard engagements and matrix in Chromium on ${backend}`, () => {
  let hub: CustomersHub;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;
  const pageErrors: string[] = [];
  let unroutedKey = '';

  async function open(token: string): Promise<Page> {
    const p = await context.newPage();
    p.on('pageerror', (err) => pageErrors.push(err.message));
    if (process.env.DEBUG_DASH) p.on('console', (m) => console.log('console:', m.text()));
    await p.goto(`${origin}/dashboard?token=${encodeURIComponent(token)}`);
    await p.locator('body[data-link="live"][data-catch-ups]').waitFor(LIVE);
    return p;
  }

  beforeAll(async () => {
    await ensureDashboardBuilt();
    hub = await startCustomersHub(backend!);
    origin = new URL(hub.url).origin;
    hub.cw.seedTicket({
      summary: 'Contoso: switch port flapping',
      company: 'Contoso',
      board: 'Network Operations',
    });
    hub.cw.seedTicket({ summary: 'Fabrikam: printer jam', company: 'Fabrikam', board: 'Help Desk' });
    await hub.engine.pullNow('msp-connectwise');
    await hub.engine.drain();
    // An area Contoso has not put in its matrix yet: a ticket there falls through, visibly.
    const [contoso] = await hub.database.db.select().from(engagements).where(eq(engagements.slug, 'contoso'));
    await createServiceArea(hub.database.db, contoso!, { key: 'security', name: 'Security' });
    const created = await mutate<{ createTicket: { ticket: { key: string } } }>(
      hub,
      await hub.token('contoso-it', 'AGENT'),
      'mutation { createTicket(input: { title: "Contoso: odd sign-in alerts", serviceArea: "security" }) { ticket { key } } }',
      {},
    );
    unroutedKey = created.createTicket.ticket.key;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('lets an MSP user switch between customers, each with its own board and matrix', async () => {
    const page = await open(await hub.token('msp', 'ADMIN'));
    const select = page.locator('#switcher select');
    await select.waitFor();
    // The hub's default engagement (HUB) is the MSP's too: every engagement it serves is offered.
    expect(await select.locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['All customers', 'Contoso Ltd (CON)', 'Fabrikam Inc (FAB)']),
    );
    await page.locator('[data-ticket^="FAB-"]').first().waitFor(LIVE);
    await page.locator('[data-ticket^="CON-"]').first().waitFor(LIVE);

    await Promise.all([page.waitForEvent('load'), select.selectOption('contoso')]);
    await page.locator('body[data-engagement="contoso"][data-link="live"]').waitFor(LIVE);
    await page.locator('[data-ticket^="CON-"]').first().waitFor(LIVE);
    expect(await page.locator('[data-ticket^="FAB-"]').count()).toBe(0);

    // The matrix: areas by parties, today's rules and the phased hand-over of tier 1.
    const helpdesk = page.locator('table.matrix tr[data-area="helpdesk-t1"]');
    await helpdesk.waitFor(LIVE);
    expect(await helpdesk.locator('td[data-party="contoso-it"]').textContent()).toBe('RA');
    expect(await helpdesk.locator('td.next').textContent()).toContain('from 2027-01-01: msp R');
    expect(
      await page.locator('table.matrix tr[data-area="network"] td[data-party="msp"]').textContent(),
    ).toBe('R');
    // The MSP learns that Contoso holds an unrouted ticket, without seeing Contoso's own ticket.
    await page.locator('.unrouted-count').filter({ hasText: '1 held by contoso-it' }).waitFor(LIVE);
    expect(await page.locator('table.matrix tr[data-area="security"].gap').count()).toBe(1);
    expect(await page.locator(`[data-ticket="${unroutedKey}"]`).count()).toBe(0);

    await Promise.all([page.waitForEvent('load'), page.locator('#switcher select').selectOption('fabrikam')]);
    await page.locator('body[data-engagement="fabrikam"][data-link="live"]').waitFor(LIVE);
    await page
      .locator('table.matrix tr[data-area="helpdesk-t1"] td[data-party="msp"]')
      .filter({ hasText: 'R' })
      .waitFor(LIVE);
    expect(await page.locator('[data-ticket^="CON-"]').count()).toBe(0);
    await page.close();
  });

  it("shows a customer's team its own matrix, no switcher, and its unrouted ticket highlighted", async () => {
    const page = await open(await hub.token('contoso-it', 'ADMIN'));
    expect(await page.locator('#switcher').isHidden()).toBe(true);
    const card = page.locator(`[data-ticket="${unroutedKey}"]`);
    await card.waitFor(LIVE);
    expect(await card.getAttribute('data-unrouted')).toBe('true');
    expect(await card.locator('.tag.unrouted').textContent()).toBe('unrouted');
    await page.locator('[data-stat="unrouted"] .value').filter({ hasText: '1' }).waitFor(LIVE);
    await page.locator('table.matrix tr[data-area="backup"]').waitFor(LIVE);
    expect(await page.locator('[data-ticket^="FAB-"]').count()).toBe(0);
    expect(await page.locator('#matrix').textContent()).not.toContain('fabrikam');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard-matrix.png' });
    if (!existsSync(SCREENSHOT) || process.env.HUB_UPDATE_SCREENSHOT)
      await page.screenshot({ path: SCREENSHOT });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
