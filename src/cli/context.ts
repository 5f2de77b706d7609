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

/** Commands that run for long: their log lines are written at once, not when they exit. */
const LONG_RUNNING = new Set(['serve', 'start', 'pack', 'session open']);

export async function makeContext(options: CommonOptions, command: string): Promise<CliContext> {
  const deferredLog = !LONG_RUNNING.has(command);
  return { ...(await loadStationContext(options, command, { deferredLog })), json: options.json === true };
}
