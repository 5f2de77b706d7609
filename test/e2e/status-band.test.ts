// The status band tells everything: every outcome and every failure (refused, server error, lease
// lost, offline) shows in the band with its own word and an icon and colour for its group, large
// enough to read from two metres, the colours apart for colour-blind packers, and the meaning still
// there in forced-colours mode. Errors stay until the next good answer (or Esc). A screenshot of
// every outcome at 1366×768 and 1024×768 goes to test-artifacts/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAND } from '../../src/web/band.js';
import { deltaE2000, parseColour, simulateDeuteranopia } from '../helpers/colour-vision.js';
import { waitFor } from '../helpers/wait.js';
import {
  browserMissing,
  dataFolder,
  openBrowser,
  screenshot,
  seedThroughApi,
  serve,
  sounds,
  soundsAfter,
  startPacking,
  type Served,
  type Station,
} from './harness.js';

/**
 * Least CIEDE2000 difference between two band colours as a deuteranope sees them (Machado 2009
 * simulation, full severity). 2.3 is a just noticeable difference; 15 is "clearly another colour".
 */
const MIN_DELTA_E_DEUTERANOPIA = 15;
/**
 * Cap height the band's word must have. At 2 m a capital letter read at a glance needs about 22
 * minutes of arc (ANSI/HFES 100 gives 16 as the least and 20–22 as preferred): 12.8 mm. A 15.6-inch
 * 1366×768 screen has 0.252 mm pixels, so 12.8 mm is 51 px.
 */
const MIN_CAP_HEIGHT_PX = 51;

const ORDERS = [
  {
    order_number: '#4001',
    items: [
      { sku: 'MUG-RED', quantity: 1 },
      { sku: 'TEA-GREEN', quantity: 1 },
    ],
  },
  { order_number: '#4002', items: [{ sku: 'MUG-BLUE', quantity: 1 }] },
  { order_number: '#4003', items: [{ sku: 'MUG-RED', quantity: 2 }] },
  { order_number: '#4004', items: [{ sku: 'TEA-GREEN', quantity: 1 }] },
  { order_number: '#4005', items: [{ sku: 'MUG-BLUE', quantity: 1 }] },
];

// Page code is passed as text: it runs in the browser, and keeps browser globals out of the Node type check.
const BAND_EL = "document.querySelector('[data-testid=status]')";

interface Seen {
  kind: string;
  tone: string;
  word: string;
  icon: string;
  bg: string;
}

