// Files named on the command line are given to a preparation by path: read once to be analysed, and
// copied into the session from disk when it is written. The session must hold exactly the bytes that
// were analysed: a file changed in between fails the preparation and leaves no session behind.
import { promises as fs, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/app/clients.js';
import { PreparationMemo } from '../src/app/preparation-memo.js';
import { editPreparedSession } from '../src/app/prepare-edits.js';
import { prepareSession, type PrepareInputs, type PrepareProgress } from '../src/app/prepare-session.js';
import { initialiseDataFolder } from '../src/app/setup.js';
import { loadStationContext } from '../src/app/station-context.js';
import { NotFoundError, ValidationError } from '../src/domain/errors.js';
import { tempDir } from './helpers/cli.js';
import { ordersCsv, stockCsv } from './helpers/preparation.js';

let dir: string;
let cleanup: () => Promise<void>;
let ctx: Awaited<ReturnType<typeof loadStationContext>>;
let files: { orders: string; stock: string; sets: string };

const LEAD = { station: 'LEAD', worker: 'Ann' };
const ORDERS = ordersCsv([
  { order: '#1001', method: 'DHL Express', lines: [{ sku: 'MUG', qty: 2 }, { sku: 'GIFT' }] },
  { order: '#1002', method: 'DPD Classic', lines: [{ sku: 'MUG' }] },
  { order: '#1003', method: 'DHL Express', lines: [{ sku: 'TEA' }] },
]);
const STOCK = stockCsv({ MUG: 5, TEA: 3 });
const SETS = 'Set_SKU,Component_SKU,Component_Quantity\nGIFT,TEA,2\n';

const onDisk = (): PrepareInputs => ({
  orders: [{ name: 'orders_export.csv', path: files.orders }],
  stock: { name: 'inventory.csv', path: files.stock },
  sets: { name: 'sets.csv', path: files.sets },
});

/** The client's session folders, and anything else (a temp file) left in the sessions folder. */
const sessionsFolder = () => fs.readdir(ctx.layout.clientSessionsDir('SHOP')).catch(() => [] as string[]);

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  ctx = await loadStationContext({ root: path.join(dir, 'data') }, 'LEAD');
  await initialiseDataFolder(ctx.layout, ctx.settings);
  await createClient(ctx, 'SHOP', 'Shop');
  files = {
    orders: path.join(dir, 'orders_export.csv'),
    stock: path.join(dir, 'inventory.csv'),
    sets: path.join(dir, 'sets.csv'),
  };
});
afterAll(() => cleanup());

describe('inputs given by path', () => {
  it('are analysed, stored byte for byte, and read back by edits (with and without the memo)', async () => {
    // The stock file has a byte order mark and Cyrillic headers: a copy that re-encoded it would differ.
    await fs.writeFile(files.orders, ORDERS);
    await fs.writeFile(files.stock, STOCK);
    await fs.writeFile(files.sets, SETS);

    const dry = await prepareSession(ctx, 'SHOP', onDisk(), LEAD, { dryRun: true });
    expect(dry.result.counts).toMatchObject({ orders_total: 3, fulfillable: 3 });
    expect(await sessionsFolder()).toEqual([]);

    const memo = new PreparationMemo();
    const kept = await prepareSession(ctx, 'SHOP', onDisk(), LEAD, { memo });
    const plain = await prepareSession(ctx, 'SHOP', onDisk(), LEAD);
    expect(kept.result.counts).toEqual(dry.result.counts);
    const inputDir = ctx.layout.sessionInputDir('SHOP', plain.session!);
    const stored = plain.inputs.map((i) => [i.file, i.stored_as]);
    expect(stored.map(([file]) => file)).toEqual(['orders_export.csv', 'inventory.csv', 'sets.csv']);
    for (const [file, as] of stored)
      expect(await fs.readFile(path.join(inputDir, as!))).toEqual(await fs.readFile(path.join(dir, file!)));

    // The files on disk are gone: an edit reads the session's own copies (or the memo's reading).
    await fs.rm(files.orders);
    const viaMemo = await editPreparedSession(
      ctx,
      'SHOP',
      kept.session!,
      { type: 'hold', order: '#1001' },
      LEAD,
      memo,
    );
    const reread = await editPreparedSession(
      ctx,
      'SHOP',
      plain.session!,
      { type: 'hold', order: '#1001' },
      LEAD,
    );
    expect(reread.result.counts).toMatchObject({ orders_total: 3, held: 1, fulfillable: 2 });
    expect(viaMemo.result.counts).toEqual(reread.result.counts);
  });

  it('that changes between being read and being copied fails the preparation, and no session is left', async () => {
    const before = await sessionsFolder();
    const changedWhileWriting = (change: () => void): PrepareProgress => {
      // The write phase begins after every input was read and analysed, before any is copied.
      return (phase) => {
        if (phase === 'write') change();
      };
    };
    const attempts: Array<[string, () => void]> = [
      // A row added to the export: the copy would hold an order the analysis never saw.
      [
        'orders_export.csv',
        () => writeFileSync(files.orders, `${ORDERS}#1004,x@example.com,paid,1,1,DHL,,1,Mug,MUG,BG,,,\n`),
      ],
      // The same size, one digit different: a stock figure the analysis did not use.
      ['inventory.csv', () => writeFileSync(files.stock, STOCK.replace(';5\n', ';4\n'))],
    ];
    for (const [name, change] of attempts) {
      await fs.writeFile(files.orders, ORDERS);
      await fs.writeFile(files.stock, STOCK);
      await fs.writeFile(files.sets, SETS);
      const failed = await prepareSession(ctx, 'SHOP', onDisk(), LEAD, {
        onProgress: changedWhileWriting(change),
      }).catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(ValidationError);
      expect((failed as ValidationError).message).toBe(
        `${name} changed while it was being prepared; run prepare again.`,
      );
      expect(await sessionsFolder()).toEqual(before);
    }
    expect(STOCK.replace(';5\n', ';4\n')).toHaveLength(STOCK.length);

    // Run again, the file as it now is is what is analysed and stored.
    const again = await prepareSession(ctx, 'SHOP', onDisk(), LEAD);
    const stock = again.inputs.find((i) => i.kind === 'stock')!;
    expect(
      await fs.readFile(
        path.join(ctx.layout.sessionInputDir('SHOP', again.session!), stock.stored_as),
        'utf8',
      ),
    ).toBe(STOCK.replace(';5\n', ';4\n'));
  });

  it('that is missing is refused as before, naming the file', async () => {
    const failed = await prepareSession(
      ctx,
      'SHOP',
      {
        ...onDisk(),
        stock: { name: 'stock-monday.csv', path: path.join(dir, 'no-such.csv') },
      },
      LEAD,
    ).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(NotFoundError);
    expect((failed as NotFoundError).message).toBe(
      'stock-monday.csv was not found. Check the file name and folder.',
    );
  });
});
