// The `packdesk` command. Each group of subcommands lives in its own file under commands/, registered
// with one line below; a command file loads what its commands use only when one of them runs.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { withCommonOptions } from './output.js';
import { registerDoctorCommands } from './commands/doctor.js';
import { registerClientCommands } from './commands/client.js';
import { registerSkuCommands } from './commands/sku.js';
import { registerServeCommands } from './commands/serve.js';
import { registerSessionCommands } from './commands/session.js';
import { registerPackCommands } from './commands/pack.js';
import { registerReportCommands } from './commands/report.js';
import { registerPrepareCommands } from './commands/prepare.js';
import { registerLabelsCommands } from './commands/labels.js';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// The common options are the program's too, so they can come before the command as well
// (`packdesk --root X init`), as git, docker and kubectl take them.
const program = withCommonOptions(
  new Command()
    .name('packdesk')
    .description('Warehouse packing stations that share nothing but a network folder')
    .version(version, '-V, --version', 'print the packdesk version')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) })
    // Thrown instead of exiting, so that a usage error exits 2 ("bad input") like every other.
    .exitOverride(),
);

registerDoctorCommands(program);
registerClientCommands(program);
registerSkuCommands(program);
registerServeCommands(program);
registerSessionCommands(program);
registerPackCommands(program);
registerReportCommands(program);
registerPrepareCommands(program);
registerLabelsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Help and --version end with code 0; a missing option, argument or unknown command is bad input.
  process.exitCode = err.exitCode === 0 ? 0 : 2;
}
