// `packdesk labels` (order labels of a packing list) and `packdesk sheet commands|lists` (A4 sheets
// of command and list barcodes). The PDF and barcode libraries are loaded inside the actions, so
// other commands do not pay for them at start-up.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import { action, withCommonOptions } from '../output.js';

async function sequenceRange(text: string): Promise<{ from: number; to: number }> {
  const { parseSequenceRange } = await import('../../domain/label-numbering.js');
  const range = parseSequenceRange(text);
  if (!range)
    throw new ValidationError(`--seq takes a number or a range like 5-10, not "${text}".`, { field: 'seq' });
  return range;
}

async function writeOut(file: string, pdf: Buffer): Promise<string> {
  const target = path.resolve(file);
  await fs.writeFile(target, pdf);
  return target;
}

export function registerLabelsCommands(program: Command): void {
  withCommonOptions(
    program
      .command('labels')
      .description("print a packing list's order labels to PDF (under the session's barcodes/ folder)")
      .argument('<client>', 'client id')
      .argument('<session>', 'session id')
      .option('--list <name>', 'packing list (needed when the session has several)')
      .option('--orders <numbers>', 'only these orders, comma-separated (e.g. 1001,1002)')
      .option('--seq <range>', 'only these sequence numbers, e.g. 7 or 5-10')
      .option('--out <file>', 'also write the PDF to this file'),
  ).action(
    action<[string, string]>('labels', async (ctx, [client, session], options) => {
      const { printOrderLabels } = await import('../../app/labels.js');
      const orders =
        typeof options.orders === 'string'
          ? options.orders
              .split(',')
              .map((o) => o.trim())
              .filter((o) => o.length > 0)
          : undefined;
      const range = typeof options.seq === 'string' ? await sequenceRange(options.seq) : undefined;
      const result = await printOrderLabels(ctx, {
        client,
        session,
        list: options.list as string | undefined,
        orders,
        ...range,
      });
      const out = typeof options.out === 'string' ? await writeOut(options.out, result.pdf) : null;
      const { pdf: _pdf, ...json } = result;
      return {
        json: { ...json, out },
        text: [
          `${result.labels.length} label(s) of list ${result.list} written to ${result.file}` +
            (out ? ` and ${out}` : ''),
          ...result.skipped.map((s) => `  no label for order ${s.order}: ${s.reason}`),
        ].join('\n'),
      };
    }),
  );

  const sheet = program.command('sheet').description('printable A4 sheets of barcodes for the packing desk');
  withCommonOptions(
    sheet
      .command('commands')
      .description("the station's commands as barcodes, to scan instead of pressing keys")
      .option('--out <file>', 'where to write the PDF', 'command-sheet.pdf'),
  ).action(
    action<[]>('sheet commands', async (_ctx, _args, options) => {
      const { commandSheet } = await import('../../app/sheets.js');
      const out = await writeOut(options.out as string, await commandSheet());
      return { json: { file: out }, text: `Command sheet written to ${out}` };
    }),
  );
  withCommonOptions(
    sheet
      .command('lists')
      .description("a client's open packing lists as barcodes: scan one at a station to open it")
      .argument('<client>', 'client id')
      .option('--out <file>', 'where to write the PDF (default: lists-CLIENT.pdf)'),
  ).action(
    action<[string]>('sheet lists', async (ctx, [client], options) => {
      const { listSheet } = await import('../../app/sheets.js');
      const result = await listSheet(ctx, client);
      const out = await writeOut((options.out as string | undefined) ?? `lists-${client}.pdf`, result.pdf);
      return {
        json: { file: out, lists: result.lists },
        text: `Sheet of ${result.lists.length} open list(s) of ${client} written to ${out}`,
      };
    }),
  );
}
