// `packdesk serve` (the HTTP API and web app on a data folder) and `packdesk start` (what `npm start`
// runs: set up ./packdesk-data with a demo client and session on first run, then serve).
import os from 'node:os';
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import type { CliContext } from '../context.js';
import { action, withCommonOptions } from '../output.js';

interface ServeOptions {
  host?: string;
  port?: string;
  key?: string;
  hostName?: string[];
}

function portOf(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new ValidationError(`--port must be a number from 0 to 65535, not "${value}".`);
  return Number(value);
}

/** An address other machines can use: the given host, or this PC's first network address for 0.0.0.0. */
function reachableHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host.includes(':') ? `[${host}]` : host;
  const lan = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  return lan?.address ?? os.hostname();
}

async function serveUntilStopped(ctx: CliContext, options: ServeOptions): Promise<void> {
  const { isLoopbackHost, newStationKey } = await import('../../server/security.js');
  const { startServer } = await import('../../server/server.js');
  const { serverRouteGroups } = await import('../../server/route-groups.js');
  const host = options.host ?? ctx.settings.server.host;
  const port = portOf(options.port, ctx.settings.server.port);
  const loopback = isLoopbackHost(host);
  const stationKey = loopback ? null : (options.key ?? process.env.PACKDESK_STATION_KEY ?? newStationKey());
  const server = await startServer({
    layout: ctx.layout,
    settings: ctx.settings,
    station: ctx.station,
    logger: ctx.logger,
    host,
    port,
    stationKey,
    hostNames: options.hostName ?? [],
    routes: serverRouteGroups(),
  });
  const address = stationKey ? `http://${reachableHost(host)}:${server.port}/?key=${stationKey}` : server.url;
  ctx.logger.info({ url: server.url, root: ctx.layout.root }, 'serving');
  process.stdout.write(
    ctx.json
      ? `${JSON.stringify({ url: server.url, address, root: ctx.layout.root, station: ctx.station })}\n`
      : `packdesk is serving ${ctx.layout.root}\nOpen ${address} in a browser.${stationKey ? ` On this PC: ${server.url}.` : ''} Stop with Ctrl+C.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Closing releases the leases of the lists open here, so another station can continue at once.
  await server.close();
}

export function registerServeCommands(program: Command): void {
  const serveOptions = (command: Command) =>
    withCommonOptions(
      command
        .option(
          '--host <address>',
          'address to listen on (default 127.0.0.1; any other address needs a station key)',
        )
        .option('--port <port>', 'port to listen on (default 4780; 0 picks a free one)')
        .option(
          '--key <key>',
          'station key required from other machines (default: PACKDESK_STATION_KEY, else a new random key)',
        )
        .option(
          '--host-name <name>',
          'another name this PC is opened as (a DNS alias); its IP addresses and own name always work',
          (value: string, previous: string[] = []) => [...previous, value],
        ),
    );

  serveOptions(
    program.command('serve').description('serve the packdesk web app and HTTP API on the data folder'),
  ).action(action('serve', async (ctx, _args, options) => serveUntilStopped(ctx, options as ServeOptions)));

  serveOptions(
    program
      .command('start')
      .description(
        'set up the data folder (with a demo client and session on first run) and serve the web app',
      ),
  ).action(
    action('start', async (ctx, _args, options) => {
      const { initialiseDataFolder } = await import('../../app/setup.js');
      const { seedDemo } = await import('../../app/demo-seed.js');
      await initialiseDataFolder(ctx.layout, ctx.settings);
      const seeded = await seedDemo(ctx);
      if (seeded.length > 0 && !ctx.json)
        process.stdout.write(`First run: created ${seeded.join(' and ')}.\n`);
      await serveUntilStopped(ctx, options as ServeOptions);
    }),
  );
}
