// Edits of a prepared 50,000-order session (`npm run bench -- prepare-edits`): one hold, then a bulk
// hold and a bulk release of 2,000 orders and the undo of the bulk hold. A bulk edit is one ledger
// record, so it should cost about one edit, not one edit per order. The edits go through a memo as
// the preparation worker makes them (inputs read once, one analysis per edit); one edit is also made
// without it, as `packdesk prepare hold` does from the command line.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '../src/app/clients.js';
import { changeClientSettings } from '../src/app/client-settings.js';
import { editPreparedSession } from '../src/app/prepare-edits.js';
import { PreparationMemo } from '../src/app/preparation-memo.js';
import { prepareSession } from '../src/app/prepare-session.js';
import { initialiseDataFolder } from '../src/app/setup.js';
import { loadStationContext } from '../src/app/station-context.js';
import type { PreparationChange } from '../src/domain/preparation-edits.js';
import { defaultPreparationSettings, PreparationSettingsSchema } from '../src/domain/preparation-settings.js';
import { SAMPLE_RULES, shopifySample } from './shopify-sample.js';
import type { BenchRow } from './table.js';

const ORDERS = 50_000;
const BULK = 2_000;

export async function run(): Promise<BenchRow[]> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'packdesk-bench-edits-'));
  try {
    const sample = shopifySample({ orders: ORDERS });
    for (const [name, data] of [
      ['orders.csv', sample.ordersCsv],
      ['stock.csv', sample.stockCsv],
      ['sets.csv', sample.setsCsv],
    ] as const)
      await fs.writeFile(path.join(base, name), data);
    const ctx = await loadStationContext({ root: path.join(base, 'data') }, 'bench');
    await initialiseDataFolder(ctx.layout, ctx.settings);
    await createClient(ctx, 'B', 'Bench');
    await changeClientSettings({ ...ctx, station: 'bench' }, 'B', {
      preparation: PreparationSettingsSchema.parse({ ...defaultPreparationSettings(), rules: SAMPLE_RULES }),
    });
    const who = { station: 'bench', worker: 'bench' };
    const memo = new PreparationMemo();
    const prepared = await prepareSession(
      ctx,
      'B',
      {
        orders: [{ name: 'orders.csv', path: path.join(base, 'orders.csv') }],
        stock: { name: 'stock.csv', path: path.join(base, 'stock.csv') },
        sets: { name: 'sets.csv', path: path.join(base, 'sets.csv') },
      },
      who,
      { memo },
    );
    const session = prepared.session!;
    const fulfillable = prepared.result.orders.filter((o) => o.status === 'fulfillable');
    const some = fulfillable.slice(0, BULK).map((o) => o.order_number);
    const size = `${ORDERS.toLocaleString('en')} orders, ${sample.lines.toLocaleString('en')} lines`;
    const timed = async (change: PreparationChange, kept: PreparationMemo | undefined = memo) => {
      const load = os.loadavg()[0]!;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const r = await editPreparedSession(ctx, 'B', session, change, who, kept);
      const cpu = process.cpuUsage(cpu0);
      return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, r, load };
    };
    // Wall time follows the shared machine's load; the CPU time of the process shows the work.
    const row = (what: string, t: { ms: number; cpuMs: number; load: number }, extra = ''): BenchRow => ({
      what,
      size: `${size}${extra}; load ${t.load.toFixed(1)}`,
      figure: `${(t.ms / 1000).toFixed(2)} s (CPU ${(t.cpuMs / 1000).toFixed(2)} s)`,
      budget: '—',
      withinBudget: null,
    });
    const one = await timed({ type: 'hold', order: some[0]! });
    const undoOne = await timed({ type: 'undo', undoes: one.r.edit.seq });
    const cli = await timed({ type: 'hold', order: some[0]! }, undefined);
    await editPreparedSession(ctx, 'B', session, { type: 'undo', undoes: cli.r.edit.seq }, who, memo);
    const hold = await timed({ type: 'hold_many', orders: some });
    const release = await timed({ type: 'release_many', orders: some });
    const again = await timed({ type: 'hold_many', orders: some });
    const undo = await timed({ type: 'undo', undoes: again.r.edit.seq });
    if (hold.r.result.counts.held < BULK) throw new Error('the bulk hold did not hold every order');
    return [
      row('one edit (hold one order), the first after the run', one),
      row('undo of that hold', undoOne),
      row('one edit without the worker memo (command line: reads the inputs, analyses twice)', cli),
      row(`bulk hold of ${BULK.toLocaleString('en')} orders (one record)`, hold),
      row(
        `bulk release of the same ${BULK.toLocaleString('en')}`,
        release,
        `, ${release.r.skipped.length} left held`,
      ),
      row(`undo of a bulk hold of ${BULK.toLocaleString('en')}`, undo),
      {
        what: `the same bulk hold made as ${BULK.toLocaleString('en')} single edits (estimate)`,
        size: `${BULK.toLocaleString('en')} × the one-edit figure above`,
        figure: `${((BULK * one.ms) / 3_600_000).toFixed(1)} h`,
        budget: '—',
        withinBudget: null,
      },
    ];
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}
