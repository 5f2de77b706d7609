// config.json: damaged files, seed-era files, saving, and the per-process cache that must see
// another PC's save within its TTL without re-reading unchanged files.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Layout } from '../src/store/layout.js';
import {
  configCache,
  createClientProfile,
  loadClientConfig,
  updateClientConfig,
} from '../src/store/profiles.js';
import { runCli, runCliJson, tempDir } from './helpers/cli.js';
import { waitFor } from './helpers/wait.js';

let dir: string;
let cleanup: () => Promise<void>;
let layout: Layout;
const lock = { heartbeatMs: 100, staleMs: 1_000, waitMs: 5_000 };

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  layout = new Layout(dir);
  for (const sub of ['CLIENTS', 'SESSIONS', 'STATS']) await fs.mkdir(path.join(dir, sub));
  configCache.forget();
});
afterEach(() => cleanup());

const configFile = (id: string) => path.join(dir, 'CLIENTS', `CLIENT_${id}`, 'config.json');

describe('damaged config.json', () => {
  for (const [label, content] of [
    ['torn', '{"client_id": "M", "client_na'],
    ['empty', ''],
    ['wrong shape', '{"client_id": "M", "barcode_label": "big"}'],
  ] as const) {
    it(`a ${label} file: client show uses the last good backup and says so`, async () => {
      await createClientProfile(layout, { clientId: 'M', clientName: 'M Cosmetics', station: 'PC1' });
      await updateClientConfig(layout, 'M', (c) => ({ ...c, courier_deadlines: { DHL: '18:30' } }), {
        station: 'PC1',
        lock,
      });
      await fs.writeFile(configFile('M'), content);
      const shown = await runCliJson<{
        config: { client_name: string; courier_deadlines: object };
        warnings: string[];
      }>(['client', 'show', 'M', '--root', dir]);
      expect(shown.config).toMatchObject({ client_name: 'M Cosmetics', courier_deadlines: { DHL: '18:30' } });
      expect(shown.warnings.join(' ')).toMatch(
        /config\.json of client M could not be used .*using the backup/,
      );
      // Nothing was silently rewritten: the damaged file is still there for an admin to look at.
      expect(await fs.readFile(configFile('M'), 'utf8')).toBe(content);
    });
  }

  it('a damaged file with no good backup stops with a clear error; other clients still list', async () => {
    await createClientProfile(layout, { clientId: 'M', clientName: 'M Cosmetics', station: 'PC1' });
    await createClientProfile(layout, { clientId: 'R', clientName: 'R Shop', station: 'PC1' });
    await fs.writeFile(configFile('M'), '{');
    await fs.rm(path.join(dir, 'CLIENTS', 'CLIENT_M', 'backups'), { recursive: true });
    const show = await runCli(['client', 'show', 'M', '--root', dir, '--json']);
    expect(show.code).toBe(8);
    expect(JSON.parse(show.stderr)).toMatchObject({
      error: 'CORRUPT',
      message: expect.stringMatching(/settings of client M .* damaged/),
    });
    const listed = await runCliJson<{ clients: Array<{ client_id: string }>; warnings: string[] }>([
      'client',
      'list',
      '--root',
      dir,
    ]);
    expect(listed.clients.map((c) => c.client_id)).toEqual(['R']);
    expect(listed.warnings.join(' ')).toMatch(/Client M: .*damaged/);
  });
});

