// What every command needs: the station context (settings, data root, station name, logger) and
// whether to answer in JSON.
import { loadStationContext, type StationContext } from '../app/station-context.js';

export interface CommonOptions {
  root?: string;
  config?: string;
  json?: boolean;
}

export interface CliContext extends StationContext {
  json: boolean;
}

export async function makeContext(options: CommonOptions, command: string): Promise<CliContext> {
  return { ...(await loadStationContext(options, command)), json: options.json === true };
}
