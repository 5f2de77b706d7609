// Preparing a session through the HTTP API, as the browser does it: upload the files as content,
// run off the request thread with progress, page through the orders with filters, edit, undo,
// download; refused input answers with its problems as a list. Runs a real `packdesk serve`.
import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach, dataFolder, seedThroughApi, serve, TWO_ORDERS } from './e2e/harness.js';
import { ordersCsv, stockCsv } from './helpers/preparation.js';
import { waitFor } from './helpers/wait.js';
import { setsCsvText } from '../src/domain/sets-file.js';

type Json = Record<string, unknown>;

async function call(url: string, method: string, p: string, body?: unknown, type?: string) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': type ?? 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, text };
}

const ORDERS = ordersCsv([
  { order: '#1001', method: 'DHL Express', lines: [{ sku: 'MUG', qty: 2 }, { sku: 'TEA' }] },
  { order: '#1002', method: 'DPD Classic', country: 'DE', lines: [{ sku: 'MUG' }] },
  { order: '#1003', method: 'DHL Express', lines: [{ sku: 'LAMP' }] },
  { order: '#1004', method: 'Speedy', tags: 'vip', lines: [{ sku: 'TEA', qty: 2 }] },
]);
const STOCK = stockCsv({ MUG: 3, TEA: 3, LAMP: 0 });