describe('config.json formats', () => {
  it('reads a seed-era config.json (no schema_version, no packdesk sections) with defaults', async () => {
    await createClientProfile(layout, { clientId: 'M', clientName: 'M Cosmetics', station: 'PC1' });
    await fs.writeFile(
      configFile('M'),
      JSON.stringify({
        client_id: 'M',
        client_name: 'M Cosmetics',
        created_at: '2025-11-03T14:30:45.123456',
        barcode_label: {
          width_mm: 68,
          height_mm: 38,
          dpi: 203,
          show_quantity: false,
          show_client_name: false,
          font_size: 10,
        },
        courier_deadlines: { PostOne: '15:00' },
        required_columns: {
          order_number: 'Order',
          sku: 'SKU',
          product_name: 'Name',
          quantity: 'Qty',
          courier: 'Courier',
        },
        last_updated: '2025-11-03T14:30:45',
        updated_by: 'WAREHOUSE-PC1',
        custom_field_from_later_version: { keep: true },
      }),
    );
    const { value, warning } = await loadClientConfig(layout, 'M', { fresh: true });
    expect(warning).toBeUndefined();
    expect(value).toMatchObject({
      schema_version: 1,
      packing_rules: { allow_force_complete: false },
      barcode_label: { width_mm: 68 },
    });
    // Saving keeps fields this version does not know, so an older station never drops a newer one's settings.
    await updateClientConfig(
      layout,
      'M',
      (c) => ({ ...c, packing_rules: { ...c.packing_rules, allow_force_complete: true } }),
      {
        station: 'PC2',
        lock,
      },
    );
    const saved = JSON.parse(await fs.readFile(configFile('M'), 'utf8'));
    expect(saved).toMatchObject({
      custom_field_from_later_version: { keep: true },
      packing_rules: { allow_force_complete: true },
      updated_by: 'PC2',
    });
  });

  it('refuses to save an invalid setting and leaves the file as it was', async () => {
    await createClientProfile(layout, { clientId: 'M', clientName: 'M Cosmetics', station: 'PC1' });
    const before = await fs.readFile(configFile('M'), 'utf8');
    await expect(
      updateClientConfig(layout, 'M', (c) => ({ ...c, courier_deadlines: { DHL: '25:00' } }), {
        station: 'PC1',
        lock,
      }),
    ).rejects.toThrow(/courier_deadlines\.DHL.*time like "15:00"/);
    expect(await fs.readFile(configFile('M'), 'utf8')).toBe(before);
  });
});

describe('config cache', () => {
  it('does not re-read an unchanged file, and sees another PC’s save within the TTL', async () => {
    await createClientProfile(layout, { clientId: 'M', clientName: 'M Cosmetics', station: 'PC1' });
    const start = { ...configCache.stats };
    for (let i = 0; i < 50; i++) await loadClientConfig(layout, 'M');
    expect(configCache.stats.reads - start.reads).toBe(1);

    // Another PC saves (a separate process through the real command path).
    const otherPc = path.join(dir, 'other-pc.mjs');
    await fs.writeFile(
      otherPc,
      `import { Layout } from ${JSON.stringify(path.resolve('dist/src/store/layout.js'))};
       import { updateClientConfig } from ${JSON.stringify(path.resolve('dist/src/store/profiles.js'))};
       await updateClientConfig(new Layout(process.argv[2]), 'M', (c) => ({ ...c, client_name: 'Renamed' }), { station: 'PC2', lock: ${JSON.stringify(lock)} });`,
    );
    const savedAt = performance.now();
    execFileSync(process.execPath, [otherPc, dir]);
    const seen = await waitFor(
      async () => (await loadClientConfig(layout, 'M')).value.client_name === 'Renamed',
      'the other PC’s save to show',
      10_000,
    );
    expect(seen).toBe(true);
    expect(performance.now() - savedAt).toBeLessThan(configCache.ttlMs + 1_000);
    const afterChange = configCache.stats.reads;
    const revalidatedBefore = configCache.stats.revalidated;
    // Past the TTL an unchanged file is checked by stat, not read again.
    await waitFor(
      async () => {
        await loadClientConfig(layout, 'M');
        return configCache.stats.revalidated > revalidatedBefore;
      },
      'a stat revalidation after the TTL',
      10_000,
      100,
    );
    expect(configCache.stats.reads).toBe(afterChange);
  });
});
