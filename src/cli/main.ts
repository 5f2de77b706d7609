// The `packdesk` command. Each group of subcommands lives in its own file under commands/.
import { Command } from 'commander';
import { registerDoctorCommands } from './commands/doctor.js';
import { registerClientCommands } from './commands/client.js';
import { registerSkuCommands } from './commands/sku.js';
import { registerServeCommands } from './commands/serve.js';
import { registerSessionCommands } from './commands/session.js';
import { registerPackCommands } from './commands/pack.js';
import { registerReportCommands } from './commands/report.js';
import { registerLabelsCommands } from './commands/labels.js';

const program = new Command()
  .name('packdesk')
  .description('Warehouse packing stations that share nothing but a network folder')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

registerDoctorCommands(program);
registerClientCommands(program);
registerSkuCommands(program);
registerServeCommands(program);
registerSessionCommands(program);
registerPackCommands(program);
registerReportCommands(program);
registerLabelsCommands(program);

await program.parseAsync(process.argv);