describe.skipIf(browserMissing())('the status band', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let server: Served;
  let browser: Station;
  let session: string;
  const seen = new Map<string, Seen>();

  beforeAll(async () => {
    folder = await dataFolder();
    server = await serve(folder.root, folder.config, 'BAND1');
    session = await seedThroughApi(server.url, 'SHOP', ORDERS);
    const res = await fetch(`${server.url}/api/clients/SHOP/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ packing_rules: { allow_force_complete: true, manual_confirm: 'one_unit' } }),
    });
    expect(res.status).toBe(200);
    browser = await openBrowser(`${server.url}/#/sessions`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await folder?.cleanup();
  });

  /** Reads the band as it is now, and screenshots it at both screen sizes. */
  const capture = async (kind: string) => {
    const page = browser.page;
    const band = page.getByTestId('status');
    await page.locator(`[data-testid=status][data-kind=${kind}]`).waitFor();
    const entry: Seen = {
      kind,
      tone: (await band.getAttribute('data-tone'))!,
      word: (await page.getByTestId('band-word').textContent())!,
      icon: (await page.getByTestId('band-icon').locator('path').getAttribute('d'))!,
      bg: await page.evaluate<string>(`getComputedStyle(${BAND_EL}).backgroundColor`),
    };
    seen.set(kind, entry);
    await screenshot(page, `band-${kind}-1366x768`);
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, `band-${kind}-1024x768`);
    await page.setViewportSize({ width: 1366, height: 768 });
  };

  /** Sends one input (scanned, typed or a key) and waits for the band to answer with `kind`. */
  const step = async (input: string, kind: string) => {
    const page = browser.page;
    const before = (await sounds(page)).length;
    if (/^F\d+$|^Escape$/.test(input)) await page.keyboard.press(input);
    else {
      await page.keyboard.type(input, { delay: 4 });
      await page.keyboard.press('Enter');
    }
    if (input !== 'Escape') await soundsAfter(page, before);
    const band = page.getByTestId('status');
    await expect
      .poll(() => band.getAttribute('data-kind'), { message: `band after ${input.slice(0, 30)}` })
      .toBe(kind);
    await capture(kind);
  };

  it('shows every outcome in the band, with its own word, and keeps errors until the next good answer', async () => {
    const page = browser.page;
    // A client with the default rules: no force-complete.
    const strict = await seedThroughApi(server.url, 'STRICT', ORDERS);
    await startPacking(browser, server.url, strict, 'Ann');
    await page.goto(`${server.url}/#/pack?client=STRICT&session=${strict}&list=DHL`);
    await page.getByTestId('packer').waitFor();
    await step('4002', 'order_opened');
    await step('F6', 'force_not_allowed');
    // Mapping a barcode at the station is off unless the client allows it.
    await step('!MAP MUG-BLUE', 'map_refused');
    await page.getByRole('button', { name: 'Close (pause list)' }).click();
    await page.getByTestId('sessions').waitFor();

    await page.goto(`${server.url}/#/pack?client=SHOP&session=${session}&list=DHL`);
    await page.getByTestId('packer').waitFor();
    await capture('idle');
    await step('F2', 'no_open_order');
    await step('9999', 'order_not_found');
    await step('4001', 'order_opened');
    await step('4001', 'already_open');
    await step('F2', 'nothing_to_undo');
    await step('MUG-RED', 'item_ok');
    await step('MUG-BLUE', 'wrong_item');
    await step('NOPE-1', 'unknown_barcode');
    // An error stays (nothing but an answer or Esc replaces it); Esc clears it.
    await step('Escape', 'idle');
    await step('MUG-RED', 'overscan');
    await step('F2', 'undone');
    await step('MUG-RED', 'item_ok');
    await step('4002', 'finish_current_first');
    await step('!CONFIRM MUG-RED UNREADABLE', 'nothing_to_confirm');
    await step('!DANCE', 'invalid_command');
    await step('F4', 'skipped');
    await step('4002', 'order_opened');
    await step('MUG-BLUE', 'order_complete');
    await step('4002', 'already_completed');
    await step('!REOPEN 4005', 'not_completed');
    // F7 reopens the typed order and empties what was typed: the next scan is read on its own.
    await page.keyboard.type('4002', { delay: 4 });
    await expect(page.getByTestId('typed').textContent()).resolves.toBe('4002');
    await step('F7', 'reopened');
    await expect(page.getByTestId('typed').textContent()).resolves.toBe('—');
    await step('MUG-BLUE', 'order_complete');
    await step('F7', 'refused');
    await step('4003', 'order_opened');
    await step('!CONFIRM MUG-RED 2 UNREADABLE', 'confirm_not_allowed');
    await step('!CONFIRM MUG-RED UNREADABLE', 'confirmed_manually');
    await step('MUG-RED', 'order_complete_manual');
    await step('4004', 'order_opened');
    await step('F6', 'force_completed');
    // Longer than any barcode: the server refuses the request itself.
    await step('X'.repeat(201), 'server_error');
    await step('F8', 'end_needs_confirm');
    await step('F8', 'ended');

    // Another station takes the list away: the band says so at once, and for every scan after.
    await page.goto(`${server.url}/#/pack?client=SHOP&session=${session}&list=DHL&reopen=1`);
    await page.getByTestId('packer').waitFor();
    const released = await fetch(`${server.url}/api/clients/SHOP/sessions/${session}/lists/DHL/release`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: true, reason: 'band test' }),
    });
    expect(released.status).toBe(200);
    await capture('lease_lost');
    await step('4005', 'lease_lost');
    expect(await page.getByTestId('band-message').textContent()).toMatch(/"4005" was not saved/);
  });

  it('is readable from two metres at 1366×768', async () => {
    const page = browser.page;
    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 768 });
      // The rendered font's own cap height (the ink of "H"), not the CSS font size.
      const cap = await page.evaluate<number>(`(() => {
        const ctx = document.createElement('canvas').getContext('2d');
        const style = getComputedStyle(${BAND_EL}.querySelector('[data-testid=band-word]'));
        ctx.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
        return ctx.measureText('H').actualBoundingBoxAscent;
      })()`);
      expect(cap, `cap height at ${width}×768`).toBeGreaterThanOrEqual(MIN_CAP_HEIGHT_PX);
      const box = (await page.getByTestId('band-word').boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(cap);
      // The band fits the screen: the word is not cut off at the right.
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    // The station's own theme, kept in this browser across reloads.
    for (const theme of ['dark', 'contrast']) {
      await page.getByTestId('theme').selectOption(theme);
      await page.reload();
      await page.getByTestId('packer').waitFor();
      expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
      await screenshot(page, `band-theme-${theme}-1366x768`);
    }
    await page.getByTestId('theme').selectOption('light');
  });

  it('shows offline in the band on the next scan when the server is gone', async () => {
    const page = browser.page;
    await page.goto(`${server.url}/#/pack`);
    await page.getByTestId('picker').waitFor();
    await page.goto(`${server.url}/#/pack?client=SHOP&session=${session}&list=DHL`);
    await page.locator('[data-testid=status][data-kind=idle]').waitFor();
    await server.stop();
    await waitFor(
      () => server.process.exitCode !== null || server.process.signalCode !== null,
      'server gone',
    );
    await step('4005', 'offline');
    expect(await page.getByTestId('band-message').textContent()).toMatch(/"4005" was NOT saved/);
    expect((await sounds(page)).at(-1)).toBe('offline');
  });
  it('gives every outcome its own word, every group its own icon, and colours a deuteranope tells apart', () => {
    const all = [...seen.values()];
    // Every band there is, except "already saved" (a retried request, which a packer cannot cause).
    expect(new Set(seen.keys())).toEqual(new Set(Object.keys(BAND).filter((k) => k !== 'duplicate')));
    const words = new Map(all.map((s) => [s.word, s.kind]));
    expect(words.size, 'one word per outcome').toBe(all.length);
    const tones = new Map(all.map((s) => [s.tone, s]));
    const icons = new Set([...tones.values()].map((s) => s.icon));
    expect(icons.size, 'one icon per group').toBe(tones.size);
    const list = [...tones.values()];
    for (const [i, a] of list.entries()) {
      for (const b of list.slice(i + 1)) {
        const d = deltaE2000(
          simulateDeuteranopia(parseColour(a.bg)),
          simulateDeuteranopia(parseColour(b.bg)),
        );
        expect(d, `${a.kind} (${a.bg}) / ${b.kind} (${b.bg}) to a deuteranope`).toBeGreaterThanOrEqual(
          MIN_DELTA_E_DEUTERANOPIA,
        );
      }
    }
  });

  it('keeps icon and word in forced-colours mode', async () => {
    const page = browser.page;
    await page.emulateMedia({ forcedColors: 'active' });
    try {
      const word = page.getByTestId('band-word');
      const icon = page.getByTestId('band-icon');
      expect(await word.isVisible()).toBe(true);
      expect(await icon.isVisible()).toBe(true);
      const { stroke, colour, bg } = await page.evaluate<{ stroke: string; colour: string; bg: string }>(
        `({
          stroke: getComputedStyle(${BAND_EL}.querySelector('svg')).stroke,
          colour: getComputedStyle(${BAND_EL}.querySelector('[data-testid=band-word]')).color,
          bg: getComputedStyle(${BAND_EL}).backgroundColor,
        })`,
      );
      // Drawn in the system's text colour, on the system's background: visible whatever the scheme.
      expect(stroke).toBe(colour);
      expect(colour).not.toBe(bg);
      await screenshot(page, 'band-forced-colors-1366x768');
    } finally {
      await page.emulateMedia({ forcedColors: 'none' });
    }
  });
});
