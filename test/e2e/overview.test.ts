// The list overview: in packer mode (F10) the packer searches the open list while the scanner keeps
// packing (a scan typed into the search field goes to the station, not into the search); in the
// session browser a shift lead pages, filters and searches any list, held or not, and reads an
// order's scan history. Both read the API whose answers the shared zod schemas describe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListOverviewSchema, OrderHistorySchema } from '../../src/domain/list-overview.js';
import {
  browserMissing,
  sounds,
  soundsAfter,
  dataFolder,
  openBrowser,
  scanAndWait,
  screenshot,
  seedThroughApi,
  serve,
  startPacking,
  type Served,
  type Station,
} from './harness.js';

const ORDERS = Array.from({ length: 60 }, (_, i) => ({
  order_number: `#${4001 + i}`,
  items:
    i === 1
      ? [
          { sku: 'TEA-GREEN', quantity: 2, product_name: 'Green tea 100 g' },
          { sku: 'MUG-RED', quantity: 1, product_name: 'Mug, red' },
        ]
      : [{ sku: i % 2 === 0 ? 'MUG-RED' : 'MUG-BLUE', quantity: 1, product_name: 'Mug' }],
  metadata: (i === 1 ? { notes: 'Gift wrap' } : {}) as Record<string, string>,
}));

