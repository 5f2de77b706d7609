// The web station's figures: a scan's round trip through the HTTP API (request → durable journal
// append → answer) on a 50,000-order list, how fast packer mode is on screen in Chromium, and the
// preparation page with a 50,000-order analysis (prepare-web.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { preparePageFigures } from './prepare-web.js';
import { CHROMIUM_PATH, launchChromium } from './chromium.js';
import { fsyncRow } from './fsync-probe.js';
import { percentile, type BenchRow } from './table.js';

const CLI = fileURLToPath(new URL('../../bin/packdesk.js', import.meta.url));
const ORDERS = 50_000;
const SCANS = 3_000;

function packingList(orders: number): string {
  const now = new Date().toISOString();
  const list = [];
  for (let i = 0; i < orders; i++) {
    const items = [{ sku: `SKU-${i % 997}`, product_name: 'Item', quantity: 1 }];
    if (i % 3 === 0) items.push({ sku: `SKU-${(i + 1) % 997}-B`, product_name: 'Second item', quantity: 2 });
    list.push({ order_number: `#${100000 + i}`, courier: 'DHL', items, metadata: {} });
  }
  return JSON.stringify({
    format_version: 1,
    list_name: 'DHL',
    created_at: now,
    source: { format: 'packdesk-json', file: 'DHL.json', imported_at: now },
    orders: list,
  });
}

async function serve(root: string, config: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--root', root, '--config', config, '--port', '0', '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`packdesk serve exited ${code}`)));
  });
  return { url, child };
}

async function post(url: string, body: unknown, type = 'application/json'): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'packdesk-bench-web-'));
  const root = path.join(dir, 'data');
  const config = path.join(dir, 'config.ini');
  await writeFile(config, `[Network]\nLocalCachePath = ${path.join(dir, 'local')}\n`);
  const init = spawn(process.execPath, [CLI, 'init', '--root', root, '--config', config], {
    stdio: 'ignore',
  });
  await new Promise((resolve) => init.on('exit', resolve));
  const { url, child } = await serve(root, config);
  const rows: BenchRow[] = [await fsyncRow(path.join(dir, 'probe'), 'local')];
  try {
    await post(`${url}/api/clients`, { client_id: 'BENCH', client_name: 'Bench' });
    const session = String(
      (
        await post(
          `${url}/api/clients/BENCH/sessions?filename=DHL.json`,
          packingList(ORDERS),
          'application/octet-stream',
        )
      ).session_id,
    );
    const openStart = performance.now();
    await post(`${url}/api/stations/BENCH-1/open`, {
      client: 'BENCH',
      session,
      list: 'DHL',
      worker: 'Bench',
    });
    const openMs = performance.now() - openStart;

    const times: number[] = [];
    let order = 0;
    let n = 0;
    while (times.length < SCANS) {
      const texts = [`${100000 + order}`, `SKU-${order % 997}`];
      if (order % 3 === 0) texts.push(`SKU-${(order + 1) % 997}-B`, `SKU-${(order + 1) % 997}-B`);
      for (const text of texts) {
        const t0 = performance.now();
        await post(`${url}/api/stations/BENCH-1/scan`, { text, event_id: `bench-${++n}-xxxxxx` });
        times.push(performance.now() - t0);
      }
      order++;
    }
    rows.push(...(await overviewRows(url, session, 'held at a station of this server')));
    await post(`${url}/api/stations/BENCH-1/close`, {});
    rows.push(...(await overviewRows(url, session, 'read from the journal')));
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    rows.push({
      what: 'scan round trip via HTTP API (durable)',
      size: `${ORDERS.toLocaleString('en')} orders, ${times.length} scans`,
      figure: `p50 ${p50.toFixed(2)} ms, p90 ${percentile(times, 90).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(0)} ms`,
      budget: 'station p99 ≤ 2 ms + HTTP',
      withinBudget: null,
    });
    rows.push({
      what: 'open a list via HTTP API',
      size: `${ORDERS.toLocaleString('en')} orders`,
      figure: `${Math.round(openMs)} ms`,
      budget: '≤ 2 s',
      withinBudget: openMs <= 2_000,
    });
    rows.push(...(await firstPaint(url, session)));
    rows.push(...(await preparePageFigures(url)));
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * The list overview on the 50k list: a page, a search by SKU, a state filter, a deep page and one
 * order's history, each timed over several requests (the first read from the journal separately:
 * later ones reuse the state while the list's files are unchanged).
 */
async function overviewRows(url: string, session: string, how: string): Promise<BenchRow[]> {
  const base = `${url}/api/clients/BENCH/sessions/${session}/lists/DHL/orders`;
  const get = async (query: string) => {
    const t0 = performance.now();
    const res = await fetch(`${base}${query}`);
    const body = await res.text();
    if (!res.ok) throw new Error(`${query}: ${res.status} ${body}`);
    return { ms: performance.now() - t0, bytes: body.length };
  };
  const first = await get('?limit=25');
  const queries = [
    '?limit=25',
    '?q=SKU-5-B&limit=25',
    '?state=left&limit=25',
    '?offset=40000&limit=25',
    '/100500',
  ];
  const times: number[] = [];
  let bytes = 0;
  for (let round = 0; round < 10; round++)
    for (const q of queries) {
      const r = await get(q);
      times.push(r.ms);
      bytes = Math.max(bytes, r.bytes);
    }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  return [
    {
      what: `list overview, first page (${how})`,
      size: `${ORDERS.toLocaleString('en')} orders, ${first.bytes} bytes`,
      figure: `${Math.round(first.ms)} ms`,
      budget: '≤ 1 s (as opening a list)',
      withinBudget: first.ms <= 1_000,
    },
    {
      what: `list overview: page, search, filter, deep page, history (${how})`,
      size: `${ORDERS.toLocaleString('en')} orders, ${times.length} requests, ≤ ${bytes} bytes each`,
      figure: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
      budget: 'p99 ≤ 300 ms (as a filter)',
      withinBudget: p99 <= 300,
    },
  ];
}

/** Chromium opens packer mode on the 50k list: first contentful paint, and the list open and on screen. */
async function firstPaint(url: string, session: string): Promise<BenchRow[]> {
  if (!existsSync(CHROMIUM_PATH)) {
    return [
      {
        what: 'packer mode first paint',
        size: '-',
        figure: 'skipped: /usr/bin/chromium missing',
        budget: '-',
        withinBudget: null,
      },
    ];
  }
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addInitScript("localStorage.setItem('packdesk.worker', 'Bench')");
    const page = await context.newPage();
    await page.goto(`${url}/#/pack?client=BENCH&session=${session}&list=DHL`);
    await page.getByTestId('packer').waitFor({ timeout: 60_000 });
    const ready = await page.evaluate<number>('performance.now()');
    const fcp = await page.evaluate<number>(
      "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN",
    );
    return [
      {
        what: 'packer mode first contentful paint',
        size: 'Chromium, 1366×768',
        figure: `${Math.round(fcp)} ms`,
        budget: '-',
        withinBudget: null,
      },
      {
        what: 'packer mode ready to scan',
        size: `${ORDERS.toLocaleString('en')}-order list opened`,
        figure: `${Math.round(ready)} ms`,
        budget: '≤ 2 s (open)',
        withinBudget: ready <= 2_000,
      },
    ];
  } finally {
    await browser.close();
  }
}
