// The shift lead's morning in the browser: upload a Shopify-shaped export and a stock file, see what
// each file is, run, read the counts, filter and search the orders, hold and release an order (counts
// and stock follow, undo restores them), then pack a generated list at a second browser; an edit
// that would change that list is refused naming the station; a refused upload lists its row errors.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ordersCsv, stockCsv } from '../helpers/preparation.js';
import { waitFor } from '../helpers/wait.js';
import {
  browserMissing,
  cleanUpAfterEach,
  dataFolder,
  openBrowser,
  scanAndWait,
  screenshot,
  serve,
} from './harness.js';

const ORDERS = ordersCsv([
  { order: '#1001', method: 'DHL Express', lines: [{ sku: 'MUG', qty: 2 }, { sku: 'TEA' }] },
  { order: '#1002', method: 'DPD Classic', country: 'DE', lines: [{ sku: 'MUG' }] },
  { order: '#1003', method: 'DHL Express', lines: [{ sku: 'LAMP' }] },
  {
    order: '#1004',
    method: 'Speedy',
    tags: 'vip',
    email: 'mara.ivanova@example.com',
    customer: 'Mara Ivanova',
    lines: [{ sku: 'TEA', qty: 2 }],
  },
  { order: '#1005', method: 'DHL Express', lines: [{ sku: 'TEA' }] },
]);
const STOCK = stockCsv({ MUG: 3, TEA: 4, LAMP: 0 });

async function post(url: string, p: string, body: unknown, method = 'POST') {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
}

async function text(page: Page, testid: string): Promise<string> {
  return (await page.getByTestId(testid).innerText()).replace(/\s+/g, ' ').trim();
}

