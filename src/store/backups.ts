// Timestamped backups of a client's files: newest 10 per file, names unique even for several saves
// within one second or from several PCs at once (the Python tool overwrote same-second backups).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { replaceFileAtomic } from './atomic-file.js';
import { errorCode } from './fs-retry.js';

export const BACKUPS_KEPT = 10;

function stamp(date: Date): string {
  const iso = date.toISOString(); // 2026-11-29T05:03:51.123Z
  return `${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}${iso.slice(20, 23)}`;
}

// Orders this process's backups made within the same millisecond; the random part keeps two PCs apart.
let sequence = 0;

export function backupName(stem: string, date = new Date()): string {
  sequence = (sequence + 1) % 10_000;
  return `${stem}_${stamp(date)}_${String(sequence).padStart(4, '0')}${randomBytes(3).toString('hex')}.json`;
}

/** Backup files of `stem`, newest first. */
export async function listBackups(backupsDir: string, stem: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(backupsDir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw err;
  }
  const pattern = new RegExp(`^${stem}_\\d{8}_\\d{9}_\\d{4}[0-9a-f]{6}\\.json$`);
  return names
    .filter((n) => pattern.test(n))
    .sort()
    .reverse()
    .map((n) => path.join(backupsDir, n));
}

/** Stores `content` as a new backup of `stem` and prunes all but the newest BACKUPS_KEPT. */
export async function writeBackup(backupsDir: string, stem: string, content: string): Promise<string> {
  await fs.mkdir(backupsDir, { recursive: true });
  const file = path.join(backupsDir, backupName(stem));
  await replaceFileAtomic(file, content);
  const all = await listBackups(backupsDir, stem);
  for (const old of all.slice(BACKUPS_KEPT)) {
    // Another PC may be pruning the same backups at the same moment.
    await fs.rm(old, { force: true }).catch(() => {});
  }
  return file;
}
