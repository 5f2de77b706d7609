// `packdesk prepare CLIENT --orders FILE… --stock FILE [--sets FILE] [--dry-run]` and the edits of a
// prepared session (`prepare hold|release|remove|quantity|undo|log`). The --json document is
// documented in docs/preparing-sessions.md; scripts read it.
import path from 'node:path';
import type { Command } from 'commander';
import type { SkippedOrder } from '../../app/prepare-edits.js';
import type { AnalysisResult } from '../../domain/fulfilment-analysis.js';
import type { PreparationChange } from '../../domain/preparation-edits.js';
import { ValidationError } from '../../domain/errors.js';
import { action, withCommonOptions } from '../output.js';
import { collect, identity } from '../identity.js';

/** Progress on stderr: one line redrawn on a terminal, plain lines otherwise, nothing with --json. */
function progressReporter(json: boolean): ((phase: string, detail: string) => void) & { done(): void } {
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  const phases = ['read', 'analyse', 'write'];
  const report = (phase: string, detail: string) => {
    if (json) return;
    const step = phases.indexOf(phase) + 1;
    const bar = `[${'#'.repeat(step * 4).padEnd(12, '.')}]`;
    const line = `${bar} ${phase} ${detail} (${((performance.now() - started) / 1000).toFixed(1)} s)`;
    if (tty) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  };
  return Object.assign(report, {
    done() {
      if (!json && tty) process.stderr.write('\r\x1b[2K');
    },
  });
}

function summaryLines(result: AnalysisResult): string[] {
  const c = result.counts;
  const shortTop = Object.entries(c.short_by_sku)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  const lowSkus = result.skus.filter((s) => s.low);
  return [
    `Orders: ${c.orders_total} (${c.lines_total} lines)`,
    `  fulfillable:     ${c.fulfillable} (${c.items_to_ship} items)`,
    `  not fulfillable: ${c.not_fulfillable}`,
    `  held:            ${c.held}`,
    ...(c.removed > 0 ? [`  removed:         ${c.removed}`] : []),
    `  repeats:         ${c.repeats} (packed in an earlier session)`,
    ...(shortTop.length > 0
      ? ['Not fulfillable because of:', ...shortTop.map(([sku, n]) => `  ${sku.padEnd(20)} ${n} order(s)`)]
      : []),
    'Packing lists:',
    ...(result.lists.length === 0
      ? ['  none (no order can ship)']
      : result.lists.map((l) => `  ${l.name.padEnd(20)} ${l.orders_total} orders, ${l.items_total} items`)),
    `Couriers: ${result.couriers.map((x) => `${x.courier} ${x.fulfillable}/${x.orders}`).join(', ')}`,
    `Low stock after this session (${lowSkus.length} SKU(s))${
      lowSkus.length > 0
        ? `: ${lowSkus
            .slice(0, 10)
            .map((s) => `${s.sku} (${s.stock_after})`)
            .join(', ')}${lowSkus.length > 10 ? ', …' : ''}`
        : ''
    }`,
    ...result.warnings.map((w) => `warning: ${w}`),
  ];
}

function editText(
  r: { description: string; result: AnalysisResult; lists_regenerated: string[]; skipped?: SkippedOrder[] },
  seq: number,
): string {
  const c = r.result.counts;
  const skipped = r.skipped ?? [];
  return [
    `Change ${seq}: ${r.description}.`,
    ...(skipped.length > 0
      ? [`Left out ${skipped.length} order(s):`, ...skipped.map((s) => `  ${s.error.message}`)]
      : []),
    `Now ${c.fulfillable} fulfillable, ${c.not_fulfillable} not fulfillable, ${c.held} held of ${c.orders_total} orders.`,
    r.lists_regenerated.length > 0
      ? `Lists rewritten: ${r.lists_regenerated.join(', ')}.`
      : 'No list rewritten.',
  ].join('\n');
}

