// The preparation worker keeps a session's inputs and its latest analysis between edits (so an edit
// analyses once instead of reading the inputs again and analysing twice). What it writes must be
// exactly what an edit that reads everything again writes, also when another station edits the same
// session in between and when a change is refused.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/app/clients.js';
import { PreparationMemo } from '../src/app/preparation-memo.js';
import { editPreparedSession } from '../src/app/prepare-edits.js';
import { prepareSession, type PrepareInputs } from '../src/app/prepare-session.js';
import { initialiseDataFolder } from '../src/app/setup.js';
import { loadStationContext } from '../src/app/station-context.js';
import type { PreparationChange } from '../src/domain/preparation-edits.js';
import { tempDir } from './helpers/cli.js';
import { ordersCsv, stockCsv } from './helpers/preparation.js';

let dir: string;
let cleanup: () => Promise<void>;
let ctx: Awaited<ReturnType<typeof loadStationContext>>;

const LEAD = { station: 'LEAD', worker: 'Ann' };
const OTHER = { station: 'OFFICE', worker: 'Bob' };

const inputs = (): PrepareInputs => ({
  orders: [
    {
      name: 'orders_export.csv',
      data: Buffer.from(
        ordersCsv([
          { order: '#1001', method: 'DHL Express', lines: [{ sku: 'MUG', qty: 2 }, { sku: 'TEA' }] },
          { order: '#1002', method: 'DPD Classic', lines: [{ sku: 'MUG' }] },
          { order: '#1003', method: 'DHL Express', lines: [{ sku: 'MUG' }, { sku: 'LAMP' }] },
          {
            order: '#1004',
            method: 'Speedy',
            lines: [
              { sku: 'TEA', qty: 2 },
              { sku: '', name: 'Tip' },
            ],
          },
          { order: '#1005', method: 'DPD Classic', lines: [{ sku: 'TEA' }] },
        ]),
      ),
    },
  ],
  stock: { name: 'stock.csv', data: Buffer.from(stockCsv({ MUG: 5, TEA: 3, LAMP: 1 })) },
});

/** The session's analysis, lists and write-off export, without what names the session or the time. */
async function outputs(session: string): Promise<Record<string, unknown>> {
  const sdir = ctx.layout.sessionDir('SHOP', session);
  const analysis = JSON.parse(await fs.readFile(path.join(sdir, 'analysis/analysis.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete analysis.session;
  delete analysis.generated_at;
  const lists: Record<string, unknown> = {};
  for (const f of (await fs.readdir(path.join(sdir, 'packing_lists'))).filter((n) => n.endsWith('.json'))) {
    const list = JSON.parse(await fs.readFile(path.join(sdir, 'packing_lists', f), 'utf8')) as {
      orders: unknown;
    };
    lists[f] = list.orders;
  }
  const exports: Record<string, string> = {};
  for (const f of (await fs.readdir(path.join(sdir, 'exports'))).filter((n) => n.endsWith('.csv')))
    exports[f] = await fs.readFile(path.join(sdir, 'exports', f), 'utf8');
  return { analysis, lists, exports };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  ctx = await loadStationContext({ root: path.join(dir, 'data') }, 'LEAD');
  await initialiseDataFolder(ctx.layout, ctx.settings);
  await createClient(ctx, 'SHOP', 'Shop');
});
afterAll(() => cleanup());

describe('edits through a preparation worker memo', () => {
  it('write what an edit that reads the session again writes, with another station editing in between', async () => {
    const memo = new PreparationMemo();
    const kept = (await prepareSession(ctx, 'SHOP', inputs(), LEAD, { memo })).session!;
    const plain = (await prepareSession(ctx, 'SHOP', inputs(), LEAD)).session!;
    expect(memo.inputs(ctx.layout, 'SHOP', kept)).not.toBeNull();

    // Each step: [change, who makes it, whether the worker (memo) makes it on the kept session].
    const steps: Array<[PreparationChange, typeof LEAD, boolean]> = [
      [{ type: 'hold', order: '#1001' }, LEAD, true],
      // Another station's edit: the worker's kept analysis no longer matches the ledger.
      [{ type: 'set_quantity', order: '#1004', sku: 'TEA', quantity: 1 }, OTHER, false],
      [{ type: 'release', order: '#1001' }, LEAD, true],
      [{ type: 'remove', order: '#1002' }, LEAD, true],
      [{ type: 'hold_many', orders: ['#1003', '#1005'] }, LEAD, true],
      [{ type: 'undo', undoes: 5 }, LEAD, true],
    ];
    for (const [change, by, viaMemo] of steps) {
      const a = await editPreparedSession(ctx, 'SHOP', kept, change, by, viaMemo ? memo : undefined);
      const b = await editPreparedSession(ctx, 'SHOP', plain, change, by);
      expect(a.result.counts).toEqual(b.result.counts);
      expect(await outputs(kept)).toEqual(await outputs(plain));
    }
    const final = (await outputs(kept)) as { analysis: { counts: Record<string, number> } };
    expect(final.analysis.counts).toMatchObject({ removed: 1, held: 0 });

    // A refused change is refused the same way, and leaves both sessions as they were.
    const refuse = (session: string, m?: PreparationMemo) =>
      editPreparedSession(ctx, 'SHOP', session, { type: 'release', order: '#1004' }, LEAD, m).catch(
        (e: unknown) => (e as Error).message,
      );
    expect(await refuse(kept, memo)).toBe(await refuse(plain));
    expect(await refuse(kept, memo)).toMatch(/#1004 is not held/);
    // Another station holds an order: the worker, asked to hold it too, sees it held.
    for (const session of [kept, plain])
      await editPreparedSession(ctx, 'SHOP', session, { type: 'hold', order: '#1005' }, OTHER);
    const holdAgain = (session: string, m?: PreparationMemo) =>
      editPreparedSession(ctx, 'SHOP', session, { type: 'hold', order: '#1005' }, LEAD, m).catch(
        (e: unknown) => (e as Error).message,
      );
    expect(await holdAgain(kept, memo)).toBe('Order #1005 is already held.');
    expect(await holdAgain(plain)).toBe('Order #1005 is already held.');
    const afterRefusal = await editPreparedSession(
      ctx,
      'SHOP',
      kept,
      { type: 'hold', order: '#1004' },
      LEAD,
      memo,
    );
    const plainAfter = await editPreparedSession(ctx, 'SHOP', plain, { type: 'hold', order: '#1004' }, LEAD);
    expect(afterRefusal.result.counts).toEqual(plainAfter.result.counts);
    expect(await outputs(kept)).toEqual(await outputs(plain));
  });
});
