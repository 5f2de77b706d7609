// Two PCs printing the same list's labels at the same moment: one numbering record is written, both
// prints carry the same numbers, and neither fails.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { ordersSpec, setUpPacking } from './helpers/packing-session.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

it('numbers a list once when two processes print it at the same time', async () => {
  const setup = await setUpPacking(dir, path.join(dir, 'data'), ordersSpec(50));
  const print = (station: string) =>
    runCli(
      ['labels', setup.client, setup.session, '--root', setup.root, '--config', setup.config, '--json'],
      {
        env: { PACKDESK_STATION: station },
      },
    );
  const [a, b] = await Promise.all([print('PC1'), print('PC2')]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  const numbers = (out: string) =>
    (JSON.parse(out) as { labels: Array<{ order: string; number: number }> }).labels.map((l) => [
      l.order,
      l.number,
    ]);
  expect(numbers(a.stdout)).toEqual(numbers(b.stdout));
  expect(numbers(a.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => [`#${1001 + i}`, i + 1]));
  const records = await readdir(
    path.join(
      setup.root,
      'SESSIONS',
      `CLIENT_${setup.client}`,
      setup.session,
      'barcodes',
      'DHL',
      'numbering',
    ),
  );
  expect(records.filter((r) => r.endsWith('.json'))).toEqual(['numbering-0001.json']);
});
