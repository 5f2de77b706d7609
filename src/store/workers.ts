// WORKERS/workers.json: read with backup fallback, changed under a lock folder and replaced atomically.
import { promises as fs } from 'node:fs';
import { emptyWorkers, WorkersFileSchema, type WorkersFile } from '../domain/workers.js';
import { replaceFileAtomic } from './atomic-file.js';
import { listBackups, writeBackup } from './backups.js';
import { withDirLock, type DirLockOptions } from './dir-lock.js';
import { errorCode } from './fs-retry.js';
import { readJsonFile } from './json-file.js';
import type { Layout } from './layout.js';

const STEM = 'workers';

export async function readWorkers(layout: Layout, station: string): Promise<WorkersFile> {
  const file = layout.workersFile();
  const present = await fs.stat(file).then(
    () => true,
    (err) => (errorCode(err) === 'ENOENT' ? false : Promise.reject(err)),
  );
  // Never made yet: an empty list. A file that vanished after being made falls back to its backup.
  if (!present && (await listBackups(layout.workersBackupsDir(), STEM).catch(() => [])).length === 0)
    return emptyWorkers(station, new Date());
  const { value } = await readJsonFile(file, WorkersFileSchema, {
    what: 'The workers list',
    backups: { dir: layout.workersBackupsDir(), stem: STEM },
  });
  return value;
}

export async function changeWorkers<T>(
  layout: Layout,
  options: { station: string; lock: Omit<DirLockOptions, 'station' | 'what'> },
  change: (file: WorkersFile) => T,
): Promise<T> {
  await fs.mkdir(layout.workersDir(), { recursive: true });
  return withDirLock(
    layout.workersLockDir(),
    { ...options.lock, station: options.station, what: 'the workers list' },
    async (lock) => {
      const current = await readWorkers(layout, options.station);
      const result = change(current);
      current.last_updated = new Date().toISOString();
      current.updated_by = options.station;
      const text = `${JSON.stringify(WorkersFileSchema.parse(current), null, 2)}\n`;
      await lock.assertHeld();
      await writeBackup(layout.workersBackupsDir(), STEM, text);
      await replaceFileAtomic(layout.workersFile(), text);
      return result;
    },
  );
}
