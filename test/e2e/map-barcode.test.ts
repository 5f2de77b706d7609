// Mapping an unknown barcode at the station: refused while the client does not allow it; allowed,
// F5 after the UNKNOWN answer offers the open order's lines, Enter maps the barcode through the
// client's mapping file (updated_by: the worker at the station) and the scan counts; the journal has
// it; and another server's station on the same share accepts the barcode at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderHistorySchema } from '../../src/domain/list-overview.js';
import {
  browserMissing,
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

const NEW_BARCODE = '4099999000017';
const ORDERS = [
  {
    order_number: '#5001',
    items: [
      { sku: 'TEA-GREEN', quantity: 2 },
      { sku: 'MUG-RED', quantity: 1 },
    ],
  },
];

async function call(url: string, method: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

describe.skipIf(browserMissing())('mapping an unknown barcode at the station', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let server: Served;
  let other: Served;
  let browser: Station;
  let session: string;

  beforeAll(async () => {
    folder = await dataFolder();
    server = await serve(folder.root, folder.config, 'PACK1');
    other = await serve(folder.root, folder.config, 'PACK2');
    session = await seedThroughApi(server.url, 'SHOP', ORDERS);
    browser = await openBrowser(`${server.url}/#/sessions`);
  });

  afterAll(async () => {
    await browser?.close();
    await other?.stop();
    await server?.stop();
    await folder?.cleanup();
  });

  const rules = (map: boolean) =>
    call(`${server.url}/api/clients/SHOP/settings`, 'PUT', {
      packing_rules: { allow_force_complete: false, manual_confirm: 'one_unit', map_unknown_barcodes: map },
    });

  it('is refused where the client does not allow it (the default)', async () => {
    const client = await call(`${server.url}/api/clients/SHOP`, 'GET');
    expect(
      (client.config as { packing_rules: { map_unknown_barcodes: boolean } }).packing_rules,
    ).toMatchObject({
      map_unknown_barcodes: false,
    });
    const page = browser.page;
    await startPacking(browser, server.url, session, 'Ann');
    await page.getByTestId('packer').waitFor();
    expect(await page.getByTestId('command-map').count()).toBe(0);
    await scanAndWait(browser, '5001', 'order_opened');
    await scanAndWait(browser, NEW_BARCODE, 'unknown_barcode');
    expect(await page.getByTestId('map-hint').count()).toBe(0);
    await scanAndWait(browser, '!MAP TEA-GREEN', 'map_refused');
    expect(await page.getByTestId('band-word').textContent()).toBe('NOT MAPPED');
    await page.getByRole('button', { name: 'Close (pause list)' }).click();
    await page.getByTestId('sessions').waitFor();
  });

  it('maps the barcode to the chosen line, counts the scan, and reaches another station', async () => {
    await rules(true);
    const page = browser.page;
    // The station reads the client's rules when it opens the list: open it again (Ann is still signed in).
    await page.goto(`${server.url}/#/pack?client=SHOP&session=${session}&list=DHL`);
    await page.reload();
    await page.getByTestId('packer').waitFor();
    expect(await page.getByTestId('order-number').textContent()).toBe('Order #5001');
    await scanAndWait(browser, NEW_BARCODE, 'unknown_barcode');
    await page.getByTestId('map-hint').waitFor();
    // Nothing is mapped before the packer says which line.
    await page.keyboard.press('F5');
    await page.getByTestId('map-barcode').waitFor();
    await screenshot(page, 'map-barcode-1366');
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, 'map-barcode-1024');
    await page.setViewportSize({ width: 1366, height: 768 });
    // Lines still missing items come first: TEA-GREEN, then MUG-RED.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    const before = await page.evaluate<number>('(window.__packdeskSounds ?? []).length');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`(window.__packdeskSounds ?? []).length > ${before}`);
    expect(await page.getByTestId('status').getAttribute('data-kind')).toBe('item_ok');
    expect(await page.locator('tr[data-sku="TEA-GREEN"] td.num').textContent()).toBe('1/2');
    // The same barcode now scans as TEA-GREEN here.
    await scanAndWait(browser, NEW_BARCODE, 'item_ok');
    expect(await page.locator('tr[data-sku="TEA-GREEN"] td.num').textContent()).toBe('2/2');

    const mappings = await call(`${server.url}/api/clients/SHOP/mappings`, 'GET');
    expect((mappings.mappings as Record<string, string>)[NEW_BARCODE]).toBe('TEA-GREEN');
    expect(String(mappings.updated_by)).toMatch(/^Ann at PACK1/);

    const history = OrderHistorySchema.parse(
      await call(`${server.url}/api/clients/SHOP/sessions/${session}/lists/DHL/orders/5001`, 'GET'),
    );
    const mapped = history.history.find((e) => e.type === 'barcode_mapped');
    expect(mapped).toMatchObject({
      worker: 'Ann',
      what: `mapped the unknown barcode ${NEW_BARCODE} to TEA-GREEN`,
    });
    expect(history.packed_by.find((p) => p.sku === 'TEA-GREEN')?.packs.length).toBe(2);

    // Another server's station on the same share, packing another list of the client.
    const second = await seedSecondSession(other.url);
    await call(`${other.url}/api/stations/DESK2/open`, 'POST', {
      client: 'SHOP',
      session: second,
      list: 'DHL',
      worker: 'Bob',
    });
    const scanAt = (text: string, id: string) =>
      call(`${other.url}/api/stations/DESK2/scan`, 'POST', { text, event_id: id });
    await scanAt('6001', 'second-open-1');
    const answer = (await scanAt(NEW_BARCODE, 'second-scan-1')) as { outcome: { kind: string; sku: string } };
    expect(answer.outcome).toMatchObject({ kind: 'order_complete', sku: 'TEA-GREEN' });
    await call(`${other.url}/api/stations/DESK2/close`, 'POST', {});
  });
});

async function seedSecondSession(url: string): Promise<string> {
  const now = new Date().toISOString();
  const list = {
    format_version: 1,
    list_name: 'DHL',
    created_at: now,
    source: { format: 'packdesk-json', file: 'DHL.json', imported_at: now },
    orders: [
      {
        order_number: '#6001',
        courier: 'DHL',
        items: [{ sku: 'TEA-GREEN', product_name: 'Green tea', quantity: 1 }],
        metadata: {},
      },
    ],
  };
  const res = await fetch(`${url}/api/clients/SHOP/sessions?filename=DHL.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: JSON.stringify(list),
  });
  if (!res.ok) throw new Error(`second session: ${res.status} ${await res.text()}`);
  return String(((await res.json()) as { session_id: string }).session_id);
}
