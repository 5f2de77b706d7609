// What every route handler gets: the data root, settings, this server's station name, a logger, the
// live-event hub, and the packing stations this server holds open for its browsers.
import type { Settings } from '../domain/settings.js';
import type { Layout } from '../app/station-context.js';
import type { Logger } from '../app/station-context.js';
import type { PinAttempts } from '../app/worker-pins.js';
import type { LiveHub } from './live.js';

export interface ServerContext {
  layout: Layout;
  settings: Settings;
  station: string;
  logger: Logger;
  live: LiveHub;
  /** Wrong-PIN counts and lockouts of this server's callers. */
  pins: PinAttempts;
  /** Runs `hook` when the server shuts down (before connections close), e.g. to release leases. */
  onClose(hook: () => Promise<void>): void;
}
