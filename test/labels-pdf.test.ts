// Order labels and desk sheets as a shift lead prints them with the real `packdesk` command: every
// barcode, rasterised as a printer would print it, decodes back to what the station expects; pages
// are the size of the client's labels; fonts are embedded; reprints keep their numbers.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeClientSettings } from '../src/app/client-settings.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings.js';
import { normalizeOrderNumber } from '../src/domain/normalize.js';
import { Layout } from '../src/store/layout.js';
import { runCli, runCliJson } from './helpers/cli.js';
import { decodePages, fonts, pageSizesMm, pageTexts, pdfToolsMissing } from './helpers/pdf-tools.js';

// '#', letters, dashes, leading zeros, 20 characters; two the label cannot carry: a Cyrillic number,
// and one too long for bars on a 68 mm label even at one dot per module.
const ORDERS = ['#1001', 'ORD-ABC', 'a-b-c-42', '000123', 'SHOP-2026-0000012345', 'Заказ-7', 'X'.repeat(60)];

interface LabelsJson {
  file: string;
  labels: Array<{ order: string; number: number; barcode: string; items: number }>;
  skipped: Array<{ order: string; reason: string }>;
}

function listJson(orders: string[]): unknown {
  const at = '2026-12-02T08:00:00.000Z';
  return {
    format_version: 1,
    list_name: 'DHL',
    created_at: at,
    source: { format: 'packdesk-json', file: 'DHL.json', imported_at: at },
    orders: orders.map((order_number, i) => ({
      order_number,
      courier: 'DHL Express Worldwide',
      items: [
        { sku: `SKU-${i}`, product_name: 'Крем для лица', quantity: 2 },
        { sku: 'GIFT', product_name: 'Gift', quantity: i + 1 },
      ],
      // Imported spellings: a Tags column as one string, a country column with its own name.
      metadata: {
        Tags: 'VIP, Приоритет',
        'Shipping Country': 'BG',
        'Created at': '2026-02-16 09:12:03 +0200',
      },
    })),
  };
}

