// Packing without the mouse: the picker starts on the station's last client with the first list
// focused, a worker badge signs in (asking the PIN when the worker has one), and a scan after a
// stray click on another page is taken back to the station — or refused out loud when this tab has
// no list open, never dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserMissing,
  dataFolder,
  openBrowser,
  scan,
  scanAndWait,
  screenshot,
  seedThroughApi,
  serve,
  sounds,
  soundsAfter,
  type Served,
  type Station,
} from './harness.js';

const ORDERS = [
  { order_number: '#5001', items: [{ sku: 'MUG-RED', quantity: 1 }] },
  {
    order_number: '#5002',
    items: [{ sku: 'MUG-BLUE', quantity: 2 }],
    metadata: { note: 'Gift wrap, no invoice', country: 'DE', repeat_customer: true, box: '' },
  },
];

describe.skipIf(browserMissing())('packing without a mouse', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let server: Served;
  let browser: Station;
  let session: string;

  beforeAll(async () => {
    folder = await dataFolder();
    server = await serve(folder.root, folder.config, 'KEYS1');
    // A client that sorts first, so the picker has to remember the other one.
    await seedThroughApi(server.url, 'AAA', ORDERS);
    session = await seedThroughApi(server.url, 'SHOP', ORDERS);
    for (const worker of [{ name: 'Ann' }, { name: 'Pia', pin: '2468' }]) {
      const res = await fetch(`${server.url}/api/workers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(worker),
      });
      expect(res.status).toBe(201);
    }
    browser = await openBrowser(`${server.url}/#/pack?client=SHOP&session=${session}&list=DHL`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await folder?.cleanup();
  });

  it('signs a worker in by badge, and switches to another worker by badge with a PIN', async () => {
    const page = browser.page;
    await page.getByTestId('worker-prompt').waitFor();
    await scan(page, 'NOBODY');
    await page.getByTestId('worker-note').filter({ hasText: 'no worker badge' }).waitFor();
    await scan(page, 'W001');
    await page.getByTestId('packer').waitFor();
    await expect(page.getByTestId('worker-name').textContent()).resolves.toBe('Ann');
    // Nothing open yet: the screen says which orders to scan.
    await expect(page.getByTestId('next-orders').textContent()).resolves.toMatch(/#5001, #5002/);
    await scanAndWait(browser, '5002', 'order_opened');
    // What the list says about the order, where the packer looks.
    const details = await page.getByTestId('order-details').textContent();
    expect(details).toMatch(/noteGift wrap, no invoice/);
    expect(details).toMatch(/countryDE/);
    expect(details).toMatch(/repeat customeryes/);
    expect(details).not.toMatch(/box/);
    await screenshot(page, 'packer-order-details');
    await scanAndWait(browser, 'MUG-BLUE', 'item_ok');

    // Pia's badge asks her PIN; a wrong one is refused by the server's check.
    await scan(page, '!WORKER pia');
    await page.getByTestId('badge-pin').waitFor();
    await page.keyboard.type('1111');
    await page.keyboard.press('Enter');
    await page
      .getByTestId('badge-pin')
      .locator('.problem')
      .filter({ hasText: /Wrong PIN/ })
      .waitFor();
    await screenshot(page, 'no-mouse-badge-pin');
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('worker-name').filter({ hasText: 'Pia' }).waitFor();
    await page.getByTestId('packer').waitFor();
    // The open order carried over to her, and the station now packs as Pia.
    await expect(page.locator('tr[data-sku="MUG-BLUE"] td.num').textContent()).resolves.toBe('1/2');
    await scanAndWait(browser, 'MUG-BLUE', 'order_complete');
    await page.getByTestId('next-orders').filter({ hasText: '#5001' }).waitFor();
    expect(await page.getByTestId('next-orders').textContent()).not.toMatch(/#5002/);
    const state = (await (await fetch(`${server.url}/api/stations`)).json()) as {
      stations: Array<{ worker: string; lease: { state: string } }>;
    };
    expect(state.stations.filter((s) => s.lease.state === 'held').map((s) => s.worker)).toEqual(['Pia']);
  });

  it('takes a scan after a stray click on another page back to the station', async () => {
    const page = browser.page;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByTestId('sessions').waitFor();
    // Scan once the page has drawn its sessions, as a packer would: in one CI run on a busy machine a
    // scan typed while the page was still loading was never taken to the station.
    await page.locator('[data-testid^="list-"]').first().waitFor();
    const before = (await sounds(page)).length;
    await scan(page, '5001');
    await page.getByTestId('packer').waitFor();
    await soundsAfter(page, before);
    await expect
      .poll(() => page.getByTestId('status').getAttribute('data-kind'), {
        message: 'the scan reached the station',
      })
      .toBe('order_opened');
    await scanAndWait(browser, 'MUG-RED', 'order_complete');
  });

  it('opens the last client’s list from the picker with the keyboard alone', async () => {
    const page = browser.page;
    await page.goto(`${server.url}/#/pack`);
    await page.getByTestId('picker').waitFor();
    await expect.poll(() => page.getByTestId('picker-client').inputValue()).toBe('SHOP');
    await expect
      .poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""'))
      .toMatch(/^DHL/);
    await screenshot(page, 'no-mouse-picker');
    await page.keyboard.press('Enter');
    await page.getByTestId('packer').waitFor();
    await expect(page.getByTestId('progress').textContent()).resolves.toMatch(/^2\/2 orders/);
  });

  it('refuses out loud a scan on another page when this tab has no list open', async () => {
    const other = await openBrowser(`${server.url}/#/sessions`);
    try {
      await other.page.getByTestId('sessions').waitFor();
      await scan(other.page, '5001');
      await other.page.getByTestId('stray-scan').filter({ hasText: '"5001"' }).waitFor();
      expect((await sounds(other.page)).at(-1)).toBe('refused');
      await screenshot(other.page, 'no-mouse-stray-scan-refused');
    } finally {
      await other.close();
    }
  });
});
