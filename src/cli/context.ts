// What every command needs: settings from config.ini, the data root, this station's name and a logger.
import type { Settings } from '../domain/settings.js';
import { loadSettings, localFolder, resolveDataRoot, stationName } from '../store/config-ini.js';
import { Layout } from '../store/layout.js';
import { createLogger, type Logger } from '../store/logger.js';

export interface CommonOptions {
  root?: string;
  config?: string;
  json?: boolean;
}

export interface CliContext {
  settings: Settings;
  configFile: string | null;
  layout: Layout;
  station: string;
  logger: Logger;
  json: boolean;
}

export async function makeContext(options: CommonOptions, command: string): Promise<CliContext> {
  const { settings, file } = await loadSettings(options.config);
  const root = resolveDataRoot(settings, options.root);
  const station = stationName(settings);
  const logger = await createLogger(settings, localFolder(settings), { station, command });
  return {
    settings,
    configFile: file,
    layout: new Layout(root),
    station,
    logger,
    json: options.json === true,
  };
}
