// `packdesk report` (rewrite a list's reports from its journal) and `packdesk stats`.
import type { Command } from 'commander';
import { action, withCommonOptions } from '../output.js';

export function registerReportCommands(program: Command): void {
  withCommonOptions(
    program
      .command('report')
      .description("rewrite a list's packing_completed.xlsx and session_summary.json from its journal")
      .argument('<client>', 'client id')
      .argument('<session>', 'session id')
      .option('--list <name>', 'packing list (needed when the session has several)'),
  ).action(
    action<[string, string]>('report', async (ctx, [client, session], options) => {
      const { regenerateReports } = await import('../../app/reports.js');
      const result = await regenerateReports(ctx, {
        client,
        session,
        list: options.list as string | undefined,
      });
      const s = result.summary;
      return {
        json: result,
        text: [
          `Reports of ${s.list} written:`,
          `  ${result.files.xlsx}`,
          `  ${result.files.summary}`,
          `Orders ${s.orders_completed}/${s.orders_total}, items ${s.items_packed}/${s.items_total}, ` +
            `${s.orders_per_hour ?? '-'} orders/hour, over-scans ${s.overscans}, unknown scans ${s.unknown_scans}.`,
        ].join('\n'),
      };
    }),
  );

  withCommonOptions(
    program
      .command('stats')
      .description('packing statistics by client, worker and day')
      .option('--client <id>', 'only this client')
      .option('--worker <name>', 'only this worker')
      .option('--from <day>', 'first day, YYYY-MM-DD')
      .option('--to <day>', 'last day, YYYY-MM-DD'),
  ).action(
    action<[]>('stats', async (ctx, _args, options) => {
      const [{ packingStats }, { statsDay }] = await Promise.all([
        import('../../app/stats.js'),
        import('../../domain/stats.js'),
      ]);
      const report = await packingStats(ctx, {
        client: options.client as string | undefined,
        worker: options.worker as string | undefined,
        from: statsDay(options.from as string | undefined, '--from'),
        to: statsDay(options.to as string | undefined, '--to'),
      });
      const rows = (
        title: string,
        buckets: Record<string, { orders_completed: number; items_packed: number; sittings: number }>,
      ) =>
        [
          title,
          ...Object.entries(buckets)
            .sort()
            .map(
              ([k, b]) =>
                `  ${k.padEnd(20)} ${String(b.orders_completed).padStart(7)} orders ${String(b.items_packed).padStart(8)} items  (${b.sittings} sittings)`,
            ),
        ].join('\n');
      const text = [
        `Total: ${report.totals.orders_completed} orders (${report.totals.orders_manual} with items confirmed by hand, ${report.totals.orders_forced} forced), ${report.totals.items_packed} items, ${report.totals.overscans} over-scans, ${report.totals.unknowns} unknown scans`,
        rows('By client', report.by_client),
        rows('By worker', report.by_worker),
        rows('By day', report.by_day),
        ...(report.damaged_records.length > 0
          ? [`Damaged records not counted: ${report.damaged_records.join(', ')}`]
          : []),
      ].join('\n');
      return { json: report, text };
    }),
  );
}
