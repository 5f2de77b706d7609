// Two browser stations on one packing list: the second is told who holds it; a mapping added in one
// browser works in the other's open list; a force release stops the holder at once; a station whose
// server is killed with kill -9 is taken over from another browser with nothing lost.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { smbRig } from '../helpers/smb-rig.js';
import { waitFor } from '../helpers/wait.js';
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
  type Station,
} from './harness.js';
import { mkdir, rm } from 'node:fs/promises';
import { runCliJson } from '../helpers/cli.js';

const ORDERS = [
  {
    order_number: '#2001',
    items: [
      { sku: 'MUG-RED', quantity: 2 },
      { sku: 'TEA-GREEN', quantity: 1 },
    ],
  },
  { order_number: '#2002', items: [{ sku: 'MUG-BLUE', quantity: 1 }] },
];

async function startPacking(browser: Station, url: string, session: string, worker: string): Promise<void> {
  const page = browser.page;
  await page.goto(`${url}/#/pack?client=SHOP&session=${session}&list=DHL`);
  await page.getByTestId('worker-input').fill(worker);
  await page.getByRole('button', { name: 'Start packing' }).click();
}

async function scanAndWait(browser: Station, text: string, kind: string): Promise<void> {
  const before = (await sounds(browser.page)).length;
  await scan(browser.page, text);
  await soundsAfter(browser.page, before);
  expect(await browser.page.getByTestId('status').getAttribute('data-kind'), `after ${text}`).toBe(kind);
}

describe.skipIf(browserMissing())('two browser stations on one list', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    cleanups.length = 0;
  });

  it('tells the second station who holds the list, shares a new mapping, and a force release stops the holder at once', async () => {
    const folder = await dataFolder();
    cleanups.push(folder.cleanup);
    const server = await serve(folder.root, folder.config, 'HUB');
    cleanups.push(server.stop);
    const session = await seedThroughApi(server.url, 'SHOP', ORDERS);
    const a = await openBrowser(server.url);
    cleanups.push(a.close);
    const b = await openBrowser(server.url);
    cleanups.push(b.close);

    await startPacking(a, server.url, session, 'Ann');
    await a.page.getByTestId('packer').waitFor();
    await scanAndWait(a, '2001', 'order_opened');
    const stationA = (await a.page.locator('.station-name').textContent())!.trim();

    await startPacking(b, server.url, session, 'Bob');
    await b.page.getByTestId('locked').waitFor();
    expect(await b.page.getByTestId('holder-station').textContent()).toBe(stationA);
    expect(await b.page.getByTestId('locked').textContent()).toMatch(/Ann/);
    await screenshot(b.page, 'second-station-locked');

    // A shift lead at browser B maps a new barcode; A's open list accepts it.
    await b.page.goto(`${server.url}/#/clients?client=SHOP`);
    await b.page.getByTestId('map-barcode').fill('777000111');
    await b.page.getByTestId('map-sku').fill('TEA-GREEN');
    await b.page.getByTestId('map-add').click();
    await b.page.getByTestId('map-note').filter({ hasText: 'Saved' }).waitFor();
    await scanAndWait(a, '777000111', 'item_ok');
    expect(await a.page.locator('tr[data-sku="TEA-GREEN"] td.num').textContent()).toBe('1/1');

    // B force-releases the list; A says so at once and refuses further scans.
    await b.page.goto(`${server.url}/#/sessions`);
    await b.page
      .getByTestId(`list-${session}-DHL`)
      .getByRole('button', { name: /Force release/ })
      .click();
    await b.page.getByTestId('release-reason').fill('station needed elsewhere');
    await b.page.getByTestId('release-confirm').click();
    await a.page.getByTestId('lease-lost').waitFor({ timeout: 5_000 });
    await screenshot(a.page, 'packer-lease-lost');
    const heard = (await sounds(a.page)).length;
    await scan(a.page, 'MUG-RED');
    await waitFor(async () => (await sounds(a.page)).length > heard, 'the refusal sound');
    expect((await sounds(a.page)).at(-1)).toBe('refused');
    expect(await a.page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).toBe('0/2');
  });

  const places: Array<
    [string, () => Promise<{ root1: string; root2: string; config: string; cleanup(): Promise<void> } | null>]
  > = [
    [
      'on a local folder',
      async () => {
        const f = await dataFolder();
        return { root1: f.root, root2: f.root, config: f.config, cleanup: f.cleanup };
      },
    ],
    [
      'over SMB from two PCs',
      async () => {
        const rig = smbRig();
        if (!rig) return null;
        const f = await dataFolder();
        const rel = `e2e-${process.pid}-${Date.now()}`;
        await mkdir(path.join(rig.pc1, rel));
        await runCliJson(['init', '--root', path.join(rig.pc1, rel, 'data'), '--config', f.config]);
        const cleanup = async () => {
          await rm(path.join(rig.pc1, rel), { recursive: true, force: true });
          await f.cleanup();
        };
        return {
          root1: path.join(rig.pc1, rel, 'data'),
          root2: path.join(rig.pc2, rel, 'data'),
          config: f.config,
          cleanup,
        };
      },
    ],
  ];

  for (const [where, place] of places) {
    it(`takes over a list from a station killed with kill -9, ${where}, with nothing lost`, async (t) => {
      const p = await place();
      if (!p) return t.skip();
      cleanups.push(p.cleanup);
      const s1 = await serve(p.root1, p.config, 'PC1');
      cleanups.push(s1.stop);
      const s2 = await serve(p.root2, p.config, 'PC2');
      cleanups.push(s2.stop);
      const session = await seedThroughApi(s1.url, 'SHOP', ORDERS);
      const a = await openBrowser(s1.url);
      cleanups.push(a.close);
      const b = await openBrowser(s2.url);
      cleanups.push(b.close);

      await startPacking(a, s1.url, session, 'Ann');
      await a.page.getByTestId('packer').waitFor();
      await scanAndWait(a, '2001', 'order_opened');
      await scanAndWait(a, 'MUG-RED', 'item_ok');
      await scanAndWait(a, 'MUG-RED', 'item_ok');
      s1.process.kill('SIGKILL');
      await waitFor(() => s1.process.signalCode === 'SIGKILL', 'station 1 to die');

      await startPacking(b, s2.url, session, 'Bob');
      await b.page.getByTestId('locked').waitFor();
      await b.page.getByTestId('take-over').click();
      await b.page.getByTestId('packer').waitFor({ timeout: 20_000 });
      // The acknowledged scans of the killed station are all there.
      expect(await b.page.getByTestId('progress').textContent()).toMatch(/^0\/2 orders · 2\/4 items/);
      // The order that was open at the killed station is still open, with its two scans.
      expect(await b.page.getByTestId('order-number').textContent()).toBe('Order #2001');
      expect(await b.page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).toBe('2/2');
      await scanAndWait(b, 'TEA-GREEN', 'order_complete');
      await scanAndWait(b, '2002', 'order_opened');
      await scanAndWait(b, 'MUG-BLUE', 'order_complete');
      expect(await b.page.getByTestId('progress').textContent()).toMatch(/^2\/2 orders · 4\/4 items/);
      const summary = (await (
        await fetch(`${s2.url}/api/clients/SHOP/sessions/${session}/lists/DHL/report?file=summary`)
      ).json()) as Record<string, unknown>;
      expect(summary).toMatchObject({ orders_completed: 2, items_packed: 4 });
    });
  }
});
