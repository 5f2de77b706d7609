// `packdesk client create|list|show`.
import type { Command } from 'commander';
import { action, withCommonOptions } from '../output.js';
import { ValidationError } from '../../domain/errors.js';

function warningLines(warnings: string[]): string[] {
  return warnings.map((w) => `warning: ${w}`);
}

export function registerClientCommands(program: Command): void {
  const client = program.command('client').description('client profiles (CLIENTS/CLIENT_<ID>)');

  withCommonOptions(
    client
      .command('create')
      .description('create a client: ID is 1-10 of A-Z, 0-9, _ (packdesk adds the CLIENT_ prefix)')
      .argument('<id>', 'client ID, e.g. M')
      .requiredOption('--name <name>', 'the client name shown to packers, e.g. "M Cosmetics"'),
  ).action(
    action<[string]>('client create', async (ctx, [id], options) => {
      const { createClient } = await import('../../app/clients.js');
      const config = await createClient(ctx, id, String(options.name));
      ctx.logger.info({ client_id: id }, 'client created');
      return {
        json: { created: true, client: config },
        text: `Client ${config.client_id} (${config.client_name}) created.`,
      };
    }),
  );

  withCommonOptions(client.command('list').description('list all clients')).action(
    action('client list', async (ctx) => {
      const { listClients } = await import('../../app/clients.js');
      const { clients, warnings } = await listClients(ctx);
      const lines =
        clients.length === 0
          ? ['No clients yet. Create one with: packdesk client create ID --name NAME']
          : clients.map((c) => `${c.client_id.padEnd(10)}  ${c.client_name}`);
      return { json: { clients, warnings }, text: [...lines, ...warningLines(warnings)].join('\n') };
    }),
  );

  withCommonOptions(
    client.command('show').description("show a client's settings").argument('<id>', 'client ID'),
  ).action(
    action<[string]>('client show', async (ctx, [id]) => {
      const { showClient } = await import('../../app/clients.js');
      const details = await showClient(ctx, id);
      const c = details.config;
      const lines = [
        `Client ${c.client_id}: ${c.client_name}`,
        `created ${c.created_at}; settings last changed ${c.last_updated} by ${c.updated_by}`,
        `barcode mappings: ${details.mappings.count} (revision ${details.mappings.revision})`,
        `courier deadlines: ${
          Object.entries(c.courier_deadlines)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'none'
        }`,
        `packing list columns: ${Object.entries(c.required_columns)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
        `label: ${c.barcode_label.width_mm}x${c.barcode_label.height_mm} mm, ${c.barcode_label.dpi} dpi`,
        `force-complete allowed: ${c.packing_rules.allow_force_complete ? 'yes' : 'no'}`,
        ...warningLines(details.warnings),
      ];
      return { json: details, text: lines.join('\n') };
    }),
  );

  withCommonOptions(
    client
      .command('settings')
      .description(
        "show a client's preparation settings (columns, couriers, sets, rules, lists), or replace them from a JSON file",
      )
      .argument('<id>', 'client ID')
      .option('--file <settings.json>', 'replace the settings with this file, after checking all of it'),
  ).action(
    action<[string]>('client settings', async (ctx, [id], options) => {
      const { preparationSettings, replacePreparationSettings } =
        await import('../../app/client-settings.js');
      if (typeof options.file === 'string') {
        const { readFile } = await import('node:fs/promises');
        let raw: unknown;
        try {
          raw = JSON.parse((await readFile(options.file, 'utf8')).replace(/^\uFEFF/, ''));
        } catch (err) {
          throw new ValidationError(
            `${options.file} is not a JSON file packdesk can read: ${(err as Error).message}`,
            { file: options.file },
          );
        }
        const saved = await replacePreparationSettings(ctx, id, raw);
        ctx.logger.info({ client_id: id }, 'preparation settings replaced');
        return {
          json: { saved: true, settings: saved },
          text: `Preparation settings of client ${id} saved (a backup of the old ones is in its backups folder).`,
        };
      }
      const settings = await preparationSettings(ctx, id);
      return { json: settings, text: JSON.stringify(settings, null, 2) };
    }),
  );

  withCommonOptions(
    client
      .command('sets')
      .description(
        "a client's sets (Set_SKU,Component_SKU,Component_Quantity): list them, take a sets file into the settings, or write them to a file",
      )
      .argument('<id>', 'client ID')
      .option(
        '--import <file>',
        'a sets file (CSV or XLSX): its sets replace those of the same SKU, the rest are added',
      )
      .option('--export <file>', 'write the sets as a CSV file')
      .option('--force', 'with --export: replace the file if it exists'),
  ).action(
    action<[string]>('client sets', async (ctx, [id], options) => {
      const sets = await import('../../app/sets-file.js');
      if (typeof options.import === 'string') {
        const r = await sets.importClientSets(ctx, id, options.import);
        ctx.logger.info({ client_id: id, sets_import: r }, 'sets imported');
        return {
          json: r,
          text: `${r.file}: ${r.sets_in_file} set(s) from ${r.rows} row(s) saved for client ${id} (${r.replaced} replaced a set of the same SKU); ${r.sets_total} set(s) in all.`,
        };
      }
      if (typeof options.export === 'string') {
        const r = await sets.exportClientSets(ctx, id, options.export, { overwrite: options.force === true });
        return { json: r, text: `${r.sets} set(s), ${r.rows} row(s) written to ${r.file}.` };
      }
      const { preparationSettings } = await import('../../app/client-settings.js');
      const all = (await preparationSettings(ctx, id)).sets;
      return {
        json: all,
        text:
          all.length === 0
            ? `Client ${id} has no sets.`
            : all
                .map((s) => `${s.sku}: ${s.components.map((c) => `${c.sku}×${c.quantity}`).join(', ')}`)
                .join('\n'),
      };
    }),
  );
}
