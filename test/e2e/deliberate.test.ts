// Ending and completing are deliberate: F8 with orders left asks first (a second F8 ends), an ended
// list is reopened from the picker with a second press (and the journal records who reopened it),
// and a unit confirmed by hand needs the client's permission and a reason, and then shows as "by
// hand" in the band, in packing_completed.xlsx and in the statistics.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
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
  startPacking,
  type Served,
  type Station,
} from './harness.js';

const ORDERS = [
  { order_number: '#3001', items: [{ sku: 'MUG-RED', quantity: 1 }] },
  {
    order_number: '#3002',
    items: [
      { sku: 'TEA-GREEN', quantity: 2 },
      { sku: 'MUG-BLUE', quantity: 1 },
    ],
  },
  { order_number: '#3003', items: [{ sku: 'MUG-BLUE', quantity: 1 }] },
];

describe.skipIf(browserMissing())('ending and completing on purpose', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let server: Served;
  let browser: Station;
  let session: string;

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

  const press = async (key: string, kind: string) => {
    const before = (await sounds(browser.page)).length;
    await browser.page.keyboard.press(key);
    await soundsAfter(browser.page, before);
    expect(await browser.page.getByTestId('status').getAttribute('data-kind'), `after ${key}`).toBe(kind);
  };

  it('confirms one unit by hand with a reason, and shows the order as done by hand', async () => {
    const page = browser.page;
    await startPacking(browser, server.url, session, 'Ann');
    await page.getByTestId('packer').waitFor();
    await scanAndWait(browser, '3002', 'order_opened');
    // Two units at once are refused by the default rule (one unit at a time), and so is no reason.
    await scanAndWait(browser, '!CONFIRM TEA-GREEN 2 UNREADABLE', 'confirm_not_allowed');
    await scanAndWait(browser, '!CONFIRM TEA-GREEN', 'invalid_command');
    await scanAndWait(browser, 'TEA-GREEN', 'item_ok');
    await scanAndWait(browser, '!CONFIRM TEA-GREEN 1 UNREADABLE', 'confirmed_manually');
    expect(await page.getByTestId('band-word').textContent()).toBe('BY HAND');
    expect(await page.locator('tr[data-sku="TEA-GREEN"] td.num').textContent()).toBe('2/2');
    await screenshot(page, 'deliberate-confirmed-by-hand');
    // The line's own control, then the reason by its key.
    await page.getByTestId('confirm-MUG-BLUE').click();
    await page.getByTestId('confirm-line').waitFor();
    await screenshot(page, 'deliberate-confirm-reason');
    await press('2', 'order_complete_manual');
    expect(await page.getByTestId('band-word').textContent()).toBe('DONE BY HAND');
    expect((await sounds(page)).at(-1)).toBe('manual');
    await screenshot(page, 'deliberate-done-by-hand');
    await scanAndWait(browser, '3001', 'order_opened');
    await scanAndWait(browser, 'MUG-RED', 'order_complete');
  });

  it('asks before ending a list with orders left; anything else in between keeps packing', async () => {
    const page = browser.page;
    await press('F8', 'end_needs_confirm');
    expect(await page.getByTestId('band-message').textContent()).toMatch(/1 order of 3 not done yet/);
    await screenshot(page, 'deliberate-end-asks');
    await scanAndWait(browser, '3003', 'order_opened');
    await press('F8', 'end_needs_confirm');
    await press('F8', 'ended');
    await page.getByTestId('list-ended').waitFor();
  });

  it('reports and counts the order done by hand as such', async () => {
    const xlsx = await fetch(`${server.url}/api/clients/SHOP/sessions/${session}/lists/DHL/report`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const status = (row: number) => [sheet.getRow(row).getCell(1).value, sheet.getRow(row).getCell(3).value];
    expect([status(2), status(3), status(4)]).toEqual([
      ['#3001', 'Completed'],
      ['#3002', 'Completed (confirmed by hand)'],
      ['#3003', 'In progress'],
    ]);
    // "Completed at" is a real Excel date, in the local clock time of the station that wrote it.
    const completedAt = sheet.getRow(2).getCell(6);
    expect(completedAt.value).toBeInstanceOf(Date);
    expect(completedAt.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    const wall = completedAt.value as Date;
    const local = new Date(wall.getTime() + new Date().getTimezoneOffset() * 60_000);
    expect(Math.abs(Date.now() - local.getTime())).toBeLessThan(10 * 60_000);
    expect(sheet.getRow(4).getCell(6).value).toBe('');
    const stats = (await (await fetch(`${server.url}/api/stats?client=SHOP`)).json()) as {
      report: { totals: { orders_completed: number; orders_manual: number; orders_forced: number } };
    };
    expect(stats.report.totals).toMatchObject({ orders_completed: 2, orders_manual: 1, orders_forced: 0 });
  });

  it('reopens the ended list from the picker with a second press, recorded in its journal', async () => {
    const page = browser.page;
    await page.goto(`${server.url}/#/pack`);
    const reopen = page.getByTestId('reopen-DHL');
    await reopen.waitFor();
    await expect(page.getByTestId('picker-empty').textContent()).resolves.toMatch(/ended/);
    await reopen.focus();
    await page.keyboard.press('Enter');
    await expect(reopen.textContent()).resolves.toMatch(/Press again to reopen DHL \(2 of 3 orders done\)/);
    await screenshot(page, 'deliberate-reopen-asks');
    await page.keyboard.press('Enter');
    await page.getByTestId('packer').waitFor();
    await expect(page.getByTestId('progress').textContent()).resolves.toMatch(/^2\/3 orders/);
    await scanAndWait(browser, '3003', 'order_opened');
    await scanAndWait(browser, 'MUG-BLUE', 'order_complete');
    // Every order done: ending needs no second press, and the screen offers it.
    await page.getByTestId('all-done').waitFor();
    await press('F8', 'ended');

    const journalDir = path.join(folder.root, 'SESSIONS', 'CLIENT_SHOP', session, 'packing', 'DHL');
    const lines: string[] = [];
    for (const dir of await readdir(journalDir, { recursive: true, withFileTypes: true }))
      if (dir.isFile() && dir.name.startsWith('segment.') && dir.name.endsWith('.jsonl'))
        lines.push(...(await readFile(path.join(dir.parentPath, dir.name), 'utf8')).split('\n'));
    const reopened = lines.filter((l) => l.includes('"list_reopened"'));
    expect(reopened, 'one reopening in the journal').toHaveLength(1);
    expect(JSON.parse(reopened[0]!)).toMatchObject({ station: expect.any(String), worker: 'Ann' });
  });

  it('refuses a confirmation by hand where the client does not allow it', async () => {
    const strict = await seedThroughApi(server.url, 'STRICT', ORDERS);
    const res = await fetch(`${server.url}/api/clients/STRICT/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ packing_rules: { allow_force_complete: false, manual_confirm: 'off' } }),
    });
    expect(res.status).toBe(200);
    const page = browser.page;
    await page.goto(`${server.url}/#/pack?client=STRICT&session=${strict}&list=DHL`);
    await page.getByTestId('packer').waitFor();
    await scanAndWait(browser, '3001', 'order_opened');
    expect(await page.getByTestId('confirm-MUG-RED').count()).toBe(0);
    await press('F3', 'confirm_not_allowed');
    expect(await page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).toBe('0/1');
    await scan(page, '!CONFIRM MUG-RED UNREADABLE');
    await page
      .getByTestId('band-message')
      .filter({ hasText: 'does not allow confirming items by hand' })
      .waitFor();
    await screenshot(page, 'deliberate-confirm-refused');
  });
});
