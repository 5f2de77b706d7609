// Browser tests: Debian's Chromium driven by playwright-core, against real `packdesk serve` processes.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { REPO, runCliJson, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO, 'test-artifacts');

/** Locally the browser tests need Chromium installed; CI installs it, so there a missing one fails. */
export function browserMissing(): boolean {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium.`);
  return true;
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // A tab the test has put behind another keeps its timers on time, as a station's screen in front
  // of its packer does: throttled, its pings came late enough on a loaded machine that the server
  // took it for closed (a CI failure of the second-tab test).
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
// Lets pages start audio without a click, so the sound calls are real AudioContext calls; without it,
// desktop Chrome's own rule (sound only after the user pressed a key or clicked) is set explicitly.
const AUTOPLAY = '--autoplay-policy=no-user-gesture-required';
const DESKTOP_AUTOPLAY = '--autoplay-policy=document-user-activation-required';

export interface Station {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** One browser with a fresh profile: its own localStorage, so its own station name. */
export async function openBrowser(url: string, options: { autoplay?: boolean } = {}): Promise<Station> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'packdesk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, options.autoplay === false ? DESKTOP_AUTOPLAY : AUTOPLAY],
    viewport: { width: 1366, height: 768 },
  });
  if (options.autoplay === false) {
    // Chromium sometimes lets a page start audio without any key press or click (seen on a busy
    // machine); this holds every AudioContext to the desktop rule so the test is the same each time.
    await context.addInitScript(`{
      const Real = window.AudioContext;
      window.AudioContext = class extends Real {
        constructor(...args) { super(...args); super.suspend(); }
        resume() { return navigator.userActivation.isActive ? super.resume() : Promise.resolve(); }
      };
    }`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface Served {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Fast leases so takeovers happen within a test (heartbeat 0.5 s, stale after 3 s), with room for a busy 2-core machine. */
export async function dataFolder(locking = { heartbeatSeconds: 0.5, staleSeconds: 3 }): Promise<{
  dir: string;
  root: string;
  config: string;
  cleanup(): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'packdesk-e2e-'));
  const root = path.join(dir, 'data');
  const config = path.join(dir, 'config.ini');
  await writeFile(
    config,
    `[Locking]\nHeartbeatSeconds = ${locking.heartbeatSeconds}\nStaleSeconds = ${locking.staleSeconds}\n[Network]\nLocalCachePath = ` +
      path.join(dir, 'local') +
      '\n',
  );
  await runCliJson(['init', '--root', root, '--config', config]);
  return { dir, root, config, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function serve(root: string, config: string, station: string): Promise<Served> {
  const child = startCli(['serve', '--root', root, '--config', config, '--port', '0', '--json'], {
    env: { PACKDESK_STATION: station },
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const url = await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`packdesk serve exited ${child.exitCode}: ${err}`);
    const line = out.split('\n').find((l) => l.startsWith('{'));
    return line ? (JSON.parse(line) as { url: string }).url : null;
  }, 'packdesk serve to print its address');
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await waitFor(
        () => child.exitCode !== null || child.signalCode !== null,
        'packdesk serve to stop',
        10_000,
      );
    },
  };
}

interface ListOrder {
  order_number: string;
  items: Array<{ sku: string; quantity: number; product_name?: string }>;
  metadata?: Record<string, string | number | boolean>;
}

/** A client with mappings and a session with one list, made through the HTTP API like a shift lead would. */
export async function seedThroughApi(
  url: string,
  client: string,
  orders: ListOrder[],
  mappings: Record<string, string> = {},
): Promise<string> {
  const post = async (p: string, body: unknown, type = 'application/json') => {
    const res = await fetch(`${url}${p}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  await post('/api/clients', { client_id: client, client_name: `${client} shop` });
  for (const [barcode, sku] of Object.entries(mappings))
    await post(`/api/clients/${client}/mappings`, { barcode, sku });
  const now = new Date().toISOString();
  const list = {
    format_version: 1,
    list_name: 'DHL',
    created_at: now,
    source: { format: 'packdesk-json', file: 'DHL.json', imported_at: now },
    orders: orders.map((o) => ({
      order_number: o.order_number,
      courier: 'DHL',
      items: o.items.map((i) => ({
        sku: i.sku,
        product_name: i.product_name ?? `Product ${i.sku}`,
        quantity: i.quantity,
      })),
      metadata: o.metadata ?? {},
    })),
  };
  const info = await post(
    `/api/clients/${client}/sessions?filename=DHL.json`,
    JSON.stringify(list),
    'application/octet-stream',
  );
  return String(info.session_id);
}

/** Types like a keyboard-wedge scanner: keystrokes a few ms apart, then Enter. */
export async function scan(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 4 });
  await page.keyboard.press('Enter');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function sounds(page: Page): Promise<string[]> {
  // Evaluated in the page; a string keeps browser globals out of the Node type check.
  return page.evaluate<string[]>('window.__packdeskSounds ?? []');
}

/** Waits until the page has played more than `count` sounds. */
export async function soundsAfter(page: Page, count: number): Promise<void> {
  await page.waitForFunction(`(window.__packdeskSounds ?? []).length > ${count}`);
}

/** Opens a list in packer mode as `worker`. */
export async function startPacking(
  browser: Station,
  url: string,
  session: string,
  worker: string,
): Promise<void> {
  const page = browser.page;
  await page.goto(`${url}/#/pack?client=SHOP&session=${session}&list=DHL`);
  // A hash change on a page still starting up can be missed by its router on a busy machine; a
  // load of the packing address itself cannot.
  await page.reload();
  await page.getByTestId('worker-input').fill(worker);
  await page.getByRole('button', { name: 'Start packing' }).click();
}

/** Scans and waits for the answer (its sound), then checks the outcome shown. */
export async function scanAndWait(browser: Station, text: string, kind: string): Promise<void> {
  const before = (await sounds(browser.page)).length;
  await scan(browser.page, text);
  await soundsAfter(browser.page, before);
  expect(await browser.page.getByTestId('status').getAttribute('data-kind'), `after ${text}`).toBe(kind);
}

/** Two orders the station tests pack: three mugs and a tea over two orders. */
export const TWO_ORDERS = [
  {
    order_number: '#2001',
    items: [
      { sku: 'MUG-RED', quantity: 2 },
      { sku: 'TEA-GREEN', quantity: 1 },
    ],
  },
  { order_number: '#2002', items: [{ sku: 'MUG-BLUE', quantity: 1 }] },
];

/** Things a test started (servers, browsers, folders), closed after each test in reverse order. */
export function cleanUpAfterEach(): Array<() => Promise<void>> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    cleanups.length = 0;
  });
  return cleanups;
}