async function shots(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-1366`);
  await page.setViewportSize({ width: 1024, height: 768 });
  await screenshot(page, `${name}-1024`);
  await page.setViewportSize({ width: 1366, height: 768 });
}

/** Waits on a condition with the browser tests' deadline (a busy machine needs more than a second). */
function poll<T>(fn: () => Promise<T> | T) {
  return expect.poll(fn, { timeout: 15_000, interval: 100 });
}

/** Whether the bar's items sit on one line and none is cut off, at the page's current width. */
async function onOneLine(page: Page, testid: string): Promise<{ lines: number; overflows: boolean }> {
  return page.getByTestId(testid).evaluate((bar) => {
    const tops = new Set(
      [...bar.children]
        .map((c) => c.getBoundingClientRect())
        .filter((r) => r.width > 0)
        .map((r) => Math.round(r.top + r.height / 2)),
    );
    return { lines: tops.size, overflows: bar.scrollWidth > bar.clientWidth + 1 };
  });
}

async function orderRows(page: Page): Promise<string[]> {
  return page
    .getByTestId('order-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-order') ?? ''));
}

describe.skipIf(browserMissing())('preparing the day in the browser', () => {
  const cleanups = cleanUpAfterEach();

  async function start() {
    const folder = await dataFolder();
    cleanups.push(folder.cleanup);
    const server = await serve(folder.root, folder.config, 'LEAD');
    cleanups.push(server.stop);
    await post(server.url, '/api/clients', { client_id: 'SHOP', client_name: 'Shop' });
    await post(server.url, '/api/clients/SHOP/settings', { courier_deadlines: { DHL: '15:00' } }, 'PUT');
    const files = {
      orders: path.join(folder.dir, 'orders_export.csv'),
      stock: path.join(folder.dir, 'stock.csv'),
    };
    await writeFile(files.orders, ORDERS);
    await writeFile(files.stock, STOCK);
    return { folder, url: server.url, files };
  }

  it('uploads, runs, filters, edits with undo, and packs a generated list; a packed list refuses edits', async () => {
    const { url, files } = await start();
    const lead = await openBrowser(`${url}/#/prepare?client=SHOP`);
    cleanups.push(lead.close);
    const page = lead.page;
    await page.getByTestId('prepare-files').setInputFiles([files.orders, files.stock]);
    const rows = page.getByTestId('prepare-file');
    await poll(() => rows.count()).toBe(2);
    await poll(() => text(page, 'prepare-file-list')).toMatch(
      /orders_export\.csv .* CSV, UTF-8, comma separated 6 .*stock\.csv .* CSV, UTF-8 with BOM, semicolon separated 3/,
    );
    expect(await page.getByRole('combobox', { name: 'What orders_export.csv is' }).inputValue()).toBe(
      'orders',
    );
    expect(await page.getByRole('combobox', { name: 'What stock.csv is' }).inputValue()).toBe('stock');
    await shots(page, 'prepare-upload');

    await page.getByTestId('run-analysis').click();
    await page.getByTestId('analysis').waitFor();
    expect(await text(page, 'count-orders')).toBe('5 orders');
    expect(await text(page, 'count-fulfillable')).toBe('4 fulfillable');
    expect(await text(page, 'count-not-fulfillable')).toBe('1 not fulfillable');
    expect(await page.getByTestId('short-chart').innerText()).toMatch(/LAMP|orders stopped/);
    expect(await text(page, 'couriers')).toMatch(/DHL 3 2 4 15:00/);
    await poll(() => orderRows(page)).toEqual(['#1001', '#1002', '#1003', '#1004', '#1005']);
    // Not fulfillable rows carry a text label, not only a colour.
    const lamp = page.locator('[data-testid="order-row"][data-order="#1003"]');
    expect(await lamp.getAttribute('data-status')).toBe('not_fulfillable');
    expect(await lamp.innerText()).toMatch(/Not fulfillable/);
    expect(await lamp.innerText()).toMatch(/LAMP: need 1, have 0/);
    await shots(page, 'prepare-analysis');

    // Filter by courier; a mouse wheel over the focused dropdown does not change it.
    const courier = page.getByTestId('filter-courier');
    await courier.selectOption('DHL');
    await poll(() => orderRows(page)).toEqual(['#1001', '#1003', '#1005']);
    await courier.focus();
    await courier.hover();
    await page.mouse.wheel(0, 300);
    await page.mouse.wheel(0, -300);
    expect(await courier.inputValue()).toBe('DHL');
    await page.getByTestId('orders-search').fill('tea');
    await poll(() => orderRows(page)).toEqual(['#1001', '#1005']);
    await page.getByTestId('orders-search').fill('');
    await courier.selectOption('*');
    await poll(() => orderRows(page)).toHaveLength(5);
    // By customer: e-mail or name.
    await page.getByTestId('orders-search').fill('ivanova@example');
    await poll(() => orderRows(page)).toEqual(['#1004']);
    await page.getByTestId('orders-search').fill('mara ivanova');
    await poll(() => orderRows(page)).toEqual(['#1004']);
    await page.getByTestId('orders-search').fill('');
    await poll(() => orderRows(page)).toHaveLength(5);

    // Hold #1001: its mug and tea go back to stock, counts change; undo restores both.
    await page.locator('[data-testid="order-row"][data-order="#1001"]').click();
    const detail = page.getByTestId('order-detail');
    const mugStock = detail.locator(
      '[data-testid="detail-line"][data-sku="MUG"] [data-testid="detail-stock"]',
    );
    expect(await mugStock.innerText()).toBe('3 → 0');
    await shots(page, 'prepare-order-detail');
    await page.getByTestId('hold-order').click();
    await poll(() => text(page, 'count-held')).toBe('1 held');
    expect(await text(page, 'count-fulfillable')).toBe('3 fulfillable');
    await poll(() => mugStock.innerText()).toBe('3 → 2');
    expect(await text(page, 'detail-status')).toBe('Held');
    await poll(() => text(page, 'activity')).toMatch(/held order #1001/);
    await page.getByTestId('undo-last').click();
    await poll(() => text(page, 'count-held')).toBe('0 held');
    expect(await text(page, 'count-fulfillable')).toBe('4 fulfillable');
    await poll(() => mugStock.innerText()).toBe('3 → 0');
    // Hold again, then release by hand.
    await page.getByTestId('hold-order').click();
    await poll(() => text(page, 'detail-status')).toBe('Held');
    await page.getByTestId('release-order').click();
    await poll(() => text(page, 'detail-status')).toBe('Fulfillable');
    expect(await text(page, 'count-fulfillable')).toBe('4 fulfillable');
    expect(await mugStock.innerText()).toBe('3 → 0');
    await page.getByRole('button', { name: 'Close the order' }).click();

    // Bulk: hold every DHL order in one change; one undo takes all of it back.
    await courier.selectOption('DHL');
    await poll(() => orderRows(page)).toEqual(['#1001', '#1003', '#1005']);
    await page.getByTestId('bulk-hold-filter').click();
    await poll(() => text(page, 'count-held')).toBe('3 held');
    await poll(() => text(page, 'activity')).toMatch(/held 3 orders/);
    await poll(() => text(page, 'undo-last')).toMatch(/held 3 orders/);
    // On a 1024×768 tablet the bulk bar, undo button included, stays on one line.
    await page.setViewportSize({ width: 1024, height: 768 });
    expect(await onOneLine(page, 'bulk-bar')).toEqual({ lines: 1, overflows: false });
    await page.getByTestId('bulk-tag-input').fill('a-rather-long-tag-for-the-box');
    expect(await onOneLine(page, 'bulk-bar')).toEqual({ lines: 1, overflows: false });
    await page.getByTestId('bulk-tag-input').fill('');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('bulk-bar').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shots(page, 'prepare-bulk-bar');
    await page.getByTestId('undo-last').click();
    await poll(() => text(page, 'count-held')).toBe('0 held');
    expect(await text(page, 'count-fulfillable')).toBe('4 fulfillable');
    await courier.selectOption('*');
    await poll(() => orderRows(page)).toHaveLength(5);

    // A second browser opens the generated DHL list from the analysis page and packs an order.
    const packer = await openBrowser(page.url());
    cleanups.push(packer.close);
    await packer.page.locator('[data-testid="list-row"][data-list="DHL"] [data-testid="pack-list"]').click();
    await packer.page.getByTestId('worker-input').fill('Ann');
    await packer.page.getByRole('button', { name: 'Start packing' }).click();
    await packer.page.getByTestId('packer').waitFor();
    await scanAndWait(packer, '1005', 'order_opened');
    await scanAndWait(packer, 'TEA', 'order_complete');
    const packerStation = (await packer.page.getByTestId('station-name').innerText()).trim();

    // The lead's edit that would change the list being packed is refused, naming list and station.
    await page.locator('[data-testid="order-row"][data-order="#1001"]').click();
    await page.getByTestId('hold-order').click();
    const refused = page.getByTestId('edit-refused');
    await refused.waitFor();
    expect(await refused.innerText()).toMatch(/DHL/);
    expect(await refused.innerText()).toContain(packerStation);
    expect(await text(page, 'count-held')).toBe('0 held');
    await shots(page, 'prepare-edit-refused');
    // An order on another list still changes.
    await page.getByRole('button', { name: 'Close the order' }).click();
    await page.locator('[data-testid="order-row"][data-order="#1004"]').click();
    await page.getByTestId('hold-order').click();
    await poll(() => text(page, 'count-held')).toBe('1 held');

    // The session browser leads back to the analysis.
    const analysisUrl = page.url();
    await page.goto(`${url}/#/sessions`);
    await page.reload();
    await page.getByTestId('analysis-link').first().click();
    await page.getByTestId('analysis').waitFor();
    expect(page.url()).toBe(analysisUrl);
  });

  /** A prepared session made through the API, for the settings' Test buttons to look at. */
  async function preparedSession(url: string, files: { orders: string; stock: string }): Promise<string> {
    const upload = async (kind: string, file: string, name: string) => {
      const res = await fetch(`${url}/api/clients/SHOP/prepare/files?kind=${kind}&filename=${name}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: await readFile(file),
      });
      return ((await res.json()) as { upload: string }).upload;
    };
    const res = await fetch(`${url}/api/clients/SHOP/prepare`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        orders: [await upload('orders', files.orders, 'orders.csv')],
        stock: await upload('stock', files.stock, 'stock.csv'),
      }),
    });
    const job = (await res.json()) as { job: string };
    return waitFor(async () => {
      const view = (await (await fetch(`${url}/api/prepare/jobs/${job.job}`)).json()) as {
        state: string;
        session: string | null;
      };
      if (view.state === 'running') return null;
      if (view.state !== 'done') throw new Error(`the run ended ${view.state}`);
      return view.session;
    }, 'the preparation to end');
  }

  it('edits couriers with a live check, reads column headers from a sample file, builds and tests rules and lists, and saves checked settings', async () => {
    const { url, files } = await start();
    await preparedSession(url, files);
    const lead = await openBrowser(`${url}/#/clients?client=SHOP`);
    cleanups.push(lead.close);
    const page = lead.page;
    const editor = page.getByTestId('preparation-settings');
    await editor.waitFor();
    await page.getByTestId('courier-check-input').fill('Econt to office');
    expect(await text(page, 'courier-check-result')).toMatch(/Unknown/);
    await page.getByRole('button', { name: 'Add courier' }).click();
    await page.getByLabel('Courier 4 name').fill('Econt');
    // Checked as typed: a courier without a pattern cannot be saved.
    await poll(() => text(page, 'settings-problems')).toMatch(/couriers\[3\]\.patterns/);
    expect(await page.getByTestId('save-preparation').isDisabled()).toBe(true);
    await page.getByLabel('Courier 4 patterns').fill('econt, еконт');
    await poll(() => text(page, 'courier-check-result')).toBe('→ Econt');
    expect(await page.getByTestId('settings-problems').count()).toBe(0);

    // A sample export's headers: a mapped column the file does not have is marked.
    await page.getByTestId('column-orders-notes').locator('input').fill('Note Attributes');
    await page.getByTestId('sample-orders').setInputFiles(files.orders);
    await poll(() => text(page, 'sample-headers-orders')).toMatch(/Lineitem sku/);
    expect(await text(page, 'column-orders-notes')).toMatch(/not in the sample/);
    expect(await text(page, 'column-orders-sku')).not.toMatch(/not in the sample/);
    await page.getByTestId('column-orders-notes').locator('input').fill('Notes');
    await shots(page, 'prepare-settings');

    // A rule built from a condition and an action, tested on the prepared session before saving.
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule 1 name').fill('VIP waits');
    await page.getByRole('button', { name: 'Add condition' }).first().click();
    await page.getByLabel('Rule 1 condition 1 value').fill('vip');
    await page.getByLabel('Rule 1 action 1 type').selectOption('hold');
    await page.getByTestId('test-rule-1').click();
    await poll(() => text(page, 'test-rule-1-result')).toBe('would touch 1 of 5 orders: #1004');
    // A list definition with its preview count.
    await page.getByRole('button', { name: 'Add list' }).click();
    await page.getByLabel('List 1 name').fill('Abroad');
    await page.getByTestId('settings-lists').getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('List 1 condition 1 field').selectOption('country');
    await page.getByLabel('List 1 condition 1 operator').selectOption('not_equals');
    await page.getByLabel('List 1 condition 1 value').fill('BG');
    await page.getByTestId('test-list-1').click();
    await poll(() => text(page, 'test-list-1-result')).toBe('would touch 1 of 5 orders: #1002');
    await page.getByTestId('settings-rules').scrollIntoViewIfNeeded();
    await shots(page, 'prepare-settings-rules');

    // Who gets the stock first, and the low-stock threshold, checked as typed.
    await page.getByRole('button', { name: 'Move "oldest first" up' }).click();
    await page.getByTestId('setting-low_stock_threshold').fill('-1');
    await poll(() => text(page, 'settings-problems')).toMatch(/low_stock_threshold/);
    await page.getByTestId('setting-low_stock_threshold').fill('3');
    await poll(() => page.getByTestId('settings-problems').count()).toBe(0);

    await page.getByTestId('save-preparation').click();
    await poll(() => text(page, 'preparation-note')).toMatch(/Saved/);
    const saved = (await (await fetch(`${url}/api/clients/SHOP/preparation`)).json()) as {
      preparation: {
        couriers: Array<{ name: string; patterns: string[] }>;
        rules: unknown;
        packing_lists: unknown;
        priority: string[];
        low_stock_threshold: number;
      };
    };
    expect(saved.preparation.couriers.at(-1)).toEqual({ name: 'Econt', patterns: ['econt', 'еконт'] });
    expect(saved.preparation.priority).toEqual(['oldest_first', 'multi_line_first', 'order_number']);
    expect(saved.preparation.low_stock_threshold).toBe(3);
    expect(saved.preparation.rules).toEqual([
      {
        name: 'VIP waits',
        enabled: true,
        match: 'all',
        conditions: [{ field: 'tags', operator: 'equals', value: 'vip' }],
        actions: [{ type: 'hold' }],
      },
    ]);
    expect(saved.preparation.packing_lists).toEqual([
      {
        name: 'Abroad',
        match: 'all',
        filters: [{ field: 'country', operator: 'not_equals', value: 'BG' }],
        exclude_skus: [],
      },
    ]);
  });

  it('shows a prepared session with no list in the session browser with its summary and the way back, and archives it', async () => {
    const { url, files, folder } = await start();
    // Nothing in stock: every order is short, so the session has no packing list at all.
    const empty = path.join(folder.dir, 'stock_empty.csv');
    await writeFile(empty, stockCsv({ MUG: 0, TEA: 0, LAMP: 0 }));
    const session = await preparedSession(url, { orders: files.orders, stock: empty });
    const lead = await openBrowser(`${url}/#/sessions`);
    cleanups.push(lead.close);
    const page = lead.page;
    const row = page.getByTestId(`session-${session}`);
    await row.waitFor();
    expect(await row.getByTestId('prepared-summary').innerText()).toMatch(
      /5 orders · 0 fulfillable · 0 held · 5 not fulfillable/,
    );
    expect(await row.getByTestId('no-lists').innerText()).toMatch(/No packing list/);
    await shots(page, 'sessions-prepared-no-lists');

    // Archived: gone from the list, back with "show archived", marked, and brought back.
    await row.getByTestId('archive').click();
    await poll(() => text(page, 'notice')).toMatch(/archived/);
    await poll(() => row.count()).toBe(0);
    await page.getByTestId('show-archived').check();
    await row.waitFor();
    expect(await row.getByTestId('archived').innerText()).toBe('Archived');
    await shots(page, 'sessions-archived');
    await row.getByTestId('unarchive').click();
    await poll(() => row.getByTestId('archived').count()).toBe(0);
    await page.getByTestId('show-archived').uncheck();
    await poll(() => row.count()).toBe(1);

    await row.getByTestId('analysis-link').click();
    await page.getByTestId('analysis').waitFor();
    expect(await text(page, 'count-not-fulfillable')).toBe('5 not fulfillable');
  });

  it('imports sets from a CSV (problems by row and column, cycles refused) and exports them with formula cells made text', async () => {
    const { url, folder } = await start();
    const lead = await openBrowser(`${url}/#/clients?client=SHOP`);
    cleanups.push(lead.close);
    const page = lead.page;
    await page.getByTestId('settings-sets').waitFor();
    const loop = path.join(folder.dir, 'loop.csv');
    await writeFile(
      loop,
      'Set_SKU,Component_SKU,Component_Quantity\nBOX,MUG,1\nBOX,BIG,1\nBIG,BOX,2\nBIG,TEA,x\n',
    );
    await page.getByTestId('sets-import').setInputFiles(loop);
    const problems = page.getByTestId('sets-problem');
    await problems.first().waitFor();
    expect((await problems.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'loop.csv 5 Component_Quantity "x" is not a whole number of at least 1',
    ]);
    await writeFile(loop, 'Set_SKU,Component_SKU,Component_Quantity\nBOX,MUG,1\nBOX,BIG,1\nBIG,BOX,2\n');
    await page.getByTestId('sets-import').setInputFiles(loop);
    await poll(async () =>
      (await problems.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
    ).toEqual(['loop.csv 2 Set_SKU the sets contain a cycle (BOX → BIG → BOX), so they never end']);
    expect(await page.getByTestId('set-row').count()).toBe(0);

    const good = path.join(folder.dir, 'sets.csv');
    await writeFile(
      good,
      'Set_SKU,Component_SKU,Component_Quantity\nGIFT,MUG,2\nGIFT,TEA,1\n=cmd|calc,GIFT,1\n',
    );
    await page.getByTestId('sets-import').setInputFiles(good);
    await poll(() => text(page, 'sets-imported')).toMatch(/sets\.csv: 2 set\(s\) from 3 row\(s\)/);
    expect(await page.getByTestId('sets-problems').count()).toBe(0);
    expect(await page.getByLabel('Set 1 components').inputValue()).toBe('MUG×2, TEA×1');
    expect(await page.getByLabel('Set 2 SKU').inputValue()).toBe('=cmd|calc');
    await page.getByTestId('settings-sets').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shots(page, 'prepare-settings-sets');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('sets-export').click(),
    ]);
    expect(download.suggestedFilename()).toBe('sets_SHOP.csv');
    expect(await readFile((await download.path())!, 'utf8')).toBe(
      "Set_SKU,Component_SKU,Component_Quantity\r\nGIFT,MUG,2\r\nGIFT,TEA,1\r\n'=cmd|calc,GIFT,1\r\n",
    );
    await page.getByTestId('save-preparation').click();
    await poll(() => text(page, 'preparation-note')).toMatch(/Saved/);
    const saved = (await (await fetch(`${url}/api/clients/SHOP/preparation`)).json()) as {
      preparation: { sets: unknown };
    };
    expect(saved.preparation.sets).toEqual([
      {
        sku: 'GIFT',
        components: [
          { sku: 'MUG', quantity: 2 },
          { sku: 'TEA', quantity: 1 },
        ],
      },
      { sku: '=cmd|calc', components: [{ sku: 'GIFT', quantity: 1 }] },
    ]);
  });

  it('edits the stock-export definitions: name, filters with a Test, format, checked as typed and saved', async () => {
    const { url, files } = await start();
    await preparedSession(url, files);
    const lead = await openBrowser(`${url}/#/clients?client=SHOP`);
    cleanups.push(lead.close);
    const page = lead.page;
    const block = page.getByTestId('settings-stock-exports');
    await block.waitFor();
    // The default: one write-off export of every fulfillable order, both formats.
    expect(await page.getByLabel('Stock export 1 name').inputValue()).toBe('writeoff');
    expect(await page.getByLabel('Stock export 1 format').inputValue()).toBe('both');

    await block.getByRole('button', { name: 'Add stock export' }).click();
    // Checked as typed, with the server's schema: a name is needed, and two exports cannot share one.
    await poll(() => text(page, 'settings-problems')).toMatch(/stock_exports\[1\]\.name/);
    expect(await page.getByTestId('save-preparation').isDisabled()).toBe(true);
    await page.getByLabel('Stock export 2 name').fill('WRITEOFF');
    await poll(() => text(page, 'settings-problems')).toMatch(
      /stock_exports\[1\]\.name: "WRITEOFF" is used twice/,
    );
    await page.getByLabel('Stock export 2 name').fill('abroad');
    await poll(() => page.getByTestId('settings-problems').count()).toBe(0);
    await block.getByRole('button', { name: 'Add condition' }).nth(1).click();
    await page.getByLabel('Stock export 2 condition 1 field').selectOption('country');
    await page.getByLabel('Stock export 2 condition 1 operator').selectOption('not_equals');
    await page.getByLabel('Stock export 2 condition 1 value').fill('BG');
    await page.getByLabel('Stock export 2 format').selectOption('csv');
    await page.getByTestId('test-export-2').click();
    await poll(() => text(page, 'test-export-2-result')).toBe('would touch 1 of 5 orders: #1002');
    await block.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shots(page, 'prepare-settings-stock-exports');

    await page.getByTestId('save-preparation').click();
    await poll(() => text(page, 'preparation-note')).toMatch(/Saved/);
    const saved = (await (await fetch(`${url}/api/clients/SHOP/preparation`)).json()) as {
      preparation: { stock_exports: unknown };
    };
    expect(saved.preparation.stock_exports).toEqual([
      { name: 'writeoff', match: 'all', filters: [], format: 'both' },
      {
        name: 'abroad',
        match: 'all',
        filters: [{ field: 'country', operator: 'not_equals', value: 'BG' }],
        format: 'csv',
      },
    ]);
  });

  it('lists the row errors of a refused upload', async () => {
    const { url, files, folder } = await start();
    const bad = path.join(folder.dir, 'orders_bad.csv');
    await writeFile(bad, ORDERS.replace(',1,Product LAMP,LAMP,', ',one,Product LAMP,LAMP,'));
    const lead = await openBrowser(`${url}/#/prepare?client=SHOP`);
    cleanups.push(lead.close);
    const page = lead.page;
    await page.getByTestId('prepare-files').setInputFiles([bad, files.stock]);
    await poll(() => text(page, 'prepare-file-list')).toMatch(/stock\.csv .* semicolon separated 3/);
    await page.getByTestId('run-analysis').click();
    const problems = page.getByTestId('run-problem');
    await problems.first().waitFor();
    const first = (await problems.first().innerText()).replace(/\s+/g, ' ');
    expect(first).toMatch(/orders_bad\.csv 5 Lineitem quantity .*one/);
    await shots(page, 'prepare-refused-upload');
  });
});
