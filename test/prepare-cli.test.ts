// `packdesk prepare` end to end with real processes: the day's files become a session whose lists a
// station packs; the next preparation flags what was packed (and only that) as repeats; edits before
// packing change stock and lists, and are refused on a list a station holds.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisFileSchema } from '../src/domain/analysis-file.js';
import { PackingListSchema } from '../src/domain/packing-list.js';
import { parseTabular } from '../src/store/tabular-file.js';
import { runCli, runCliJson, startCli, tempDir } from './helpers/cli.js';
import { ordersCsv, stockCsv } from './helpers/preparation.js';
import { waitFor } from './helpers/wait.js';

interface PrepareJson {
  session: string | null;
  orders_total: number;
  fulfillable: number;
  not_fulfillable: number;
  held: number;
  repeats: number;
  lines_total: number;
  lists: Array<{ name: string; orders_total: number; items_total: number }>;
  files: { analysis_json: string; analysis_xlsx: string; writeoff: string[]; lists: string[] } | null;
  warnings: string[];
}

let dir: string;
let cleanup: () => Promise<void>;
let root: string;
let common: string[];

const HOSTILE_SKU = '=HYPERLINK("http://x",1)';

async function writeDayFiles(
  day: string,
): Promise<{ orders: string; more: string; stock: string; sets: string }> {
  const d = path.join(dir, day);
  await fs.mkdir(d, { recursive: true });
  const files = {
    orders: path.join(d, 'orders_export.csv'),
    more: path.join(d, 'orders_export_2.csv'),
    stock: path.join(d, 'inventory.csv'),
    sets: path.join(d, 'sets.csv'),
  };
  await fs.writeFile(
    files.orders,
    ordersCsv([
      {
        order: '#1001',
        method: 'DHL Express Worldwide',
        lines: [{ sku: 'CR-00012-M', qty: 2 }, { sku: 'SET-WINTER' }],
      },
      { order: '#1002', method: 'Speedy - to office', lines: [{ sku: '07' }] },
      { order: '#1003', method: 'DHL Express', lines: [{ sku: '5171' }, { sku: '', name: 'Tip' }] },
      { order: '#1004', method: 'Speedy - to address', lines: [{ sku: HOSTILE_SKU, name: '+SUM(A1)' }] },
    ]),
  );
  await fs.writeFile(
    files.more,
    ordersCsv([
      { order: '#1003', method: 'DHL Express', lines: [{ sku: '5171' }, { sku: '', name: 'Tip' }] },
      { order: '#1005', method: 'DPD Classic', lines: [{ sku: '5171', qty: 40 }] },
    ]),
  );
  await fs.writeFile(files.stock, stockCsv({ 'CR-00012-M': 14, '07': 0, 5171: 32, [HOSTILE_SKU]: 3 }));
  await fs.writeFile(
    files.sets,
    'Set_SKU,Component_SKU,Component_Quantity\nSET-WINTER,CR-00012-M,1\nSET-WINTER,5171,2\n',
  );
  return files;
}

const RED = 'FFFFC7CE';
const YELLOW = 'FFFFEB9C';

/** analysis.xlsx's Orders sheet as a person sees it in a spreadsheet, read by exceljs. */
async function ordersSheet(session: string) {
  const wb = new ExcelJS.Workbook();
  const bytes = await fs.readFile(
    path.join(root, 'SESSIONS', 'CLIENT_M', session, 'analysis', 'analysis.xlsx'),
  );
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('Orders')!;
  const fill = (cell: ExcelJS.Cell) =>
    cell.fill?.type === 'pattern' && cell.fill.pattern === 'solid' ? cell.fill.fgColor?.argb : undefined;
  const rows = new Map<string, { values: Record<string, unknown>; fills: Array<string | undefined> }>();
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const values = Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value]));
    rows.set(String(values.Order), { values, fills: headers.map((_, i) => fill(row.getCell(i + 1))) });
  }
  return { wb, sheet, headers, rows };
}

