// What every command and server starts from: settings from config.ini, the data root, this
// station's name and a local logger.
import type { Settings } from '../domain/settings.js';
import { loadSettings, localFolder, resolveDataRoot, stationName } from '../store/config-ini.js';
import { Layout } from '../store/layout.js';
import { createLogger, type Logger } from '../store/logger.js';

export type { Layout, Logger };
/** The clock that time-outs in the interfaces use: monotonic, never moved by a clock change. */
export { monoNowMs } from '../store/lease/clock.js';

export interface StationContext {
  settings: Settings;
  configFile: string | null;
  layout: Layout;
  station: string;
  logger: Logger;
}

/**
 * `deferredLog`: a short command's log lines are written when it flushes its logger before exiting
 * (see store/logger.ts), so a command that logs nothing starts without the log-file code.
 */
export async function loadStationContext(
  options: { root?: string; config?: string },
  command: string,
  { deferredLog = false }: { deferredLog?: boolean } = {},
): Promise<StationContext> {
  const { settings, file } = await loadSettings(options.config);
  const root = resolveDataRoot(settings, options.root);
  const station = stationName(settings);
  const logger = await createLogger(
    settings,
    localFolder(settings),
    { station, command },
    { deferred: deferredLog },
  );
  return { settings, configFile: file, layout: new Layout(root), station, logger };
}
