// A packer who never touches keyboard or mouse: the list sheet and the command sheet, downloaded from
// the web app and decoded from their pixels, are scanned (typed as a scanner types) at the station;
// the list opens and the commands act. The session browser's Labels button gives labels that scan.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodePages, pdfToolsMissing } from '../helpers/pdf-tools.js';
import {
  browserMissing,
  cleanUpAfterEach,
  dataFolder,
  openBrowser,
  scan,
  scanAndWait,
  screenshot,
  seedThroughApi,
  serve,
  TWO_ORDERS,
} from './harness.js';

/** Clicks a PDF button, saves the download, and returns the codes on each page. */
async function downloadCodes(page: Page, testId: string, dir: string, dpi: number): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return decodePages(file, dpi);
}

describe.skipIf(browserMissing() || pdfToolsMissing())(
  'printed sheets and labels at a browser station',
  () => {
    const cleanups = cleanUpAfterEach();

    it('opens a list from a scanned list-sheet code, acts on scanned command-sheet codes, and prints labels that scan', async () => {
      const folder = await dataFolder();
      cleanups.push(folder.cleanup);
      const server = await serve(folder.root, folder.config, 'PACK1');
      cleanups.push(server.stop);
      const session = await seedThroughApi(server.url, 'SHOP', TWO_ORDERS);
      const browser = await openBrowser(`${server.url}/#/pack`);
      cleanups.push(browser.close);
      const page = browser.page;

      await expect.poll(() => page.getByTestId('list-scan').textContent()).toContain('Scan a list');
      const listSheet = await downloadCodes(page, 'list-sheet-button', folder.dir, 300);
      expect(listSheet).toEqual([[`!LIST SHOP/${session}/DHL`]]);
      // A stray order scan at the picker is answered, not dropped.
      await scan(page, '2001');
      await expect
        .poll(() => page.getByTestId('list-scan').textContent())
        .toContain('not a packing-list code');
      await screenshot(page, 'labels-picker-refused');

      await scan(page, listSheet[0]![0]!);
      await page.getByTestId('worker-input').fill('Ann');
      await page.getByRole('button', { name: 'Start packing' }).click();
      await page.getByTestId('packer').waitFor();
      expect(page.url()).toContain(`session=${session}`);

      const commands = (await downloadCodes(page, 'command-sheet-button', folder.dir, 300)).flat();
      expect(commands).toEqual(['!CONFIRM', '!END', '!FORCE', '!PAUSE', '!SKIP', '!UNDO']);
      const code = (word: string) => commands.find((c) => c === word)!;

      await scanAndWait(browser, '2001', 'order_opened');
      await scanAndWait(browser, 'MUG-RED', 'item_ok');
      await scanAndWait(browser, code('!UNDO'), 'undone');
      expect(await page.getByTestId('lines').locator('[data-sku="MUG-RED"] .num').textContent()).toBe('0/2');
      await scanAndWait(browser, code('!SKIP'), 'skipped');
      await screenshot(page, 'labels-station-commands');

      // The printed close code lets go of the list, as the Close button does.
      await scan(page, code('!PAUSE'));
      await page.getByTestId('sessions').waitFor();
      const row = page.getByTestId(`list-${session}-DHL`);
      await expect.poll(() => row.getByTestId('state').textContent()).toMatch(/paused/i);

      const labels = await downloadCodes(page, 'labels-button', folder.dir, 203);
      expect(labels).toEqual([['2001'], ['2002']]);
      await screenshot(page, 'labels-session-browser');

      // A label the printer cannot carry is refused on the page in the server's words, not saved broken.
      const put = await fetch(`${server.url}/api/clients/SHOP/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          barcode_label: {
            width_mm: 68,
            height_mm: 38,
            dpi: 203,
            show_quantity: true,
            show_client_name: false,
            font_size: 30,
          },
        }),
      });
      expect(put.status).toBe(200);
      await page.getByTestId('labels-button').click();
      await expect
        .poll(() => page.getByTestId('labels-button-error').textContent())
        .toContain('leaves no room for the barcode');
    });
  },
);