async function sessionDirs(): Promise<string[]> {
  return (await fs.readdir(path.join(root, 'SESSIONS', 'CLIENT_M')).catch(() => [] as string[])).filter(
    (n) => !n.startsWith('.'),
  );
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('packdesk-prepare-'));
  root = path.join(dir, 'data');
  const config = path.join(dir, 'config.ini');
  await fs.writeFile(
    config,
    '[Locking]\nHeartbeatSeconds = 0.25\nStaleSeconds = 2\n[Network]\nConnectionTimeout = 10\n',
  );
  common = ['--root', root, '--config', config];
  await runCliJson(['init', ...common]);
  await runCliJson(['client', 'create', 'M', '--name', 'M Cosmetics', ...common]);
});

afterAll(async () => {
  await cleanup();
});

describe('packdesk prepare', () => {
  let first: PrepareJson;
  let files: Awaited<ReturnType<typeof writeDayFiles>>;

  it('refuses bad input with file, row and column, and writes nothing', async () => {
    files = await writeDayFiles('monday');
    const bad = path.join(dir, 'bad.csv');
    await fs.writeFile(bad, (await fs.readFile(files.orders, 'utf8')).replace(',2,', ',two,'));
    const r = await runCli(['prepare', 'M', '--orders', bad, '--stock', files.stock, ...common, '--json']);
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stderr) as {
      error: string;
      message: string;
      problems: Array<{ file: string; row: number; column: string }>;
    };
    expect(err.error).toBe('VALIDATION');
    expect(err.problems[0]).toMatchObject({ file: 'bad.csv', row: 2, column: 'Lineitem quantity' });
    expect(await sessionDirs()).toEqual([]);
  });

  it('--dry-run prints the analysis and writes nothing', async () => {
    const dry = await runCliJson<PrepareJson>([
      'prepare',
      'M',
      '--orders',
      files.orders,
      '--stock',
      files.stock,
      '--dry-run',
      ...common,
    ]);
    expect(dry.session).toBeNull();
    expect(dry.files).toBeNull();
    expect(dry.orders_total).toBe(4);
    expect(await sessionDirs()).toEqual([]);
  });

  it('makes a session with lists per courier, analysis.json/.xlsx and the write-off export', async () => {
    first = await runCliJson<PrepareJson>([
      'prepare',
      'M',
      '--orders',
      files.orders,
      '--orders',
      files.more,
      '--stock',
      files.stock,
      '--sets',
      files.sets,
      ...common,
    ]);
    expect(first).toMatchObject({ orders_total: 5, fulfillable: 3, not_fulfillable: 2, held: 0, repeats: 0 });
    expect(first.lists).toEqual([
      { name: 'DHL', orders_total: 2, items_total: 6 },
      { name: 'Speedy', orders_total: 1, items_total: 1 },
    ]);
    expect(first.warnings.join('\n')).toContain('(#1003)');
    const sdir = path.join(root, 'SESSIONS', 'CLIENT_M', first.session!);
    const analysis = AnalysisFileSchema.parse(
      JSON.parse(await fs.readFile(path.join(sdir, first.files!.analysis_json), 'utf8')),
    );
    expect(analysis.session).toBe(first.session);
    expect(analysis.orders.find((o) => o.order_number === '#1005')!.reasons).toEqual([
      '5171: need 40, have 29',
    ]);
    expect(analysis.orders.find((o) => o.order_number === '#1002')!.reasons).toEqual(['07: need 1, have 0']);
    const dhl = PackingListSchema.parse(
      JSON.parse(await fs.readFile(path.join(sdir, 'packing_lists', 'DHL.json'), 'utf8')),
    );
    expect(dhl.orders.map((o) => [o.order_number, o.metadata.sequence, o.metadata.country])).toEqual([
      ['#1001', 1, 'BG'],
      ['#1003', 2, 'BG'],
    ]);
    const xlsx = await parseTabular(
      await fs.readFile(path.join(sdir, first.files!.analysis_xlsx)),
      'analysis.xlsx',
    );
    expect(xlsx.rows.find((r) => r.values.Order === '#1005')!.values).toMatchObject({
      Status: 'Not fulfillable',
      Reasons: '5171: need 40, have 29',
    });
    // The workbook as a person sees it: a bold, frozen header with a filter, the set widths, red rows
    // for what cannot ship across every column (blank cells too), no fill on the rest, and every
    // cell's value.
    const orders = await ordersSheet(first.session!);
    expect(orders.wb.worksheets.map((w) => w.name)).toEqual(['Orders', 'SKUs', 'Couriers', 'Settings used']);
    expect(orders.sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect(orders.sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(orders.sheet.getRow(1).getCell(16).font?.bold).toBe(true);
    expect(orders.sheet.autoFilter).toBe('A1:P6');
    expect(orders.sheet.getColumn(3).width).toBe(48);
    expect(orders.headers.slice(0, 6)).toEqual(['Order', 'Status', 'Reasons', 'Courier', 'Country', 'List']);
    expect(orders.rows.get('#1005')!.values).toMatchObject({
      Status: 'Not fulfillable',
      Reasons: '5171: need 40, have 29',
      Units: 40,
      'Shipping method': 'DPD Classic',
    });
    expect(orders.rows.get('#1005')!.fills).toEqual(Array(16).fill(RED));
    expect(orders.rows.get('#1002')!.fills).toEqual(Array(16).fill(RED));
    expect(orders.rows.get('#1001')!.values).toMatchObject({
      Status: 'Fulfillable',
      Courier: 'DHL',
      List: 'DHL',
      Sequence: 1,
      Type: 'multi',
    });
    expect(orders.rows.get('#1001')!.fills).toEqual(Array(16).fill(undefined));
    // A hostile SKU in an order's items stays text (the cell does not start with =).
    expect(
      String(
        orders.rows.get('#1004')!.values['Items (sets as their components; lines without a SKU in brackets)'],
      ),
    ).toContain(HOSTILE_SKU);
    // Hostile cells are written so a spreadsheet shows them as text.
    const csv = await fs.readFile(path.join(sdir, 'exports', 'writeoff.csv'), 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",1)",1`);
    expect(csv).not.toMatch(/^=|,=|"=/m);
    const writeoff = await parseTabular(
      await fs.readFile(path.join(sdir, 'exports', 'writeoff.xlsx')),
      'writeoff.xlsx',
    );
    expect(writeoff.rows.map((r) => [r.values.SKU, r.values.Quantity])).toEqual([
      ['5171', '3'],
      ['\'=HYPERLINK("http://x",1)', '1'],
      ['CR-00012-M', '3'],
    ]);
    const listed = await runCliJson<
      Array<{ session: string; lists: Array<{ name: string; state: string }> }>
    >(['session', 'list', 'M', ...common]);
    expect(listed.find((s) => s.session === first.session)!.lists.map((l) => [l.name, l.state])).toEqual([
      ['DHL', 'not_started'],
      ['Speedy', 'not_started'],
    ]);
  });

  it('edits before packing: hold frees stock, release is refused when stock no longer covers it, undo restores', async () => {
    const s = first.session!;
    const held = await runCliJson<{
      seq: number;
      fulfillable: number;
      held: number;
      lists: Array<{ name: string; orders_total: number }>;
    }>(['prepare', 'hold', 'M', s, '#1001', ...common]);
    expect(held).toMatchObject({ seq: 1, fulfillable: 2, held: 1 });
    // The edit made the workbook again: the held order's row is yellow and says why.
    const afterHold = (await ordersSheet(s)).rows.get('#1001')!;
    expect(afterHold.values.Status).toBe('Held');
    expect(afterHold.fills).toEqual(Array(16).fill(YELLOW));
    expect(held.lists.find((l) => l.name === 'DHL')!.orders_total).toBe(1);
    const dhl = PackingListSchema.parse(
      JSON.parse(
        await fs.readFile(path.join(root, 'SESSIONS', 'CLIENT_M', s, 'packing_lists', 'DHL.json'), 'utf8'),
      ),
    );
    expect(dhl.orders.map((o) => [o.order_number, o.metadata.sequence])).toEqual([['#1003', 1]]);
    // Less stock of 5171 taken by #1001 now: #1005 still needs 40 and there are 31.
    const shrink = await runCliJson<{ fulfillable: number }>([
      'prepare',
      'quantity',
      'M',
      s,
      '1005',
      '5171',
      '30',
      ...common,
    ]);
    expect(shrink.fulfillable).toBe(3);
    const refused = await runCli(['prepare', 'release', 'M', s, '#1001', ...common]);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('cannot be released: 5171: need 2, have 1');
    const undo = await runCliJson<{ fulfillable: number; held: number }>([
      'prepare',
      'undo',
      'M',
      s,
      '2',
      ...common,
    ]);
    expect(undo).toMatchObject({ fulfillable: 2, held: 1 });
    const released = await runCliJson<{ fulfillable: number; held: number }>([
      'prepare',
      'release',
      'M',
      s,
      '#1001',
      ...common,
    ]);
    expect(released).toMatchObject({ fulfillable: 3, held: 0 });
    const log = await runCliJson<{ changes: Array<{ seq: number; description: string; undone: boolean }> }>([
      'prepare',
      'log',
      'M',
      s,
      ...common,
    ]);
    expect(log.changes.map((c) => [c.seq, c.description, c.undone])).toEqual([
      [1, 'held order #1001', false],
      [2, 'set 5171 on order 1005 to 30', true],
      [3, 'undid change 2', false],
      [4, 'released order #1001', false],
    ]);
  });

  it('holds and releases several orders as one change: one undo takes it back, a short order stays held', async () => {
    const s = first.session!;
    type Edit = { seq: number; description: string; fulfillable: number; held: number };
    const held = await runCliJson<Edit>(['prepare', 'hold', 'M', s, '#1001', '#1003', ...common]);
    expect(held).toMatchObject({ seq: 5, description: 'held 2 orders', fulfillable: 1, held: 2 });
    const undo = await runCliJson<Edit>(['prepare', 'undo', 'M', s, '5', ...common]);
    expect(undo).toMatchObject({ fulfillable: 3, held: 0 });

    await runCliJson(['prepare', 'hold', 'M', s, '#1001', '#1003', ...common]);
    // #1005 now takes 30 of the 32 5171: #1003 (released first) gets one, #1001 needs 2 and finds 1.
    await runCliJson(['prepare', 'quantity', 'M', s, '1005', '5171', '30', ...common]);
    const released = await runCliJson<
      Edit & { change: { orders: string[] }; skipped: Array<{ order: string; message: string }> }
    >(['prepare', 'release', 'M', s, '#1003', '#1001', ...common]);
    expect(released).toMatchObject({ description: 'released 1 order', held: 1 });
    expect(released.change.orders).toEqual(['#1003']);
    expect(released.skipped).toEqual([
      expect.objectContaining({ order: '#1001', message: expect.stringContaining('5171: need 2, have 1') }),
    ]);
    const text = await runCli(['prepare', 'release', 'M', s, '#1001', '#1003', ...common]);
    expect(text.code).toBe(6);
    expect(text.stderr).toContain('None of the 2 order(s) could be released');
    // Taken back newest first, the session is as the next test expects it: nothing held.
    for (const seq of ['9', '8', '7']) await runCliJson(['prepare', 'undo', 'M', s, seq, ...common]);
    expect(
      await runCliJson<{ changes: Array<{ seq: number; description: string; undone: boolean }> }>([
        'prepare',
        'log',
        'M',
        s,
        ...common,
      ]).then((log) => log.changes.filter((c) => c.seq >= 5).map((c) => [c.seq, c.description, c.undone])),
    ).toEqual([
      [5, 'held 2 orders', true],
      [6, 'undid change 5', false],
      [7, 'held 2 orders', true],
      [8, 'set 5171 on order 1005 to 30', true],
      [9, 'released 1 order', true],
      [10, 'undid change 9', false],
      [11, 'undid change 8', false],
      [12, 'undid change 7', false],
    ]);
    const tagged = await runCli(['prepare', 'tag', 'M', s, 'gift', '#1003', '#1005', '#9999', ...common]);
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(tagged.stdout).toContain('Change 13: tagged 2 orders "gift".');
    expect(tagged.stdout).toContain('Order #9999 is not in this session.');
    await runCliJson(['prepare', 'undo', 'M', s, '13', ...common]);
  });

  it('refuses an edit that would change a list a station holds, naming the list and the station', async () => {
    const s = first.session!;
    const station = startCli([
      'pack',
      'M',
      s,
      '--list',
      'DHL',
      '--station',
      'DESK-3',
      '--worker',
      'Ann',
      '--json',
      ...common,
    ]);
    let out = '';
    station.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    await waitFor(() => out.includes('station_ready'), 'the station to open DHL');
    const r = await runCli(['prepare', 'hold', 'M', s, '#1003', ...common]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('packing list DHL, which station DESK-3 (Ann) has opened');
    // An order on another, unopened list can still change.
    const other = await runCliJson<{ held: number }>(['prepare', 'hold', 'M', s, '#1004', ...common]);
    expect(other.held).toBe(1);
    // Pack #1001 completely, then let the station pause the list.
    station.stdin!.write(['1001', 'CR-00012-M', 'CR-00012-M', 'CR-00012-M', '5171', '5171', ''].join('\n'));
    await waitFor(() => out.includes('"order_complete"'), 'order 1001 packed');
    station.stdin!.end();
    await new Promise((resolve) => station.on('close', resolve));
  });

  it('flags as repeats the orders packed in an earlier session, not those only analysed', async () => {
    const tuesday = await writeDayFiles('tuesday');
    const next = await runCliJson<PrepareJson>([
      'prepare',
      'M',
      '--orders',
      tuesday.orders,
      '--stock',
      tuesday.stock,
      '--sets',
      tuesday.sets,
      ...common,
    ]);
    expect(next.repeats).toBe(1);
    const analysis = AnalysisFileSchema.parse(
      JSON.parse(
        await fs.readFile(
          path.join(root, 'SESSIONS', 'CLIENT_M', next.session!, 'analysis', 'analysis.json'),
          'utf8',
        ),
      ),
    );
    expect(analysis.orders.filter((o) => o.repeat).map((o) => o.order_number)).toEqual(['#1001']);
    const dhl = PackingListSchema.parse(
      JSON.parse(
        await fs.readFile(
          path.join(root, 'SESSIONS', 'CLIENT_M', next.session!, 'packing_lists', 'DHL.json'),
          'utf8',
        ),
      ),
    );
    expect(dhl.orders.find((o) => o.order_number === '#1001')!.metadata.repeat).toBe(true);
    expect(dhl.orders.find((o) => o.order_number === '#1003')!.metadata.repeat).toBe(false);
  });

  it('prints a summary a shift lead can read', async () => {
    const r = await runCli([
      'prepare',
      'M',
      '--orders',
      files.orders,
      '--stock',
      files.stock,
      '--sets',
      files.sets,
      '--dry-run',
      ...common,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run for client M: nothing was written.');
    expect(r.stdout).toMatch(/fulfillable: +3 \(7 items\)/);
    expect(r.stdout).toMatch(/07 +1 order\(s\)/);
    expect(r.stderr).toContain('analyse');
  });

  it('client settings: shows the defaults, refuses a bad file naming each setting, and prepare uses saved ones', async () => {
    const shown = await runCliJson<{ couriers: Array<{ name: string }>; stock_columns: { sku: string } }>([
      'client',
      'settings',
      'M',
      ...common,
    ]);
    expect(shown.couriers.map((c) => c.name)).toEqual(['DHL', 'DPD', 'Speedy']);
    expect(shown.stock_columns.sku).toBe('Артикул');
    const bad = path.join(dir, 'bad-settings.json');
    await fs.writeFile(
      bad,
      JSON.stringify({
        rules: [
          { name: 'x', conditions: [{ field: 'notes', operator: 'matches', value: '(' }], actions: [] },
        ],
      }),
    );
    const refused = await runCli(['client', 'settings', 'M', '--file', bad, ...common]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('rules[0].conditions[0].value: "(" is not a valid regular expression');
    expect(refused.stderr).toContain('rules[0].actions:');
    const good = path.join(dir, 'settings.json');
    await fs.writeFile(
      good,
      JSON.stringify({
        ...shown,
        couriers: [
          { name: 'Speedy', patterns: ['speedy'] },
          { name: 'Express', patterns: ['dhl', 'dpd'] },
        ],
      }),
    );
    await runCliJson(['client', 'settings', 'M', '--file', good, ...common]);
    const r = await runCliJson<PrepareJson>([
      'prepare',
      'M',
      '--orders',
      files.orders,
      '--stock',
      files.stock,
      '--sets',
      files.sets,
      '--dry-run',
      ...common,
    ]);
    expect(r.lists.map((l) => l.name)).toEqual(['Express', 'Speedy']);
  });
});

describe('older config.json files', () => {
  it('read with the default preparation settings', async () => {
    const { ClientConfigSchema } = await import('../src/domain/client-config.js');
    const old = ClientConfigSchema.parse({
      client_id: 'OLD',
      client_name: 'Old client',
      created_at: '2025-01-01T00:00:00Z',
      last_updated: '2025-01-01T00:00:00Z',
      updated_by: 'seed',
    });
    expect(old.preparation.orders_columns.order_number).toBe('Name');
    expect(old.preparation.packing_lists).toEqual([]);
    expect(old.preparation.priority).toEqual(['multi_line_first', 'oldest_first', 'order_number']);
  });
});

describe('packdesk client sets', () => {
  it('takes a sets file into the settings by the preparation rules, refuses a cycle naming row and column, and exports them as text-safe CSV', async () => {
    await runCliJson(['client', 'create', 'SETS', '--name', 'Sets Ltd', ...common]);
    const file = path.join(dir, 'client-sets.csv');
    await fs.writeFile(
      file,
      `Set_SKU;Component_SKU;Component_Quantity\nGIFT;MUG;2\nGIFT;07;1\n${HOSTILE_SKU.replaceAll('"', '""').replace(/^/, '"')}";GIFT;1\n`,
    );
    const imported = await runCliJson<Record<string, unknown>>([
      'client',
      'sets',
      'SETS',
      '--import',
      file,
      ...common,
    ]);
    expect(imported).toEqual({
      file: 'client-sets.csv',
      rows: 3,
      sets_in_file: 2,
      replaced: 0,
      sets_total: 2,
    });
    const listed = await runCli(['client', 'sets', 'SETS', ...common]);
    expect(listed.stdout).toContain('GIFT: MUG×2, 07×1');

    // A cycle with the saved sets is refused whole, and nothing is saved.
    await fs.writeFile(file, 'Set_SKU,Component_SKU,Component_Quantity\nMUG,GIFT,1\n');
    const cycle = await runCli(['client', 'sets', 'SETS', '--import', file, '--json', ...common]);
    expect(cycle.code).toBe(2);
    expect(JSON.parse(cycle.stderr).message).toMatch(/cycle/);
    await fs.writeFile(file, 'Set_SKU,Component_SKU,Component_Quantity\nA,B,1\nB,A,x\n');
    const bad = await runCli(['client', 'sets', 'SETS', '--import', file, '--json', ...common]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr).problems).toEqual([
      {
        file: 'client-sets.csv',
        row: 3,
        column: 'Component_Quantity',
        message: '"x" is not a whole number of at least 1',
      },
    ]);
    expect((await runCliJson<unknown[]>(['client', 'sets', 'SETS', ...common])).length).toBe(2);

    const out = path.join(dir, 'sets-out.csv');
    await runCliJson(['client', 'sets', 'SETS', '--export', out, ...common]);
    expect(await fs.readFile(out, 'utf8')).toBe(
      `Set_SKU,Component_SKU,Component_Quantity\r\nGIFT,MUG,2\r\nGIFT,07,1\r\n"'=HYPERLINK(""http://x"",1)",GIFT,1\r\n`,
    );
    expect((await runCli(['client', 'sets', 'SETS', '--export', out, '--json', ...common])).code).toBe(4);
    // What was exported imports back to the same sets.
    const again = await runCliJson<Record<string, unknown>>([
      'client',
      'sets',
      'SETS',
      '--import',
      out,
      ...common,
    ]);
    expect(again).toMatchObject({ sets_in_file: 2, replaced: 2, sets_total: 2 });
  });
});
