// A packer at a browser station completes three orders by scanning, the way a keyboard-wedge scanner
// types; a wrong item and an over-scan are refused, and every outcome is shown and sounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserMissing,
  dataFolder,
  openBrowser,
  scan,
  screenshot,
  seedThroughApi,
  serve,
  sounds,
  soundsAfter,
  type Served,
  type Station,
} from './harness.js';

describe.skipIf(browserMissing())('packer mode in Chromium', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let server: Served;
  let browser: Station;
  let session: string;

  beforeAll(async () => {
    folder = await dataFolder();
    server = await serve(folder.root, folder.config, 'PACK1');
    session = await seedThroughApi(
      server.url,
      'SHOP',
      [
        {
          order_number: '#1001',
          items: [
            { sku: 'MUG-RED', quantity: 1 },
            { sku: 'TEA-GREEN', quantity: 2 },
          ],
        },
        { order_number: '#1002', items: [{ sku: 'MUG-BLUE', quantity: 1 }] },
        {
          order_number: '#1003',
          items: [
            { sku: 'MUG-RED', quantity: 1 },
            { sku: 'MUG-BLUE', quantity: 1 },
          ],
        },
      ],
      { '4006381333931': 'MUG-RED' },
    );
    browser = await openBrowser(`${server.url}/#/pack?client=SHOP&session=${session}&list=DHL`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await folder?.cleanup();
  });

  it('takes scans wherever focus is, refuses a wrong item and an over-scan, and plays the matching sound for each', async () => {
    const page = browser.page;
    await page.getByTestId('worker-input').fill('Ann');
    await page.getByRole('button', { name: 'Start packing' }).click();
    await page.getByTestId('packer').waitFor();
    await expect(page.getByTestId('worker-name').textContent()).resolves.toBe('Ann');
    // Focus on a command button must not swallow the scan's Enter.
    await page.getByRole('button', { name: /Undo last/ }).focus();

    const steps: Array<[text: string, kind: string, sound: string]> = [
      ['1001', 'order_opened', 'open'],
      ['4006381333931', 'item_ok', 'ok'],
      ['MUG-BLUE', 'wrong_item', 'wrong'],
      ['TEA-GREEN', 'item_ok', 'ok'],
      ['TEA-GREEN', 'order_complete', 'complete'],
      ['#1002', 'order_opened', 'open'],
      ['NOPE-404', 'unknown_barcode', 'unknown'],
      ['MUG-BLUE', 'order_complete', 'complete'],
      ['1003', 'order_opened', 'open'],
      ['MUG-RED', 'item_ok', 'ok'],
      ['MUG-RED', 'overscan', 'overscan'],
      ['MUG-BLUE', 'order_complete', 'complete'],
    ];
    for (const [i, [text, kind, sound]] of steps.entries()) {
      await scan(page, text);
      await soundsAfter(page, i);
      const status = page.getByTestId('status');
      expect(await status.getAttribute('data-kind'), `after scanning ${text}`).toBe(kind);
      expect((await sounds(page))[i], `sound after ${text}`).toBe(sound);
      expect(await page.locator('body').getAttribute('data-last-sound')).toBe(sound);
      if (kind === 'wrong_item') {
        expect(await status.textContent()).toMatch(/MUG-BLUE/i);
        // Refused: the open order's lines and the list's count did not move, and no line was added.
        expect(await page.locator('tr[data-sku]').count()).toBe(2);
        await expect(page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).resolves.toBe('1/1');
        await expect(page.locator('tr[data-sku="TEA-GREEN"] td.num').textContent()).resolves.toBe('0/2');
        await expect(page.getByTestId('progress').textContent()).resolves.toMatch(
          /^0\/3 orders · 1\/6 items/,
        );
      }
      if (kind === 'overscan') {
        await expect(page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).resolves.toBe('1/1');
        await screenshot(page, 'packer-overscan');
      }
      if (i === 1) await screenshot(page, 'packer-mode');
    }
    await expect(page.getByTestId('progress').textContent()).resolves.toMatch(/^3\/3 orders · 6\/6 items/);
    // Every acknowledged scan is in the journal on the share: the report built from it (without the
    // station's memory) counts all of them.
    const summary = (await (
      await fetch(`${server.url}/api/clients/SHOP/sessions/${session}/lists/DHL/report?file=summary`)
    ).json()) as Record<string, unknown>;
    expect(summary).toMatchObject({
      orders_completed: 3,
      items_packed: 6,
      overscans: 1,
      wrong_items: 1,
      unknown_scans: 1,
    });
    const res = await fetch(`${server.url}/api/clients/SHOP/sessions/${session}`);
    const view = (await res.json()) as { lists: Array<{ state: string; holder: { worker: string } | null }> };
    expect(view.lists[0]!.state).toBe('active');
    expect(view.lists[0]!.holder?.worker).toBe('Ann');
  });

  it('shows the session browser and the dashboard readably at 1366×768', async () => {
    const page = browser.page;
    await page.goto(`${server.url}/#/sessions`);
    await page.getByTestId(`list-${session}-DHL`).waitFor();
    await expect(page.getByTestId(`list-${session}-DHL`).getByTestId('state').textContent()).resolves.toBe(
      'Active',
    );
    await screenshot(page, 'session-browser');
    await page.goto(`${server.url}/#/stats`);
    await page.getByTestId('station-card').filter({ hasText: '3/3 orders' }).waitFor();
    await screenshot(page, 'dashboard-live');

    // Closing the station ends its sitting and writes the sitting record the charts are drawn from.
    await page.goto(`${server.url}/#/pack?client=SHOP&session=${session}&list=DHL`);
    await page.getByTestId('packer').waitFor();
    await page.getByRole('button', { name: 'Close (pause list)' }).click();
    await page.getByTestId('sessions').waitFor();
    await page.goto(`${server.url}/#/stats`);
    await page.getByTestId('chart-worker').locator('rect').first().waitFor();
    await expect(page.getByTestId('chart-worker').textContent()).resolves.toMatch(/Ann/);
    await screenshot(page, 'dashboard');
  });

  it('asks for a click to enable sound while the browser keeps audio off, and the first key press enables it', async () => {
    for (const unlock of ['click', 'key'] as const) {
      const quiet = await openBrowser(`${server.url}/#/sessions`, { autoplay: false });
      try {
        const banner = quiet.page.getByTestId('sound-banner');
        await banner.waitFor();
        if (unlock === 'click') await banner.click();
        else await quiet.page.keyboard.press('KeyA');
        await banner.waitFor({ state: 'detached' });
        expect(await quiet.page.locator('body').getAttribute('data-sound-state')).toBe('running');
      } finally {
        await quiet.close();
      }
    }
  });

  it('chooses the worker with a PIN, creates a session from an uploaded list, and edits mappings in the browser', async () => {
    const page = browser.page;
    await fetch(`${server.url}/api/workers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Pia', pin: '2468' }),
    });
    await page.goto(`${server.url}/#/workers`);
    await page.getByTestId('worker-Pia').click();
    await page.locator('input[type=password]').fill('1111');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('Wrong PIN for Pia').waitFor();
    await page.locator('input[type=password]').fill('2468');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByTestId('worker-name').filter({ hasText: 'Pia' }).waitFor();
    await screenshot(page, 'workers');

    await page.goto(`${server.url}/#/sessions`);
    await expect.poll(() => page.getByTestId('upload-list').isEnabled()).toBe(true);
    await page.getByTestId('upload-list').setInputFiles({
      name: 'UPS evening.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Order_Number,SKU,Product_Name,Quantity,Courier\n#5001,MUG-RED,Mug,1,UPS\n#5002,TEA-GREEN,Tea,3,UPS\n',
      ),
    });
    await page.getByTestId('notice').filter({ hasText: 'created from UPS evening.csv' }).waitFor();
    await page.locator('td.list-name', { hasText: 'UPS_evening' }).waitFor();

    await page.goto(`${server.url}/#/clients?client=SHOP`);
    await page.getByTestId('map-barcode').fill('8710103807266');
    await page.getByTestId('map-sku').fill('TEA-GREEN');
    await page.getByTestId('map-add').click();
    await page.getByRole('cell', { name: '8710103807266' }).waitFor();
    await screenshot(page, 'clients-and-mappings');
  });

  it('has a scanner check page that reads the test code', async () => {
    const page = browser.page;
    await page.goto(`${server.url}/#/scanner`);
    await page.getByTestId('scanner-check').waitFor();
    await scan(page, 'PD-Test-1234_5');
    const result = page.getByTestId('scanner-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Read as PD-Test-1234_5: correct/);
    await screenshot(page, 'scanner-check');
  });
});
