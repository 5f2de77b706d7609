// Structured logs (pino) in this PC's own folder, never on the share: the Python tool's one log file
// shared by every PC could not be rotated while others held it open. Files roll daily and by size
// (MaxLogSizeMB); files older than LogRetentionDays are removed when a process starts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import roll from 'pino-roll';
import type { Settings } from '../domain/settings.js';

export type { Logger };

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

export async function createLogger(
  settings: Settings,
  localDir: string,
  bindings: Record<string, unknown>,
): Promise<Logger> {
  const dir = path.join(localDir, 'logs');
  try {
    await fs.mkdir(dir, { recursive: true });
    await pruneOldLogs(dir, settings.logging.retentionDays);
    const stream = await roll({
      file: path.join(dir, 'packdesk'),
      extension: '.log',
      frequency: 'daily',
      dateFormat: 'yyyy-MM-dd',
      size: `${settings.logging.maxSizeMB}m`,
      mkdir: true,
      // Synchronous writes: a station that crashes or exits at once must not lose its last log lines.
      sync: true,
    });
    return pino({ level: settings.logging.level, base: { pid: process.pid, ...bindings } }, stream);
  } catch {
    // A station must keep working when its local log folder cannot be written.
    return pino({ level: 'silent' });
  }
}
