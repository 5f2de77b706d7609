import { promises as fs } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackLineSchema, type PackLine } from '../src/contract/pack-line.js';
import { runCli, runCliJson, tempDir } from './helpers/cli.js';
import { fullScript, ordersSpec, setUpPacking, type PackingSetup } from './helpers/packing-session.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** Every line `packdesk pack --json` prints is checked against the API contract's schema. */
type Outcome = PackLine;

async function pack(
  setup: PackingSetup,
  lines: string[],
  extra: string[] = [],
): Promise<{ code: number | null; outcomes: Outcome[]; stderr: string }> {
  const result = await runCli(
    [
      'pack',
      setup.client,
      setup.session,
      '--root',
      setup.root,
      '--config',
      setup.config,
      '--json',
      '--worker',
      'Ann',
      '--station',
      'S1',
      ...extra,
    ],
    {
      input: lines.map((l) => `${l}\n`).join(''),
    },
  );
  return {
    code: result.code,
    stderr: result.stderr,
    outcomes: result.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => PackLineSchema.parse(JSON.parse(l))),
  };
}

describe('packdesk pack (terminal station)', () => {
  it('answers every scan with its outcome, refuses over-scans and wrong items, and pauses at end of input', async () => {
    const spec = {
      '#1001': [
        ['SKU-A', 2],
        ['SKU-B', 1],
      ] as [string, number][],
      '#1002': [['SKU-C', 1]] as [string, number][],
    };
    const setup = await setUpPacking(dir, path.join(dir, 'data'), spec);
    const run = await pack(setup, ['1001', 'SKU-A', 'SKU-C', 'SKU-A', 'SKU-A', 'NOPE-9', 'SKU-B', '#1002']);
    expect(run.code).toBe(0);
    expect(run.outcomes.map((o) => o.kind)).toEqual([
      'station_ready',
      'order_opened',
      'item_ok',
      'wrong_item',
      'item_ok',
      'overscan',
      'unknown_barcode',
      'order_complete',
      'order_opened',
      'paused',
    ]);
    const overscan = run.outcomes[5]!;
    expect(overscan).toMatchObject({ sku: 'SKU-A', packed: 2, required: 2 });

    const listing = await runCliJson<{
      lists: { name: string; state: string; orders_done: number; items_done: number }[];
    }>(['session', 'show', setup.client, setup.session, '--root', setup.root, '--config', setup.config]);
    expect(listing.lists[0]).toMatchObject({ state: 'paused' });
  });

  it('resumes where the last sitting stopped, writes the reports on END, and counts each sitting once in the stats', async () => {
    const spec = ordersSpec(4);
    const script = fullScript(spec);
    const setup = await setUpPacking(dir, path.join(dir, 'data'), spec);
    const half = script.indexOf('1003');
    const first = await pack(setup, script.slice(0, half));
    expect(first.outcomes.filter((o) => o.kind === 'order_complete')).toHaveLength(2);
    const listed = await runCliJson<
      { lists: { state: string; orders_done: number; items_done: number; orders_total: number }[] }[]
    >(['session', 'list', setup.client, '--root', setup.root, '--config', setup.config]);
    expect(listed[0]!.lists[0]).toMatchObject({
      state: 'paused',
      orders_done: 2,
      orders_total: 4,
      items_done: 6,
    });
    const second = await pack(setup, [...script.slice(half), '!END']);
    expect(second.outcomes[0]).toMatchObject({ kind: 'station_ready', packed: 2, required: 4 });
    expect(second.outcomes.filter((o) => o.kind === 'order_complete')).toHaveLength(2);
    expect(second.outcomes.at(-1)).toMatchObject({ kind: 'ended' });

    const output = path.join(setup.root, 'SESSIONS', 'CLIENT_ACME', setup.session, 'output', 'DHL');
    const summary = JSON.parse(await fs.readFile(path.join(output, 'session_summary.json'), 'utf8'));
    expect(summary).toMatchObject({
      orders_total: 4,
      orders_completed: 4,
      status: 'completed',
      overscans: 0,
    });
    expect(summary.workers).toEqual([expect.objectContaining({ worker: 'Ann', orders_completed: 4 })]);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(output, 'packing_completed.xlsx'));
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(5);
    // Each order has its own completion time, as a real date.
    const completedAt = [2, 3, 4, 5].map((r) => sheet.getRow(r).getCell(6).value);
    for (const at of completedAt) expect(at).toBeInstanceOf(Date);
    expect(new Set(completedAt.map((at) => (at as Date).getTime())).size).toBe(4);
    expect([2, 3, 4, 5].map((r) => sheet.getRow(r).getCell(3).value)).toEqual([
      'Completed',
      'Completed',
      'Completed',
      'Completed',
    ]);

    const stats = await runCliJson<{
      totals: { orders_completed: number; sittings: number };
      by_worker: Record<string, { orders_completed: number }>;
    }>(['stats', '--root', setup.root, '--config', setup.config]);
    expect(stats.totals).toMatchObject({ orders_completed: 4, sittings: 2 });
    expect(stats.by_worker.Ann!.orders_completed).toBe(4);

    // Opening the ended list again and ending it again adds a sitting that did nothing.
    const third = await pack(setup, ['!END']);
    expect(third.outcomes.at(-1), JSON.stringify(third.outcomes)).toMatchObject({ kind: 'ended' });
    const again = await runCliJson<{ totals: { orders_completed: number } }>([
      'stats',
      '--root',
      setup.root,
      '--config',
      setup.config,
    ]);
    expect(again.totals.orders_completed).toBe(4);

    const report = await runCliJson<{ summary: { orders_completed: number } }>([
      'report',
      setup.client,
      setup.session,
      '--root',
      setup.root,
      '--config',
      setup.config,
    ]);
    expect(report.summary.orders_completed).toBe(4);
  });

  it('tells a second station who holds the list', async () => {
    const setup = await setUpPacking(dir, path.join(dir, 'data'), ordersSpec(2));
    const { startCli } = await import('./helpers/cli.js');
    const holder = startCli([
      'pack',
      setup.client,
      setup.session,
      '--root',
      setup.root,
      '--config',
      setup.config,
      '--json',
      '--station',
      'S1',
      '--worker',
      'Ann',
    ]);
    let out = '';
    holder.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const { waitFor } = await import('./helpers/wait.js');
    await waitFor(() => out.includes('station_ready'), 'the first station to open the list');
    const second = await pack(setup, ['1001'], ['--station', 'S2']);
    expect(second.code).toBe(5);
    expect(JSON.parse(second.stderr)).toMatchObject({
      error: 'SESSION_LOCKED',
      holder: { station: 'S1', worker: 'Ann' },
    });
    holder.stdin!.end();
    await new Promise((resolve) => holder.on('close', resolve));
  });

  it('packs as a worker with a PIN only with that PIN', async () => {
    const setup = await setUpPacking(dir, path.join(dir, 'data'), ordersSpec(1));
    const { createWorker } = await import('../src/app/workers.js');
    const { DEFAULT_SETTINGS } = await import('../src/domain/settings.js');
    const { Layout } = await import('../src/store/layout.js');
    await createWorker(
      { layout: new Layout(setup.root), settings: DEFAULT_SETTINGS, station: 'PREP' },
      'Ann',
      '4321',
    );
    const without = await pack(setup, []);
    expect(without.code).toBe(2);
    expect(JSON.parse(without.stderr)).toMatchObject({ error: 'VALIDATION', field: 'pin' });
    expect((await pack(setup, [], ['--pin', '1111'])).code).toBe(2);
    const withPin = await pack(setup, [], ['--pin', '4321']);
    expect(withPin.code, withPin.stderr).toBe(0);
    expect(withPin.outcomes[0]).toMatchObject({ kind: 'station_ready' });
  });
});
