// Who a command acts as, and repeatable options: shared by the commands that create or change things.
import os from 'node:os';
import type { CliContext } from './context.js';

/** --station, else the station's own name; --worker, else config.ini's default worker, else the OS user. */
export function identity(
  ctx: CliContext,
  options: Record<string, unknown>,
): { station: string; worker: string } {
  const station =
    typeof options.station === 'string' && options.station.trim() ? options.station.trim() : ctx.station;
  let worker =
    typeof options.worker === 'string' && options.worker.trim()
      ? options.worker.trim()
      : ctx.settings.ui.defaultWorker;
  if (!worker) {
    try {
      worker = os.userInfo().username;
    } catch {
      worker = 'unknown';
    }
  }
  return { station, worker };
}

/** commander's collector for an option given several times (`--list a --list b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
