// Small file-system steps the lease code shares: read a file that may be missing or torn, and list a
// folder that may not exist yet. (Files are written whole through atomic-file.ts.)
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errorCode, withTransientRetry } from '../fs-retry.js';

/** Text of `file`, or null when it does not exist. Other errors are thrown: an unreadable file is not an absent one. */
export async function readIfExists(file: string): Promise<string | null> {
  try {
    return await withTransientRetry(() => fs.readFile(file, 'utf8'), { budgetMs: 1_000 });
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
}

export async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await withTransientRetry(() => fs.readdir(dir), { budgetMs: 1_000 });
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw err;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/** True while a process with this id runs on this PC. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM';
  }
}

/**
 * mkdir -p that reports the real reason: Node's recursive mkdir answers ENOENT on a read-only file
 * system when the folder is missing; making the first missing level on its own shows EROFS/EACCES.
 */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
    let missing = dir;
    while (!(await exists(path.dirname(missing))) && path.dirname(missing) !== missing)
      missing = path.dirname(missing);
    await fs.mkdir(missing);
    throw err;
  }
}
