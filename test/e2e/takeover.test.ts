// A station whose server process is killed with kill -9 is taken over from another browser, on a
// local folder and over SMB between two PCs, with every acknowledged scan kept.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smbRig } from '../helpers/smb-rig.js';
import { waitFor } from '../helpers/wait.js';
import {
  browserMissing,
  dataFolder,
  openBrowser,
  seedThroughApi,
  scanAndWait,
  serve,
  startPacking,
  cleanUpAfterEach,
  screenshot,
  TWO_ORDERS as ORDERS,
} from './harness.js';
import { mkdir, rm } from 'node:fs/promises';
import { runCliJson } from '../helpers/cli.js';

describe.skipIf(browserMissing())('taking over from a killed station', () => {
  const cleanups = cleanUpAfterEach();

  const places: Array<
    [string, () => Promise<{ root1: string; root2: string; config: string; cleanup(): Promise<void> } | null>]
  > = [
    [
      'on a local folder',
      async () => {
        const f = await dataFolder();
        return { root1: f.root, root2: f.root, config: f.config, cleanup: f.cleanup };
      },
    ],
    [
      'over SMB from two PCs',
      async () => {
        const rig = smbRig();
        if (!rig) return null;
        const f = await dataFolder();
        const rel = `e2e-${process.pid}-${Date.now()}`;
        await mkdir(path.join(rig.pc1, rel));
        await runCliJson(['init', '--root', path.join(rig.pc1, rel, 'data'), '--config', f.config]);
        const cleanup = async () => {
          await rm(path.join(rig.pc1, rel), { recursive: true, force: true });
          await f.cleanup();
        };
        return {
          root1: path.join(rig.pc1, rel, 'data'),
          root2: path.join(rig.pc2, rel, 'data'),
          config: f.config,
          cleanup,
        };
      },
    ],
  ];

  for (const [where, place] of places) {
    it(`takes over a list from a station killed with kill -9, ${where}, with nothing lost`, async (t) => {
      const p = await place();
      if (!p) return t.skip();
      cleanups.push(p.cleanup);
      const s1 = await serve(p.root1, p.config, 'PC1');
      cleanups.push(s1.stop);
      const s2 = await serve(p.root2, p.config, 'PC2');
      cleanups.push(s2.stop);
      const session = await seedThroughApi(s1.url, 'SHOP', ORDERS);
      const a = await openBrowser(s1.url);
      cleanups.push(a.close);
      const b = await openBrowser(s2.url);
      cleanups.push(b.close);

      // The first desk gets a name people know it by; the second station's screen shows that name.
      await a.page.getByTestId('station-name').click();
      await a.page.getByTestId('station-name-input').fill('Desk-3');
      await a.page.keyboard.press('Enter');
      await a.page.getByTestId('station-name').filter({ hasText: 'Desk-3' }).waitFor();
      await startPacking(a, s1.url, session, 'Ann');
      await a.page.getByTestId('packer').waitFor();
      await scanAndWait(a, '2001', 'order_opened');
      await scanAndWait(a, 'MUG-RED', 'item_ok');
      await scanAndWait(a, 'MUG-RED', 'item_ok');
      s1.process.kill('SIGKILL');
      await waitFor(() => s1.process.signalCode === 'SIGKILL', 'station 1 to die');

      await startPacking(b, s2.url, session, 'Bob');
      await b.page.getByTestId('locked').waitFor();
      // Who holds it, and how long since its last heartbeat, counting up; words for a browser user.
      await expect(b.page.getByTestId('holder-station').textContent()).resolves.toBe('Desk-3');
      const age = async () =>
        Number(/(\d+) s ago/.exec((await b.page.getByTestId('heartbeat-age').textContent())!)![1]);
      const first = await age();
      await expect.poll(age, { message: 'the heartbeat age counts up' }).toBeGreaterThan(first);
      expect(await b.page.getByTestId('locked').textContent()).not.toMatch(/--/);
      await screenshot(b.page, `takeover-locked-${where.replaceAll(' ', '-')}`);
      // F9 asks for the take-over; the countdown says when it happens, with nothing more to press.
      const asked = Date.now();
      await b.page.keyboard.press('F9');
      await b.page
        .getByTestId('takeover-countdown')
        .filter({ hasText: /in \d+ s/ })
        .waitFor();
      await screenshot(b.page, `takeover-countdown-${where.replaceAll(' ', '-')}`);
      // After the watch it says what it still waits for: the seal margin, so the old station sees it.
      await b.page
        .getByTestId('takeover-countdown')
        .filter({ hasText: /Waiting \d+ s so it sees the take-over/ })
        .waitFor({ timeout: 20_000 });
      await b.page.getByTestId('packer').waitFor({ timeout: 20_000 });
      // One lease time of watching (3 s in these tests), plus the share's delays.
      expect(Date.now() - asked).toBeLessThan(15_000);
      // The acknowledged scans of the killed station are all there.
      expect(await b.page.getByTestId('progress').textContent()).toMatch(/^0\/2 orders · 2\/4 items/);
      // The order that was open at the killed station is still open, with its two scans.
      expect(await b.page.getByTestId('order-number').textContent()).toBe('Order #2001');
      expect(await b.page.locator('tr[data-sku="MUG-RED"] td.num').textContent()).toBe('2/2');
      await scanAndWait(b, 'TEA-GREEN', 'order_complete');
      await scanAndWait(b, '2002', 'order_opened');
      await scanAndWait(b, 'MUG-BLUE', 'order_complete');
      expect(await b.page.getByTestId('progress').textContent()).toMatch(/^2\/2 orders · 4\/4 items/);
      const summary = (await (
        await fetch(`${s2.url}/api/clients/SHOP/sessions/${session}/lists/DHL/report?file=summary`)
      ).json()) as Record<string, unknown>;
      expect(summary).toMatchObject({ orders_completed: 2, items_packed: 4 });
    });
  }
});
