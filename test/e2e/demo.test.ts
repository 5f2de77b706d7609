// The first run's demo shows a newcomer the way: `packdesk start` on an empty folder seeds the demo,
// the picker offers its order labels and the command sheet with a word on what to do, the station
// names the orders to scan, and each demo order says which barcodes to scan, which then work.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startCli, tempDir } from '../helpers/cli.js';
import { decodePages, pdfToolsMissing } from '../helpers/pdf-tools.js';
import { waitFor } from '../helpers/wait.js';
import { browserMissing, cleanUpAfterEach, openBrowser, scanAndWait, screenshot } from './harness.js';

async function download(page: Page, testId: string, dir: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).first().click()]);
  const saved = path.join(dir, file.suggestedFilename());
  await file.saveAs(saved);
  return saved;
}

describe.skipIf(browserMissing() || pdfToolsMissing())('the demo shows the way', () => {
  const cleanups = cleanUpAfterEach();

  it('offers the demo labels and command sheet, names what to scan, and the named barcodes pack', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const child = startCli(['start', '--port', '0'], { cwd: dir, env: { PACKDESK_STATION: 'DEMO-PC' } });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    cleanups.push(async () => {
      child.kill('SIGTERM');
      await waitFor(
        () => child.exitCode !== null || child.signalCode !== null,
        'packdesk start to stop',
        10_000,
      );
    });
    const url = await waitFor(() => /Open (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], 'packdesk start');
    const browser = await openBrowser(`${url}/#/pack`);
    cleanups.push(browser.close);
    const page = browser.page;

    await page.getByTestId('picker-help').waitFor();
    await screenshot(page, 'demo-picker-1366');
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, 'demo-picker-1024');
    await page.setViewportSize({ width: 1366, height: 768 });
    const labels = await decodePages(await download(page, 'labels-button', dir), 203);
    expect(labels).toEqual([['1001'], ['1002'], ['1003'], ['1004'], ['1005']]);
    const commands = (await decodePages(await download(page, 'command-sheet-button', dir), 300)).flat();
    expect(commands).toContain('!UNDO');

    // The download buttons took the focus; the list is opened from the keyboard like on arrival.
    await page.locator('.pick-lists button.big').first().focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('worker-input').fill('Newcomer');
    await page.getByRole('button', { name: 'Start packing' }).click();
    await page.getByTestId('packer').waitFor();
    expect(await page.getByTestId('next-orders').textContent()).toContain('#1001');
    await scanAndWait(browser, labels[0]![0]!, 'order_opened');
    const hint = await page.getByTestId('order-details').textContent();
    expect(hint).toContain('what to scan');
    await screenshot(page, 'demo-station-1366');
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, 'demo-station-1024');
    await page.setViewportSize({ width: 1366, height: 768 });
    // Every barcode the hint names packs the order.
    const barcodes = [...hint!.matchAll(/(\d+ × )?\S+ \(barcode (\d+)\)/g)].flatMap((m) =>
      Array<string>(m[1] ? Number.parseInt(m[1], 10) : 1).fill(m[2]!),
    );
    expect(barcodes).toEqual(['4006381333931', '5901234123457', '5901234123457']);
    await scanAndWait(browser, barcodes[0]!, 'item_ok');
    await scanAndWait(browser, barcodes[1]!, 'item_ok');
    await scanAndWait(browser, barcodes[2]!, 'order_complete');
  });
});
