// Structured logs (pino) in this PC's own folder, never on the share: the Python tool's one log file
// shared by every PC could not be rotated while others held it open. Files roll daily and by size
// (MaxLogSizeMB); files older than LogRetentionDays are removed when a process starts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger as PinoLogger } from 'pino';
import type { Settings } from '../domain/settings.js';

type LogFn = PinoLogger['info'];

/** What packdesk logs through: pino's, or a short command's deferred stand-in for it. */
export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  flush(done?: (err?: Error) => void): void;
}

export async function pruneOldLogs(dir: string, retentionDays: number, now = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  const cutoff = now - retentionDays * 86_400_000;
  for (const name of names) {
    if (!name.endsWith('.log')) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat && stat.mtimeMs < cutoff) {
      await fs.rm(file, { force: true }).catch(() => {});
      removed++;
    }
  }
  return removed;
}

async function rollingFile(settings: Settings, dir: string) {
  // pino-roll (with the date library it needs) is a large share of a command's start-up: loaded when
  // there is a log line to write.
  const roll = (await import('pino-roll')).default;
  return roll({
    file: path.join(dir, 'packdesk'),
    extension: '.log',
    frequency: 'daily',
    dateFormat: 'yyyy-MM-dd',
    size: `${settings.logging.maxSizeMB}m`,
    mkdir: true,
    // Synchronous writes: a station that crashes or exits at once must not lose its last log lines.
    sync: true,
  });
}

/**
 * A destination that holds lines until the logger is flushed, and only then opens the rolling file.
 * For short commands, which mostly log nothing: they flush before they exit (cli/output.ts).
 */
function deferredFile(settings: Settings, dir: string) {
  let lines: string[] = [];
  return {
    write(line: string): boolean {
      lines.push(line);
      return true;
    },
    flush(done?: (err?: Error) => void): void {
      const pending = lines;
      lines = [];
      if (pending.length === 0) return done?.();
      rollingFile(settings, dir).then(
        (file) => {
          for (const line of pending) file.write(line);
          file.flushSync();
          done?.();
        },
        (err: Error) => done?.(err),
      );
    },
  };
}

/**
 * A short command's logger: calls wait in memory with their time, and pino itself is loaded only when
 * there is a line to write, at flush. Most commands log nothing, and pino is a good share of a
 * command's start-up.
 */
function deferredLogger(make: () => Promise<PinoLogger>): Logger {
  const calls: Array<{ level: 'info' | 'warn' | 'error'; at: string; args: unknown[] }> = [];
  const record =
    (level: 'info' | 'warn' | 'error'): LogFn =>
    (...args: unknown[]) => {
      calls.push({ level, at: new Date().toISOString(), args });
    };
  return {
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    flush(done) {
      const pending = calls.splice(0);
      if (pending.length === 0) return done?.();
      make().then(
        (logger) => {
          for (const { level, at, args } of pending) {
            // The time the line was logged, not the time it was written.
            const [first, ...rest] = args;
            const fields =
              typeof first === 'object' && first !== null && !(first instanceof Error)
                ? { logged_at: at, ...first }
                : { logged_at: at, ...(first instanceof Error ? { err: first } : {}) };
            const message = typeof first === 'string' ? [first, ...rest] : rest;
            (logger[level] as (obj: object, ...m: unknown[]) => void)(fields, ...message);
          }
          logger.flush(done);
        },
        (err: Error) => done?.(err),
      );
    },
  };
}

/**
 * The local log. `deferred`: calls wait in memory until `logger.flush()`, so a command that logs
 * nothing never loads pino or the rolling-file code; long-running processes (serve, pack) write at once.
 */
export async function createLogger(
  settings: Settings,
  localDir: string,
  bindings: Record<string, unknown>,
  options: { deferred?: boolean } = {},
): Promise<Logger> {
  const dir = path.join(localDir, 'logs');
  const make = async (): Promise<PinoLogger> => {
    const { pino } = await import('pino');
    try {
      await fs.mkdir(dir, { recursive: true });
      await pruneOldLogs(dir, settings.logging.retentionDays);
      const stream = options.deferred ? deferredFile(settings, dir) : await rollingFile(settings, dir);
      return pino({ level: settings.logging.level, base: { pid: process.pid, ...bindings } }, stream);
    } catch {
      // A station must keep working when its local log folder cannot be written.
      return pino({ level: 'silent' });
    }
  };
  return options.deferred ? deferredLogger(make) : make();
}
