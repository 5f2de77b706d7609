// `packdesk init` and `packdesk doctor`.
import type { Command } from 'commander';
import { action, withCommonOptions } from '../output.js';
import { CorruptFileError, NetworkError, StorageError } from '../../domain/errors.js';

export function registerDoctorCommands(program: Command): void {
  withCommonOptions(
    program.command('init').description('create the data folder layout (CLIENTS, SESSIONS, STATS)'),
  ).action(
    action('init', async (ctx) => {
      const { initialiseDataFolder } = await import('../../app/setup.js');
      const result = await initialiseDataFolder(ctx.layout, ctx.settings);
      const text =
        result.created.length > 0
          ? `Data folder ready at ${result.root} (created ${result.created.join(', ')}).`
          : `Data folder at ${result.root} was already set up.`;
      return { json: result, text };
    }),
  );

  withCommonOptions(
    program
      .command('doctor')
      .description(
        "check the data folder (reachable, writable, exclusive create, rename, latency, clock difference) and every list's journal",
      )
      .option('--client <id>', "check only this client's journals"),
  ).action(
    action('doctor', async (ctx, _args, options) => {
      const { checkDataFolder } = await import('../../app/setup.js');
      const report = await checkDataFolder(ctx.layout, ctx.settings);
      const lines = report.checks.map(
        (c) =>
          `${c.ok ? (c.warning ? 'WARN' : ' ok ') : 'FAIL'}  ${c.name.padEnd(16)} ${c.detail}${c.warning ? ` (${c.warning})` : ''}  [${c.ms} ms]`,
      );
      if (!report.ok) {
        // The report still goes out (stdout) so the failing step is visible; the exit code says it failed.
        const failed = report.checks.find((c) => !c.ok)!;
        process.stdout.write(ctx.json ? `${JSON.stringify(report)}\n` : `${lines.join('\n')}\n`);
        const ErrorType = failed.detail.includes('did not answer') ? NetworkError : StorageError;
        throw new ErrorType(`The data folder failed the "${failed.name}" check: ${failed.detail}`, {
          root: report.root,
        });
      }
      // A journal shorter than what is known to have been acknowledged, or with a garbled record, is
      // found here before a station refuses to open the list.
      const { checkJournals } = await import('../../app/sessions.js');
      const journals = await checkJournals(
        { layout: ctx.layout, settings: ctx.settings },
        options.client as string | undefined,
      );
      lines.push(
        journals.damaged.length === 0
          ? ` ok   ${'journals'.padEnd(16)} ${journals.lists_checked} list(s) read, none damaged`
          : `FAIL  ${'journals'.padEnd(16)} ${journals.damaged.length} of ${journals.lists_checked} list(s) damaged`,
        ...journals.damaged.map(
          (d) => `      ${d.client} / ${d.session} / ${d.list}: ${d.message} [${describeWhere(d.details)}]`,
        ),
      );
      const full = { ...report, ok: journals.damaged.length === 0, journals };
      if (journals.damaged.length > 0) {
        process.stdout.write(
          ctx.json ? `${JSON.stringify(full)}\n` : `${[`Data folder ${report.root}`, ...lines].join('\n')}\n`,
        );
        throw new CorruptFileError(
          `${journals.damaged.length} list journal(s) are damaged: ${journals.damaged.map((d) => `${d.client} / ${d.session} / ${d.list}`).join(', ')}. Packing them is refused until a shift lead checks them.`,
          { damaged: journals.damaged.length },
        );
      }
      return { json: full, text: [`Data folder ${report.root}`, ...lines].join('\n') };
    }),
  );
}

/** Where the damage is: the journal folder or file, and what knew the missing records. */
function describeWhere(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
}
