// What the packer page does with the station's answers themselves, as docs/api.md describes them, with
// the live event stream cut off where that proves the point: a scan answered LEASE_LOST shows the lost
// list at once; a list held by a stopped station is answered SESSION_LOCKED with `stale: true` and the
// page offers the take-over; a page whose live stream drops is brought up to date by the station views
// the server sends on reconnecting.
import { randomBytes } from 'node:crypto';
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SessionLockedBodySchema } from '../../src/contract/errors.js';
import { PackLineSchema } from '../../src/contract/pack-line.js';
import { startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import {
  browserMissing,
  cleanUpAfterEach,
  dataFolder,
  openBrowser,
  scan,
  scanAndWait,
  seedThroughApi,
  serve,
  sounds,
  startPacking,
  type Station,
  TWO_ORDERS as ORDERS,
} from './harness.js';

/** Cuts the page's live event stream (server-sent events) until `restore` is called. */
async function cutLiveEvents(
  browser: Station,
): Promise<{ attempts: () => number; restore(): Promise<void> }> {
  let attempts = 0;
  const abort = (route: Route) => {
    attempts++;
    return route.abort();
  };
  await browser.context.route('**/api/events', abort);
  return { attempts: () => attempts, restore: () => browser.context.unroute('**/api/events', abort) };
}

async function stationName(browser: Station): Promise<string> {
  return (await browser.page.locator('.station-name').textContent())!.trim();
}

describe.skipIf(browserMissing())('the packer page reads the answers themselves', () => {
  const cleanups = cleanUpAfterEach();

  async function setUp() {
    const folder = await dataFolder();
    cleanups.push(folder.cleanup);
    const server = await serve(folder.root, folder.config, 'HUB');
    cleanups.push(server.stop);
    const session = await seedThroughApi(server.url, 'SHOP', ORDERS);
    return { folder, server, session };
  }

  /** Ann packing order #2001 in a browser whose live event stream never gets through. */
  async function packingWithoutLiveEvents() {
    const { server, session } = await setUp();
    const a = await openBrowser(server.url);
    cleanups.push(a.close);
    const live = await cutLiveEvents(a);
    await startPacking(a, server.url, session, 'Ann');
    await a.page.getByTestId('packer').waitFor();
    await scanAndWait(a, '2001', 'order_opened');
    return { server, session, a, live };
  }

  it('shows a lost list on the scan answered LEASE_LOST, with no live event to say so', async () => {
    const { server, session, a, live } = await packingWithoutLiveEvents();
    await waitFor(() => live.attempts() > 0, 'the page to try its live stream');

    // A shift lead releases the list elsewhere; this page hears nothing of it until it scans.
    const released = await fetch(
      `${server.url}/api/clients/SHOP/sessions/${session}/lists/DHL/release?worker=Lead`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ confirm: true, reason: 'moved to another desk' }),
      },
    );
    expect(released.status).toBe(200);
    expect(await a.page.getByTestId('status').getAttribute('data-kind')).toBe('order_opened');

    const heard = (await sounds(a.page)).length;
    await scan(a.page, 'MUG-RED');
    await a.page.locator('[data-testid=status][data-kind=lease_lost]').waitFor({ timeout: 10_000 });
    await waitFor(async () => (await sounds(a.page)).length > heard, 'the lost sound');
    expect((await sounds(a.page)).at(-1)).toBe('lost');
    // The band says what the server said, not a generic error; the scan was not counted.
    expect(await a.page.getByTestId('band-message').textContent()).not.toMatch(/NOT saved: /);
    expect(await a.page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).toBe('0/2');
    // The page now knows the list is gone: commands are off and the next scan is refused at once.
    expect(await a.page.getByTestId('command-undo').isDisabled()).toBe(true);
    await scan(a.page, 'MUG-RED');
    await a.page
      .getByTestId('band-message')
      .filter({ hasText: /"MUG-RED" was not saved/ })
      .waitFor();
    // The live stream never got through: the answer alone did all of this.
    expect(live.attempts()).toBeGreaterThan(0);
  });

  it('answers SESSION_LOCKED with stale: true for a stopped holder, and the page offers the take-over', async () => {
    const { folder, server, session } = await setUp();
    // The holder: a terminal station that packs one item, then freezes (SIGSTOP: a hung PC).
    const holder = startCli([
      'pack',
      'SHOP',
      session,
      '--root',
      folder.root,
      '--config',
      folder.config,
      '--json',
      '--worker',
      'Tom',
      '--station',
      'TERM-1',
    ]);
    cleanups.push(async () => {
      holder.kill('SIGCONT');
      holder.kill('SIGKILL');
    });
    let out = '';
    holder.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const lines = () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => PackLineSchema.parse(JSON.parse(l)));
    await waitFor(() => lines().some((l) => l.kind === 'station_ready'), 'the terminal station to open');
    holder.stdin!.write('2001\nMUG-RED\n');
    await waitFor(() => lines().some((l) => l.kind === 'item_ok'), 'the terminal scan to be saved');

    const b = await openBrowser(server.url);
    cleanups.push(b.close);
    await startPacking(b, server.url, session, 'Bob');
    await b.page.getByTestId('locked').waitFor();
    expect(await b.page.getByTestId('holder-station').textContent()).toBe('TERM-1');
    expect(await b.page.locator('[data-testid=locked] h1').textContent()).toBe(
      'This list is open at another station',
    );

    holder.kill('SIGSTOP');
    // The server's answer once the heartbeat stopped for a lease time (3 s here): SESSION_LOCKED, stale.
    const answer = await waitFor(async () => {
      const res = await fetch(`${server.url}/api/stations/PROBE/open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client: 'SHOP', session, list: 'DHL', worker: 'Probe' }),
      });
      const body = SessionLockedBodySchema.parse(await res.json());
      expect(res.status).toBe(423);
      return body.stale === true ? body : null;
    }, 'the lease to go stale');
    expect(answer).toMatchObject({ error: 'SESSION_LOCKED', holder: { station: 'TERM-1' }, stale: true });

    // The page, asking again on its own, says the holder stopped and makes the take-over the action.
    await b.page
      .locator('[data-testid=locked] h1')
      .filter({ hasText: 'The station holding this list has stopped answering' })
      .waitFor({ timeout: 10_000 });
    expect(await b.page.getByTestId('take-over').getAttribute('class')).toContain('big-action');
    await b.page.keyboard.press('F9');
    await b.page.getByTestId('packer').waitFor({ timeout: 20_000 });
    // The frozen station's saved scan is there.
    expect(await b.page.getByTestId('order-number').textContent()).toBe('Order #2001');
    expect(await b.page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).toBe('1/2');
  });

  it('brings a page whose live stream was down up to date with the station views sent on reconnecting', async () => {
    // The page's live stream cannot get through (a proxy or network blip); its EventSource keeps trying.
    const { server, a, live } = await packingWithoutLiveEvents();
    const station = await stationName(a);

    // Scans reach this station meanwhile by another way (a second scanner posting to the API).
    const post = (text: string) =>
      fetch(`${server.url}/api/stations/${encodeURIComponent(station)}/scan`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, event_id: randomBytes(8).toString('hex') }),
      });
    expect((await post('MUG-RED')).status).toBe(200);
    expect((await post('MUG-RED')).status).toBe(200);
    await waitFor(() => live.attempts() > 1, 'the page to try its live stream again');
    expect(await a.page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).toBe('0/2');

    // The stream connects again: the first thing it carries is the station's view as it is now.
    await live.restore();
    await a.page
      .locator('tr[data-sku="MUG-RED"] td.num')
      .filter({ hasText: '2/2' })
      .waitFor({ timeout: 15_000 });
    expect(await a.page.getByTestId('progress').textContent()).toMatch(/0\/2 orders · 2\/4 items/);
  });
});