export function registerPrepareCommands(program: Command): void {
  const prepare = withCommonOptions(
    program
      .command('prepare')
      .description("prepare a session from the day's Shopify orders export(s) and the stock file")
      .argument('<client>', 'client ID')
      .option(
        '--orders <file>',
        'a Shopify orders export CSV (repeat for several; overlaps are taken once)',
        collect,
      )
      .option('--stock <file>', "the warehouse's stock file (CSV or XLSX)")
      .option('--sets <file>', 'sets / bundles: Set_SKU,Component_SKU,Component_Quantity')
      .option('--dry-run', 'analyse and print the summary, write nothing')
      .option(
        '--station <name>',
        'station preparing the session (else config.ini StationName, else host name)',
      )
      .option('--worker <name>', 'who prepares it'),
  ).action(
    action<[string]>('prepare', async (ctx, [client], options) => {
      const orders = (options.orders as string[] | undefined) ?? [];
      if (orders.length === 0)
        throw new ValidationError('Give the orders export with --orders FILE.', { field: 'orders' });
      if (typeof options.stock !== 'string')
        throw new ValidationError('Give the stock file with --stock FILE.', { field: 'stock' });
      const { prepareSession } = await import('../../app/prepare-session.js');
      const progress = progressReporter(ctx.json);
      progress('read', 'opening the files');
      // Given by path: each file is read when it is parsed and its bytes are dropped after, not held
      // until the session is written (its copy in the session is streamed from disk).
      const onDisk = (f: string) => ({ name: path.basename(f), path: f });
      const inputs = {
        orders: orders.map(onDisk),
        stock: onDisk(options.stock),
        ...(typeof options.sets === 'string' ? { sets: onDisk(options.sets) } : {}),
      };
      let prepared;
      try {
        prepared = await prepareSession(ctx, client, inputs, identity(ctx, options), {
          dryRun: options.dryRun === true,
          onProgress: progress,
        });
      } finally {
        progress.done();
      }
      const { result } = prepared;
      ctx.logger.info(
        { client_id: client, session_id: prepared.session, orders: result.counts.orders_total },
        'session prepared',
      );
      const c = result.counts;
      return {
        json: {
          session: prepared.session,
          dry_run: prepared.dry_run,
          orders_total: c.orders_total,
          fulfillable: c.fulfillable,
          not_fulfillable: c.not_fulfillable,
          held: c.held,
          repeats: c.repeats,
          lines_total: c.lines_total,
          items_to_ship: c.items_to_ship,
          not_fulfillable_by_sku: c.short_by_sku,
          low_stock: result.skus
            .filter((s) => s.low)
            .map((s) => ({ sku: s.sku, stock_after: s.stock_after })),
          couriers: result.couriers,
          lists: result.lists.map((l) => ({
            name: l.name,
            orders_total: l.orders_total,
            items_total: l.items_total,
          })),
          inputs: prepared.inputs,
          files: prepared.files
            ? {
                analysis_json: prepared.files.analysis_json,
                analysis_xlsx: prepared.files.analysis_xlsx,
                writeoff: prepared.files.writeoff,
                lists: prepared.files.lists,
              }
            : null,
          warnings: result.warnings,
        },
        text: [
          prepared.session
            ? `Session ${prepared.session} prepared for client ${client}.`
            : `Dry run for client ${client}: nothing was written.`,
          ...summaryLines(result),
          ...(prepared.files
            ? [
                `Files (in the session folder): ${[prepared.files.analysis_xlsx, ...prepared.files.writeoff].join(', ')}`,
              ]
            : []),
        ].join('\n'),
      };
    }),
  );

  const edit = (
    name: string,
    description: string,
    args: string[],
    toChange: (a: string[]) => PreparationChange,
  ) => {
    let cmd = prepare
      .command(name)
      .description(description)
      .argument('<client>', 'client ID')
      .argument('<session>', 'session id');
    for (const a of args) cmd = cmd.argument(`<${a}>`);
    withCommonOptions(
      cmd.option('--station <name>', 'station making the change').option('--worker <name>', 'who makes it'),
    ).action(
      action<string[]>(`prepare ${name}`, async (ctx, all, options) => {
        // A variadic argument (`orders...`) arrives as one array; flattened, every command reads alike.
        const [client, session, ...rest] = (all as Array<string | string[]>).flat() as [
          string,
          string,
          ...string[],
        ];
        const { editPreparedSession } = await import('../../app/prepare-edits.js');
        const r = await editPreparedSession(ctx, client, session, toChange(rest), identity(ctx, options));
        return {
          json: {
            seq: r.edit.seq,
            change: r.edit.change,
            description: r.description,
            lists_regenerated: r.lists_regenerated,
            skipped: r.skipped.map((s) => ({ order: s.order, message: s.error.message, ...s.error.details })),
            orders_total: r.result.counts.orders_total,
            fulfillable: r.result.counts.fulfillable,
            not_fulfillable: r.result.counts.not_fulfillable,
            held: r.result.counts.held,
            lists: r.result.lists.map((l) => ({
              name: l.name,
              orders_total: l.orders_total,
              items_total: l.items_total,
            })),
          },
          text: editText(r, r.edit.seq),
        };
      }),
    );
  };
  edit(
    'hold',
    'hold one or more orders of a prepared session (they will not be packed; their stock is freed); several orders make one change, undone together',
    ['orders...'],
    (orders) => (orders.length === 1 ? { type: 'hold', order: orders[0]! } : { type: 'hold_many', orders }),
  );
  edit(
    'release',
    'release one or more held orders; an order stock no longer covers stays held and is listed with its short SKUs',
    ['orders...'],
    (orders) =>
      orders.length === 1 ? { type: 'release', order: orders[0]! } : { type: 'release_many', orders },
  );
  edit(
    'tag',
    'add a tag to one or more orders (seen by rules and list filters, as if the export had it); one change, one undo',
    ['tag', 'orders...'],
    ([tag, ...orders]) => ({ type: 'tag_many', tag: tag!, orders }),
  );
  edit('remove', 'remove an order from a prepared session', ['order'], ([order]) => ({
    type: 'remove',
    order: order!,
  }));
  edit(
    'quantity',
    "change a line's quantity (0 takes the line off the order)",
    ['order', 'sku', 'quantity'],
    ([order, sku, quantity]) => {
      const n = Number(quantity);
      if (!/^\d+$/.test(quantity ?? '') || !Number.isSafeInteger(n) || n > 100_000)
        throw new ValidationError(`The quantity "${quantity}" is not a whole number from 0 to 100000.`, {
          field: 'quantity',
        });
      return { type: 'set_quantity', order: order!, sku: sku!, quantity: n };
    },
  );
  edit('undo', 'take back an earlier change by its number (see prepare log)', ['change'], ([seq]) => {
    const n = Number(seq);
    if (!/^\d+$/.test(seq ?? '') || n < 1)
      throw new ValidationError(`"${seq}" is not a change number.`, { field: 'change' });
    return { type: 'undo', undoes: n };
  });

  withCommonOptions(
    prepare
      .command('log')
      .description("a prepared session's changes: who, when, what")
      .argument('<client>')
      .argument('<session>'),
  ).action(
    action<[string, string]>('prepare log', async (ctx, [client, session]) => {
      const { preparationActivity } = await import('../../app/prepare-edits.js');
      const entries = await preparationActivity(ctx, client, session);
      return {
        json: { changes: entries },
        text:
          entries.length === 0
            ? 'No changes since the session was prepared.'
            : entries
                .map(
                  (e) =>
                    `${String(e.seq).padStart(3)}  ${e.at}  ${e.worker} at ${e.station}: ${e.description}${e.undone ? ' (undone)' : ''}`,
                )
                .join('\n'),
      };
    }),
  );
}
