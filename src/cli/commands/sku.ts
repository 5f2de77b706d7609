// `packdesk sku list|set|delete|import|export`: a client's barcode → SKU mappings.
import type { Command } from 'commander';
import { action, withCommonOptions } from '../output.js';

function withWarnings(text: string, warnings: string[]): string {
  return [text, ...warnings.map((w) => `warning: ${w}`)].join('\n');
}

export function registerSkuCommands(program: Command): void {
  const sku = program.command('sku').description("a client's barcode → SKU mappings");

  withCommonOptions(
    sku.command('list').description('print all mappings').argument('<client>', 'client ID'),
  ).action(
    action<[string]>('sku list', async (ctx, [client]) => {
      const { listMappings } = await import('../../app/sku-mappings.js');
      const list = await listMappings(ctx, client);
      const lines =
        list.count === 0
          ? [`Client ${client} has no barcode mappings yet.`]
          : [
              `${list.count} mapping(s), revision ${list.revision}:`,
              ...Object.entries(list.mappings).map(([b, s]) => `${b}\t${s}`),
            ];
      return { json: list, text: withWarnings(lines.join('\n'), list.warnings) };
    }),
  );

  withCommonOptions(
    sku
      .command('set')
      .description('map a barcode to a SKU (replaces its current SKU)')
      .argument('<client>', 'client ID')
      .argument('<barcode>', 'product barcode')
      .argument('<sku>', 'internal SKU'),
  ).action(
    action<[string, string, string]>('sku set', async (ctx, [client, barcode, skuCode]) => {
      const { setMapping } = await import('../../app/sku-mappings.js');
      const r = await setMapping(ctx, client, barcode, skuCode);
      const text = !r.changed
        ? `${r.barcode} already maps to ${r.sku}; nothing changed.`
        : r.previous === null
          ? `${r.barcode} → ${r.sku} added (revision ${r.revision}).`
          : `${r.barcode} → ${r.sku} (was ${r.previous}) saved (revision ${r.revision}).`;
      return { json: r, text: withWarnings(text, r.warnings) };
    }),
  );

  withCommonOptions(
    sku
      .command('delete')
      .description("remove a barcode's mapping")
      .argument('<client>', 'client ID')
      .argument('<barcode>', 'product barcode'),
  ).action(
    action<[string, string]>('sku delete', async (ctx, [client, barcode]) => {
      const { deleteMapping } = await import('../../app/sku-mappings.js');
      const r = await deleteMapping(ctx, client, barcode);
      return {
        json: r,
        text: withWarnings(`${r.barcode} (was ${r.previous}) deleted (revision ${r.revision}).`, r.warnings),
      };
    }),
  );

  withCommonOptions(
    sku
      .command('import')
      .description(
        'add or replace mappings from a CSV or XLSX file with columns barcode and sku (all rows or none)',
      )
      .argument('<client>', 'client ID')
      .argument('<file>', '.csv or .xlsx file'),
  ).action(
    action<[string, string]>('sku import', async (ctx, [client, file]) => {
      const { importMappings } = await import('../../app/sku-mappings.js');
      const r = await importMappings(ctx, client, file);
      const text = `${r.file}: ${r.added} added, ${r.updated} changed, ${r.unchanged} already present (revision ${r.revision}).`;
      return { json: r, text: withWarnings(text, r.warnings) };
    }),
  );

  withCommonOptions(
    sku
      .command('export')
      .description('write all mappings to a CSV file (or XLSX when FILE ends in .xlsx)')
      .argument('<client>', 'client ID')
      .argument('<file>', 'file to write')
      .option('--force', 'replace FILE if it exists'),
  ).action(
    action<[string, string]>('sku export', async (ctx, [client, file], options) => {
      const { exportMappings } = await import('../../app/sku-mappings.js');
      const r = await exportMappings(ctx, client, file, { overwrite: options.force === true });
      return { json: r, text: `${r.count} mapping(s) written to ${r.file}.` };
    }),
  );
}