describe.skipIf(browserMissing())('the list overview', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let server: Served;
  let browser: Station;
  let session: string;
  const listApi = () => `${server.url}/api/clients/SHOP/sessions/${session}/lists/DHL/orders`;

  beforeAll(async () => {
    folder = await dataFolder();
    server = await serve(folder.root, folder.config, 'PACK1');
    session = await seedThroughApi(server.url, 'SHOP', ORDERS);
    browser = await openBrowser(`${server.url}/#/sessions`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await folder?.cleanup();
  });

  it('shows the open list in packer mode without taking the scanner away', async () => {
    const page = browser.page;
    await startPacking(browser, server.url, session, 'Ann');
    await page.getByTestId('packer').waitFor();
    await scanAndWait(browser, '4001', 'order_opened');
    await scanAndWait(browser, 'MUG-RED', 'order_complete');
    await scanAndWait(browser, '4002', 'order_opened');
    await scanAndWait(browser, 'TEA-GREEN', 'item_ok');
    await scanAndWait(browser, '!SKIP', 'skipped');
    await scanAndWait(browser, '4003', 'order_opened');
    await scanAndWait(browser, '!CONFIRM MUG-RED 1 UNREADABLE', 'order_complete_manual');

    await page.keyboard.press('F10');
    const search = page.getByTestId('overview-search');
    await expect
      .poll(() => page.evaluate<string>('document.activeElement?.dataset?.testid ?? ""'))
      .toBe('overview-search');
    await page.getByTestId('overview-order-#4001').waitFor();
    expect(await page.getByTestId('overview-order-#4001').getByTestId('order-state').textContent()).toBe(
      'Done',
    );
    expect(await page.getByTestId('overview-order-#4003').getByTestId('order-state').textContent()).toBe(
      'Done by hand',
    );
    await screenshot(page, 'overview-packer-1366');

    // A person types a search slowly: it stays in the field and filters the orders.
    await page.keyboard.type('tea', { delay: 120 });
    await expect.poll(() => page.locator('[data-testid^="overview-order-"]').count()).toBe(1);
    expect(await page.getByTestId('overview-order-#4002').getByTestId('order-state').textContent()).toBe(
      'Skipped',
    );
    // A scan while the search field has the focus goes to the station, and out of the field. (Keys
    // sent back to back, as a scanner sends them: a busy machine must not stretch them into typing.)
    const before = (await sounds(page)).length;
    await page.keyboard.type('4005');
    await page.keyboard.press('Enter');
    await soundsAfter(page, before);
    expect(await page.getByTestId('status').getAttribute('data-kind')).toBe('order_opened');
    expect(await search.inputValue()).toBe('tea');
    expect(await page.getByTestId('order-number').textContent()).toBe('Order #4005');

    // Enter shows the selected order's history: who, where, what, in local time.
    await search.press('Enter');
    const history = page.getByTestId('order-history');
    await history.waitFor();
    const rows = await page.getByTestId('history-table').locator('tbody tr').allTextContents();
    expect(
      rows.some((r) => r.includes('Ann') && r.includes('PACK1') && r.includes('scanned TEA-GREEN')),
    ).toBe(true);
    expect(rows.some((r) => r.includes('skipped'))).toBe(true);
    expect(await history.textContent()).toContain('Gift wrap');
    await screenshot(page, 'overview-packer-history-1366');
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, 'overview-packer-history-1024');
    await page.setViewportSize({ width: 1366, height: 768 });

    // The answer is the live state of the station that holds the list, in the schema's shape.
    const held = ListOverviewSchema.parse(await (await fetch(`${listApi()}?state=left&limit=5`)).json());
    expect(held.source).toBe('station');
    expect(held.counts).toMatchObject({ done: 1, done_manual: 1, skipped: 1, open: 1, to_do: 56 });
    expect(held.matched).toBe(58);
    expect(held.orders.map((o) => o.number)).toEqual(['#4002', '#4004', '#4005', '#4006', '#4007']);

    // Esc closes the history, then the overview; the next scan packs as before.
    await page.keyboard.press('Escape');
    await history.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.getByTestId('overview').waitFor({ state: 'detached' });
    await scanAndWait(browser, 'MUG-RED', 'order_complete');
    await scanAndWait(browser, '4004', 'order_opened');
    await page.getByRole('button', { name: 'Close (pause list)' }).click();
    await page.getByTestId('sessions').waitFor();
  });

  it('pages, filters and searches any list in the session browser, read from its journal', async () => {
    const page = browser.page;
    await page.getByTestId(`list-${session}-DHL`).getByTestId('orders-button').click();
    await page.getByTestId('overview-table').waitFor();
    expect(await page.getByTestId('overview-pages').textContent()).toContain('1–25 of 60');
    await page.getByTestId('overview-pages').getByRole('button', { name: /PgDn/ }).click();
    await expect.poll(() => page.getByTestId('overview-pages').textContent()).toContain('26–50 of 60');
    await page.getByTestId('overview-filter-done_manual').click();
    await expect.poll(() => page.locator('[data-testid^="overview-order-"]').count()).toBe(1);
    await page.getByTestId('overview-order-#4003').waitFor();
    await page.getByTestId('overview-filter-all').click();
    await page.getByTestId('overview-search').fill('MUG-BLUE');
    await expect.poll(() => page.getByTestId('overview-pages').textContent()).toContain('of 29');
    await page.getByTestId('overview-search').fill('4004');
    await page.getByTestId('overview-order-#4004').click();
    await page.getByTestId('order-history').waitFor();
    // Pausing the list keeps its open order open: the next station continues it.
    expect(await page.getByTestId('overview-order-#4004').getByTestId('order-state').textContent()).toBe(
      'Open',
    );
    await screenshot(page, 'overview-sessions-1366');
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, 'overview-sessions-1024');
    await page.setViewportSize({ width: 1366, height: 768 });

    const read = ListOverviewSchema.parse(await (await fetch(`${listApi()}?q=tea`)).json());
    expect(read.source).toBe('journal');
    expect(read.orders.map((o) => [o.number, o.state])).toEqual([['#4002', 'skipped']]);
    const h = OrderHistorySchema.parse(await (await fetch(`${listApi()}/4002`)).json());
    expect(h.packed_by.find((p) => p.sku === 'TEA-GREEN')?.packs).toMatchObject([
      { worker: 'Ann', station: expect.stringContaining('PACK1'), count: 1, manual: false },
    ]);
    const missing = await fetch(`${listApi()}/9999`);
    expect(missing.status).toBe(404);
    const bad = await fetch(`${listApi()}?limit=100000`);
    expect(bad.status).toBe(400);
  });
});