describe('preparing through the API', () => {
  const cleanups = cleanUpAfterEach();

  async function server() {
    const folder = await dataFolder();
    cleanups.push(folder.cleanup);
    const s = await serve(folder.root, folder.config, 'LEAD');
    cleanups.push(s.stop);
    expect(
      (await call(s.url, 'POST', '/api/clients', { client_id: 'SHOP', client_name: 'Shop' })).status,
    ).toBe(201);
    return s.url;
  }

  async function upload(url: string, kind: string, name: string, text: string) {
    return call(
      url,
      'POST',
      `/api/clients/SHOP/prepare/files?kind=${kind}&filename=${name}`,
      text,
      'text/csv',
    );
  }

  async function runToEnd(url: string, files: Json): Promise<Json> {
    const started = await call(url, 'POST', '/api/clients/SHOP/prepare', { ...files, worker: 'Lead' });
    expect(started.status, started.text).toBe(202);
    return waitFor(async () => {
      const job = await call(url, 'GET', `/api/prepare/jobs/${String(started.body.job)}`);
      return job.body.state === 'running' ? null : job.body;
    }, 'the run to end');
  }

  it('runs, pages, filters, edits, undoes and downloads', async () => {
    const url = await server();
    const orders = await upload(url, 'orders', 'orders_export.csv', ORDERS);
    expect(orders.status, orders.text).toBe(201);
    expect(orders.body).toMatchObject({ format: 'csv', delimiter: ',', encoding: 'utf-8', rows: 5 });
    expect(orders.body.headers).toContain('Lineitem sku');
    const stock = await upload(url, 'stock', 'stock.csv', STOCK);
    expect(stock.body).toMatchObject({ delimiter: ';', rows: 3 });

    const job = await runToEnd(url, { orders: [orders.body.upload], stock: stock.body.upload });
    expect(job.state, JSON.stringify(job)).toBe('done');
    const session = String(job.session);
    const base = `/api/clients/SHOP/sessions/${session}/analysis`;

    const summary = (await call(url, 'GET', base)).body;
    expect(summary.counts).toMatchObject({ orders_total: 4, fulfillable: 3, not_fulfillable: 1 });
    expect(summary.top_short).toEqual([{ sku: 'LAMP', orders: 1 }]);

    // A rule's conditions tried on the analysis before saving: which orders it would touch.
    const preview = await call(url, 'POST', `${base}/preview`, {
      match: 'any',
      conditions: [
        { field: 'courier', operator: 'equals', value: 'DHL' },
        { field: 'tags', operator: 'equals', value: 'vip' },
      ],
    });
    expect(preview.body).toMatchObject({ orders: 3, of: 4, sample: ['#1001', '#1003', '#1004'] });
    const badRule = await call(url, 'POST', `${base}/preview`, {
      conditions: [{ field: 'total', operator: 'between', value: [5] }],
    });
    expect(badRule.status).toBe(400);
    expect(String(badRule.body.message)).toMatch(/between/);

    const all = (await call(url, 'POST', `${base}/orders`, {})).body;
    expect(all.total).toBe(4);
    const dhl = (await call(url, 'POST', `${base}/orders`, { courier: ['DHL'], sort: 'order', dir: 'desc' }))
      .body;
    expect((dhl.rows as Json[]).map((r) => r.order_number)).toEqual(['#1003', '#1001']);
    const search = (await call(url, 'POST', `${base}/orders`, { q: 'lamp' })).body;
    expect((search.rows as Json[]).map((r) => r.order_number)).toEqual(['#1003']);
    const short = (await call(url, 'POST', `${base}/orders`, { status: ['not_fulfillable'] })).body;
    expect((short.rows as Json[])[0]).toMatchObject({
      order_number: '#1003',
      reasons: ['LAMP: need 1, have 0'],
    });

    // Holding #1001 frees its mug and tea: stock after rises, counts change.
    const detailBefore = (await call(url, 'GET', `${base}/orders/1001`)).body;
    const mugBefore = (detailBefore.stock as Json[]).find((s) => s.sku === 'MUG')!;
    expect(mugBefore).toMatchObject({ stock_before: 3, stock_after: 0 });
    const held = await call(url, 'POST', `${base}/edits`, {
      change: { type: 'hold', order: '#1001' },
      worker: 'Ann',
    });
    expect(held.status, held.text).toBe(200);
    expect((held.body.summary as Json).counts).toMatchObject({ fulfillable: 2, held: 1 });
    const mugHeld = ((await call(url, 'GET', `${base}/orders/1001`)).body.stock as Json[]).find(
      (s) => s.sku === 'MUG',
    );
    expect(mugHeld).toMatchObject({ stock_after: 2 });
    const seq = (held.body.results as Json[])[0]!.seq as number;

    const refused = await call(url, 'POST', `${base}/edits`, {
      change: { type: 'release', order: '#1003' },
      worker: 'Ann',
    });
    expect(refused.status).toBe(409);
    expect(String(refused.body.message)).toMatch(/not held/);

    const undone = await call(url, 'POST', `${base}/edits`, {
      change: { type: 'undo', undoes: seq },
      worker: 'Ann',
    });
    expect((undone.body.summary as Json).counts).toMatchObject({ fulfillable: 3, held: 0 });
    const activity = (await call(url, 'GET', `${base}/activity`)).body.activity as Json[];
    expect(activity.map((a) => [a.worker, a.description, a.undone])).toEqual([
      ['Ann', 'held order #1001', true],
      ['Ann', 'undid change 1', false],
    ]);

    // Bulk hold on a filter, then release on a selection.
    const bulk = await call(url, 'POST', `${base}/bulk`, {
      action: 'hold',
      filter: { courier: ['DHL'] },
      worker: 'Ann',
    });
    expect(bulk.status, bulk.text).toBe(200);
    expect((bulk.body.results as Json[]).map((r) => r.ok)).toEqual([true, true]);
    expect((bulk.body.summary as Json).counts).toMatchObject({ fulfillable: 2, held: 2 });
    // One ledger record for the whole selection; #1001's mug is back in stock.
    const bulkSeq = (bulk.body.results as Json[])[0]!.seq as number;
    expect((bulk.body.results as Json[]).map((r) => r.seq)).toEqual([bulkSeq, bulkSeq]);
    const mugOf = async () =>
      ((await call(url, 'GET', `${base}/orders/1001`)).body.stock as Json[]).find((s) => s.sku === 'MUG');
    expect(await mugOf()).toMatchObject({ stock_after: 2 });
    const bulkLog = (await call(url, 'GET', `${base}/activity`)).body.activity as Json[];
    expect(bulkLog.at(-1)).toMatchObject({ seq: bulkSeq, description: 'held 2 orders', worker: 'Ann' });
    // One undo takes the whole bulk hold back.
    const bulkUndone = await call(url, 'POST', `${base}/edits`, {
      change: { type: 'undo', undoes: bulkSeq },
      worker: 'Ann',
    });
    expect((bulkUndone.body.summary as Json).counts).toMatchObject({ fulfillable: 3, held: 0 });
    expect(await mugOf()).toMatchObject({ stock_after: 0 });

    await call(url, 'POST', `${base}/bulk`, { action: 'hold', filter: { courier: ['DHL'] }, worker: 'Ann' });
    // A bulk release releases what stock covers; the short order stays held and is named with its SKU.
    const back = await call(url, 'POST', `${base}/bulk`, {
      action: 'release',
      orders: ['#1001', '#1003'],
      worker: 'Ann',
    });
    expect(back.status, back.text).toBe(200);
    const results = back.body.results as Json[];
    expect(results[0]).toMatchObject({ ok: true, change: { order: '#1001' } });
    expect(results[1]).toMatchObject({ ok: false, change: { order: '#1003' } });
    expect(String((results[1]!.error as Json).message)).toMatch(/#1003 cannot be released: LAMP/);
    expect((back.body.summary as Json).counts).toMatchObject({ fulfillable: 3, held: 1 });
    const releaseLog = (await call(url, 'GET', `${base}/activity`)).body.activity as Json[];
    expect(releaseLog.at(-1)).toMatchObject({ description: 'released 1 order' });
    // A bulk tag: shown in the orders' tags and matched by a rule's conditions; an order that has it is left out.
    const tagged = await call(url, 'POST', `${base}/bulk`, {
      action: 'tag',
      tag: 'vip',
      orders: ['#1002', '#1004'],
      worker: 'Ann',
    });
    expect(tagged.status, tagged.text).toBe(200);
    expect((tagged.body.results as Json[]).map((r) => [(r.change as Json).order, r.ok])).toEqual([
      ['#1002', true],
      ['#1004', false],
    ]);
    const vip = (await call(url, 'POST', `${base}/orders`, { q: '#1002' })).body.rows as Json[];
    expect(vip[0]!.tags).toEqual(['vip']);
    const vipRule = await call(url, 'POST', `${base}/preview`, {
      conditions: [{ field: 'tags', operator: 'equals', value: 'vip' }],
    });
    expect(vipRule.body).toMatchObject({ orders: 2, sample: ['#1002', '#1004'] });
    expect(((await call(url, 'GET', `${base}/activity`)).body.activity as Json[]).at(-1)).toMatchObject({
      description: 'tagged 1 order "vip"',
    });
    expect(
      (await call(url, 'POST', `${base}/bulk`, { action: 'tag', orders: ['#1002'], worker: 'Ann' })).status,
    ).toBe(400);
    // Nothing left to release: refused whole, naming the order.
    const none = await call(url, 'POST', `${base}/bulk`, {
      action: 'release',
      orders: ['#1003'],
      worker: 'Ann',
    });
    expect(none.status).toBe(409);
    expect(String(none.body.message)).toMatch(/None of the 1 order\(s\) could be released: Order #1003/);

    const xlsx = await fetch(`${url}${base}/download?file=analysis/analysis.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const writeoff = await fetch(`${url}${base}/download?file=exports/writeoff.csv`);
    expect(await writeoff.text()).toMatch(/MUG/);
    expect((await call(url, 'GET', `${base}/download?file=analysis/analysis.json`)).status).toBe(400);
    expect((await call(url, 'GET', `${base}/download?file=../../x.csv`)).status).toBe(400);
  });

  it('reads a sets file for the settings editor by the preparation rules, names row and column of each problem, and reads back its own export', async () => {
    const url = await server();
    const importSets = (name: string, text: string) =>
      call(url, 'POST', `/api/clients/SHOP/preparation/sets?filename=${name}`, text, 'text/csv');
    // Nested sets are fine; a semicolon file with a spreadsheet's ".0" reads like the prepare input.
    const nested = await importSets(
      'sets.csv',
      'Set_SKU;Component_SKU;Component_Quantity\nGIFT-BOX;MUG;2\nGIFT-BOX;07;1\nBIG-BOX;GIFT-BOX;2\nBIG-BOX;5170.0;1\n',
    );
    expect(nested.status, nested.text).toBe(200);
    expect(nested.body).toEqual({
      file: 'sets.csv',
      rows: 4,
      sets: [
        {
          sku: 'GIFT-BOX',
          components: [
            { sku: 'MUG', quantity: 2 },
            { sku: '07', quantity: 1 },
          ],
        },
        {
          sku: 'BIG-BOX',
          components: [
            { sku: 'GIFT-BOX', quantity: 2 },
            { sku: '5170', quantity: 1 },
          ],
        },
      ],
      warnings: [],
    });
    // A cycle is refused at the row its first set starts; bad cells by row and column.
    const cycle = await importSets(
      'loop.csv',
      'Set_SKU,Component_SKU,Component_Quantity\nA,B,1\nB,C,1\nC,A,1\n',
    );
    expect(cycle.status).toBe(400);
    expect(cycle.body.problems).toEqual([
      {
        file: 'loop.csv',
        row: 2,
        column: 'Set_SKU',
        message: expect.stringMatching(/cycle \(A → B → C → A\)/),
      },
    ]);
    const bad = await importSets('bad.csv', 'Set_SKU,Component_SKU,Component_Quantity\nA,,1\nB,X,two\n');
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([
      expect.objectContaining({ row: 2, column: 'Component_SKU' }),
      expect.objectContaining({
        row: 3,
        column: 'Component_Quantity',
        message: expect.stringMatching(/two/),
      }),
    ]);
    const columns = await importSets('wrong.csv', 'SKU,Qty\nA,1\n');
    expect(columns.status).toBe(400);
    expect(columns.body.message).toMatch(/Set_SKU, Component_SKU, Component_Quantity.*SKU, Qty/);
    expect((await importSets('sets.exe', 'x')).status).toBe(400);
    // The editor's export neutralises formula-like SKUs; importing it gives the same sets back.
    const hostile = [{ sku: '=HYPERLINK("x")', components: [{ sku: '+SUM(1,2)', quantity: 3 }] }];
    const text = setsCsvText(hostile);
    expect(text).toBe(
      'Set_SKU,Component_SKU,Component_Quantity\r\n"\'=HYPERLINK(""x"")","\'+SUM(1,2)",3\r\n',
    );
    expect((await importSets('export.csv', text)).body.sets).toEqual(hostile);
  });

  it('answers a refused input with its problems as a list, and keeps nothing', async () => {
    const url = await server();
    const bad = ORDERS.replace(
      '#1002,c1002@example.com,paid,20.00,20.00,DPD Classic,2026-02-16 09:00:00 +0200,1,',
      '#1002,c1002@example.com,paid,20.00,20.00,DPD Classic,2026-02-16 09:00:00 +0200,1.5,',
    );
    const orders = await upload(url, 'orders', 'orders.csv', bad);
    const stock = await upload(url, 'stock', 'stock.csv', `${STOCK}MUG;again;4\n`);
    const job = await runToEnd(url, { orders: [orders.body.upload], stock: stock.body.upload });
    expect(job.state).toBe('failed');
    const problems = (job.error as Json).problems as Json[];
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems[0]).toMatchObject({ file: expect.any(String), row: expect.any(Number) });
    expect(
      problems.some((p) => p.column === 'Lineitem quantity' && p.file === 'orders.csv' && p.row === 4),
    ).toBe(true);
    const sessions = (await call(url, 'GET', '/api/sessions?client=SHOP')).body.sessions as Json[];
    expect(sessions).toEqual([]);
  });

  it('keeps answering scans at a station while a large export is analysed', async () => {
    const url = await server();
    const big: Parameters<typeof ordersCsv>[0] = [];
    for (let i = 0; i < 40_000; i++)
      big.push({ order: `#${10_000 + i}`, lines: [{ sku: `S${i % 50}` }, { sku: `T${i % 7}`, qty: 2 }] });
    const orders = await upload(url, 'orders', 'big.csv', ordersCsv(big));
    const stock = await upload(url, 'stock', 'stock.csv', STOCK);
    // The station opens once the files are up: from then on it must be answered at least every TTL.
    const session = await seedThroughApi(url, 'PACK', TWO_ORDERS);
    const opened = await call(url, 'POST', '/api/stations/S1/open', {
      client: 'PACK',
      session,
      list: 'DHL',
      worker: 'Ann',
    });
    expect(opened.status, opened.text).toBe(200);
    const started = await call(url, 'POST', '/api/clients/SHOP/prepare', {
      orders: [orders.body.upload],
      stock: stock.body.upload,
    });
    const latencies: number[] = [];
    let state = 'running';
    let n = 0;
    while (state === 'running') {
      const t0 = performance.now();
      const scan = await call(url, 'POST', '/api/stations/S1/scan', {
        text: n % 2 === 0 ? '2001' : '2002',
        event_id: `prep-load-${n++}`,
      });
      latencies.push(performance.now() - t0);
      expect(scan.status, scan.text).toBe(200);
      state = String((await call(url, 'GET', `/api/prepare/jobs/${String(started.body.job)}`)).body.state);
    }
    expect(state).toBe('done');
    expect(latencies.length).toBeGreaterThan(3);
    // The station's heartbeat needs the event loop every 0.5 s: scans were answered throughout.
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    const station = (await call(url, 'GET', '/api/stations/S1')).body as { lease: { state: string } };
    expect(station.lease.state).toBe('held');
  });

  it('cancels a run before it writes', async () => {
    const url = await server();
    const big: Parameters<typeof ordersCsv>[0] = [];
    for (let i = 0; i < 30_000; i++) big.push({ order: `#${10_000 + i}`, lines: [{ sku: `S${i % 50}` }] });
    const orders = await upload(url, 'orders', 'big.csv', ordersCsv(big));
    const stock = await upload(url, 'stock', 'stock.csv', STOCK);
    const started = await call(url, 'POST', '/api/clients/SHOP/prepare', {
      orders: [orders.body.upload],
      stock: stock.body.upload,
    });
    const cancel = await call(url, 'POST', `/api/prepare/jobs/${String(started.body.job)}/cancel`, {});
    expect(cancel.body.outcome).toBe('cancelled');
    const job = (await call(url, 'GET', `/api/prepare/jobs/${String(started.body.job)}`)).body;
    expect(job.state).toBe('cancelled');
    expect((await call(url, 'GET', '/api/sessions?client=SHOP')).body.sessions).toEqual([]);
  });
});
