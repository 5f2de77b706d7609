// `packdesk init` and `packdesk doctor`.
import type { Command } from 'commander';
import { action, withCommonOptions } from '../output.js';
import { NetworkError, StorageError } from '../../domain/errors.js';

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
        'check the data folder: reachable, writable, exclusive create, rename, latency, clock difference',
      ),
  ).action(
    action('doctor', async (ctx) => {
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
      return { json: report, text: [`Data folder ${report.root}`, ...lines].join('\n') };
    }),
  );
}
