// How commands answer: one JSON document on stdout with --json, readable text otherwise; errors as
// JSON on stderr (--json) or one plain sentence, always with a non-zero exit code.
import type { Command } from 'commander';
import { knownError, PackdeskError, type ErrorCode } from '../domain/errors.js';
import type { CliContext, CommonOptions } from './context.js';

export interface CommandResult {
  json: unknown;
  text: string;
}

/** The exit code of each error code (docs/cli.md); a record over the one code list, so none is forgotten. */
const EXIT_CODES: Record<ErrorCode, number> = {
  VALIDATION: 2,
  NOT_FOUND: 3,
  ALREADY_EXISTS: 4,
  SESSION_LOCKED: 5,
  CONFLICT: 6,
  STORAGE: 7,
  NETWORK: 7,
  CORRUPT: 8,
  LEASE_LOST: 9,
  LOCKED_OUT: 10,
};

export function withCommonOptions(command: Command): Command {
  return command
    .option(
      '--root <dir>',
      'data folder (else PACKDESK_ROOT, else config.ini FileServerPath, else ./packdesk-data)',
    )
    .option('--config <file>', 'config.ini to read (else PACKDESK_CONFIG, else ./config.ini)')
    .option('--json', 'print one JSON document on stdout; errors as JSON on stderr');
}

export function printError(raw: unknown, json: boolean): number {
  const err = knownError(raw);
  const known = err instanceof PackdeskError;
  const payload = known
    ? err.toJSON()
    : { error: 'INTERNAL', message: `Unexpected error: ${(err as Error)?.message ?? String(err)}` };
  if (json) process.stderr.write(`${JSON.stringify(payload)}\n`);
  else process.stderr.write(`packdesk: ${String(payload.message)}\n`);
  return known ? EXIT_CODES[err.code] : 1;
}

/**
 * Wraps a command body: builds the context from the command's options, prints the result, and maps
 * errors to messages and exit codes. Positional arguments come first, as commander passes them.
 */
export function action<Args extends unknown[]>(
  name: string,
  body: (ctx: CliContext, args: Args, options: Record<string, unknown>) => Promise<CommandResult | void>,
) {
  return async (...received: unknown[]): Promise<void> => {
    const command = received[received.length - 1] as Command;
    // The command's own options over the program's: `--root` may come before or after the command.
    const options = command.optsWithGlobals() as CommonOptions & Record<string, unknown>;
    const args = received.slice(0, -2) as Args;
    let ctx: CliContext | undefined;
    try {
      // Loaded here, not at start-up: the context brings the logger, and `--help` needs none of it.
      const { makeContext } = await import('./context.js');
      ctx = await makeContext(options, name);
      const result = await body(ctx, args, options);
      if (result) {
        if (ctx.json) process.stdout.write(`${JSON.stringify(result.json)}\n`);
        else if (result.text.length > 0) process.stdout.write(`${result.text}\n`);
      }
    } catch (err) {
      ctx?.logger.error({ err }, 'command failed');
      process.exitCode = printError(err, options.json === true);
    }
    await exitWhenFlushed(ctx);
  };
}

/**
 * Ends the process once the answer is out. A file call stuck on a hung share would otherwise keep
 * the process alive long after the command reported the error.
 */
async function exitWhenFlushed(ctx: CliContext | undefined): Promise<never> {
  const drained = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => (stream.writableNeedDrain ? stream.once('drain', resolve) : resolve()));
  await Promise.race([
    Promise.all([
      drained(process.stdout),
      drained(process.stderr),
      new Promise<void>((resolve) => (ctx ? ctx.logger.flush(() => resolve()) : resolve())),
    ]),
    new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
  ]);
  process.exit();
}