describe.skipIf(pdfToolsMissing())('order labels and sheets as PDF', () => {
  let dir: string;
  let common: string[];
  let session: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'packdesk-labels-'));
    const root = path.join(dir, 'data');
    const config = path.join(dir, 'config.ini');
    await writeFile(config, '[Network]\nConnectionTimeout = 10\n');
    common = ['--root', root, '--config', config];
    await writeFile(path.join(dir, 'DHL.json'), JSON.stringify(listJson(ORDERS)));
    await runCliJson(['init', ...common]);
    await runCliJson(['client', 'create', 'SHOP', '--name', 'М Косметика', ...common]);
    const created = await runCliJson<{ session_id: string }>([
      'session',
      'create',
      'SHOP',
      '--list',
      path.join(dir, 'DHL.json'),
      ...common,
    ]);
    session = created.session_id;
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one 68 x 38 mm label per order whose bars decode to the order number as a station normalises it', async () => {
    const out = await runCliJson<LabelsJson>(['labels', 'SHOP', session, ...common]);
    expect(out.file).toBe(
      path.join(dir, 'data', 'SESSIONS', 'CLIENT_SHOP', session, 'barcodes', 'DHL', 'labels.pdf'),
    );
    const printable = ORDERS.slice(0, 5);
    expect(out.labels.map((l) => l.order)).toEqual(printable);
    expect(out.labels.map((l) => l.number)).toEqual([1, 2, 3, 4, 5]);
    expect(out.labels.map((l) => l.items)).toEqual([3, 4, 5, 6, 7]);
    expect(out.skipped).toEqual([
      { order: 'Заказ-7', reason: expect.stringMatching(/Code 128/) },
      { order: 'X'.repeat(60), reason: expect.stringMatching(/too long for a barcode 68 mm wide/) },
    ]);

    for (const size of await pageSizesMm(out.file)) {
      expect(Math.abs(size.width - 68)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(size.height - 38)).toBeLessThanOrEqual(0.1);
    }
    const expected = printable.map((o) => [normalizeOrderNumber(o)]);
    expect(await decodePages(out.file, 203), 'at 203 dpi').toEqual(expected);
    // A printer that prints 10 % small (or a label scaled to fit) must still scan.
    expect(await decodePages(out.file, Math.round(203 * 0.9)), 'at 90 %').toEqual(expected);

    const texts = await pageTexts(out.file);
    expect(texts).toHaveLength(5);
    texts.forEach((text, i) => {
      expect(text).toContain(`#${i + 1}`);
      expect(text).toContain(`Items ${i + 3} · BG`);
      expect(text).toContain('16/02/26');
      // Cyrillic comes out as Cyrillic (embedded font with a Unicode map), not boxes.
      expect(text).toContain('Tags VIP | Приоритет');
      expect(text.replace(/\s+/g, '')).toContain(normalizeOrderNumber(printable[i]!));
    });
    expect((await fonts(out.file)).every((f) => f.embedded)).toBe(true);
  });

  it('reprints one order or a range with the numbers already printed, even after the list changed', async () => {
    await runCliJson<LabelsJson>(['labels', 'SHOP', session, ...common]);
    const one = await runCliJson<LabelsJson>(['labels', 'SHOP', session, '--orders', '000123', ...common]);
    expect(one.labels.map((l) => [l.order, l.number])).toEqual([['000123', 4]]);
    expect(path.basename(one.file)).toBe('labels-4.pdf');
    expect((await pageTexts(one.file))[0]).toContain('#4');
    const range = await runCliJson<LabelsJson>(['labels', 'SHOP', session, '--seq', '2-3', ...common]);
    expect(await decodePages(range.file, 203)).toEqual([['ord-abc'], ['a-b-c-42']]);

    // The list is regenerated after printing: "#1001" gone, the rest reversed, a new order first.
    const layout = new Layout(path.join(dir, 'data'));
    const stored = path.join(layout.sessionListsDir('SHOP', session), 'DHL.json');
    const list = JSON.parse(await readFile(stored, 'utf8')) as Record<string, unknown>;
    const changed = listJson(['NEW-1', ...ORDERS.slice(1, 5).reverse()]) as { orders: unknown };
    await writeFile(stored, JSON.stringify({ ...list, orders: changed.orders }));

    const again = await runCliJson<LabelsJson>(['labels', 'SHOP', session, ...common]);
    // Printed numbers stay on their orders; the new order comes after the highest ever printed
    // (6 and 7 went to the orders that could not be labelled).
    expect(again.labels.map((l) => [l.order, l.number])).toEqual([
      ['ORD-ABC', 2],
      ['a-b-c-42', 3],
      ['000123', 4],
      ['SHOP-2026-0000012345', 5],
      ['NEW-1', 8],
    ]);
    expect((await decodePages(again.file, 203)).flat()).toEqual(again.labels.map((l) => l.barcode));
    const gone = await runCli(['labels', 'SHOP', session, '--orders', '#1001', ...common]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('has no order #1001');
  });

  it("uses the client's label size and options, and cuts what does not fit instead of drawing over the bars", async () => {
    const layout = new Layout(path.join(dir, 'data'));
    await changeClientSettings({ layout, settings: DEFAULT_SETTINGS, station: 'test' }, 'SHOP', {
      barcode_label: {
        width_mm: 58,
        height_mm: 40,
        dpi: 300,
        show_quantity: true,
        show_client_name: true,
        font_size: 9,
      },
    });
    const out = await runCliJson<LabelsJson>(['labels', 'SHOP', session, '--seq', '2', ...common]);
    expect(path.basename(out.file)).toBe('labels-2.pdf');
    const [size] = await pageSizesMm(out.file);
    expect(Math.abs(size!.width - 58)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(size!.height - 40)).toBeLessThanOrEqual(0.1);
    expect(await decodePages(out.file, 300)).toEqual([['ord-abc']]);
    const [text] = await pageTexts(out.file);
    expect(text).toContain('М Косметика');
    expect(text).toMatch(/2× SKU-4, 5× GIFT/);
    // The courier name does not fit beside the number and the date on a 58 mm label: cut visibly.
    expect(text).toMatch(/DHL Express W\S*…/);

    // Text so big that the bars would have no room is refused, not drawn over them.
    await changeClientSettings({ layout, settings: DEFAULT_SETTINGS, station: 'test' }, 'SHOP', {
      barcode_label: {
        width_mm: 58,
        height_mm: 40,
        dpi: 300,
        show_quantity: true,
        show_client_name: true,
        font_size: 20,
      },
    });
    const big = await runCli(['labels', 'SHOP', session, ...common]);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('leaves no room for the barcode');

    // Stations read Code 128: a client set to another symbology is told so, not given look-alike labels.
    const configFile = layout.clientConfigFile('SHOP');
    const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(
      configFile,
      JSON.stringify({ ...config, barcode_settings: { auto_generate: true, format: 'EAN13' } }),
    );
    const ean = await runCli(['labels', 'SHOP', session, ...common]);
    expect(ean.code).toBe(2);
    expect(ean.stderr).toContain('"EAN13"');
  });

  it('prints a command sheet and a list sheet whose codes the station reads', async () => {
    const commands = await runCliJson<{ file: string }>([
      'sheet',
      'commands',
      '--out',
      path.join(dir, 'c.pdf'),
      ...common,
    ]);
    const [a4] = await pageSizesMm(commands.file);
    expect(Math.round(a4!.width)).toBe(210);
    expect(Math.round(a4!.height)).toBe(297);
    expect(await decodePages(commands.file, 300)).toEqual([
      ['!CONFIRM', '!END', '!FORCE', '!PAUSE', '!SKIP', '!UNDO'],
    ]);
    const lists = await runCliJson<{ file: string; lists: Array<{ code: string }> }>([
      'sheet',
      'lists',
      'SHOP',
      '--out',
      path.join(dir, 'l.pdf'),
      ...common,
    ]);
    expect(lists.lists.map((l) => l.code)).toEqual([`!LIST SHOP/${session}/DHL`]);
    expect(await decodePages(lists.file, 300)).toEqual([[`!LIST SHOP/${session}/DHL`]]);
  });
});
