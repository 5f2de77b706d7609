// Two shift leads preparing the same client at once, each from a PC of its own over the SMB rig: two
// sessions, each whole, neither touching the other's files.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisFileSchema } from '../src/domain/analysis-file.js';
import { runCli, runCliJson, tempDir } from './helpers/cli.js';
import { ordersCsv, stockCsv } from './helpers/preparation.js';
import { smbRig } from './helpers/smb-rig.js';

const rig = smbRig();

describe.skipIf(!rig)('prepare over SMB', () => {
  it('two PCs prepare the same client at once: two complete sessions', async () => {
    const { dir, cleanup } = await tempDir('packdesk-prepare-smb-');
    try {
      const sub = `prepare-smb-${process.pid}-${Date.now()}`;
      const root1 = path.join(rig!.pc1, sub);
      const root2 = path.join(rig!.pc2, sub);
      const config = path.join(dir, 'config.ini');
      await fs.writeFile(
        config,
        '[Locking]\nHeartbeatSeconds = 0.5\nStaleSeconds = 4\n[Network]\nConnectionTimeout = 10\n',
      );
      await runCliJson(['init', '--root', root1, '--config', config]);
      await runCliJson(['client', 'create', 'M', '--name', 'M Ltd', '--root', root1, '--config', config]);
      const orders = path.join(dir, 'orders.csv');
      const stock = path.join(dir, 'stock.csv');
      const spec = Array.from({ length: 300 }, (_, i) => ({
        order: `#${2000 + i}`,
        method: i % 2 ? 'DHL Express' : 'Speedy',
        lines: [{ sku: `S${i % 40}`, qty: 1 + (i % 2) }, ...(i % 3 ? [{ sku: `S${(i + 7) % 40}` }] : [])],
      }));
      await fs.writeFile(orders, ordersCsv(spec));
      await fs.writeFile(
        stock,
        stockCsv(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`S${i}`, 12]))),
      );
      const prepare = (root: string, station: string) =>
        runCli([
          'prepare',
          'M',
          '--orders',
          orders,
          '--stock',
          stock,
          '--station',
          station,
          '--root',
          root,
          '--config',
          config,
          '--json',
        ]);
      const [a, b] = await Promise.all([prepare(root1, 'PC1'), prepare(root2, 'PC2')]);
      expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
      const ja = JSON.parse(a.stdout) as { session: string; fulfillable: number; lists: unknown[] };
      const jb = JSON.parse(b.stdout) as { session: string; fulfillable: number; lists: unknown[] };
      expect(ja.session).not.toBe(jb.session);
      // Same inputs, same analysis; each session complete, seen from either PC.
      expect(jb.fulfillable).toBe(ja.fulfillable);
      for (const s of [ja, jb]) {
        for (const root of [root1, root2]) {
          const doc = AnalysisFileSchema.parse(
            JSON.parse(
              await fs.readFile(
                path.join(root, 'SESSIONS', 'CLIENT_M', s.session, 'analysis', 'analysis.json'),
                'utf8',
              ),
            ),
          );
          expect(doc.session).toBe(s.session);
          expect(doc.counts.orders_total).toBe(300);
        }
      }
      const listed = await runCliJson<Array<{ session: string; lists: unknown[] }>>([
        'session',
        'list',
        'M',
        '--root',
        root2,
        '--config',
        config,
      ]);
      expect(listed.map((s) => s.session).sort()).toEqual([ja.session, jb.session].sort());
      expect(listed.every((s) => s.lists.length === ja.lists.length)).toBe(true);
    } finally {
      await cleanup();
    }
  });
});
