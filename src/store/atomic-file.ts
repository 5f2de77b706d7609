// The two ways packdesk writes a file on the share (DESIGN §3): replace it whole through a temp file
// in the same folder (fsync, then rename), or create it exclusively so that exactly one writer wins.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AlreadyExistsError, StorageError, storageHint } from '../domain/errors.js';
import { errorCode, withTransientRetry } from './fs-retry.js';
import { writeContent, type FileContent } from './file-content.js';

export function tempNameFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

async function writeAndSync(file: string, data: FileContent, flag: 'wx' | 'w'): Promise<void> {
  const handle = await fs.open(file, flag);
  try {
    await writeContent(handle, data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entry list so a rename survives a power cut. Not supported on Windows or some shares: best effort. */
export async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Folders cannot be opened or synced on Windows and on some network file systems.
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** Replaces `target` whole: readers see the old content or the new, never a torn file. */
export async function replaceFileAtomic(target: string, data: FileContent): Promise<void> {
  const temp = tempNameFor(target);
  try {
    await writeAndSync(temp, data, 'wx');
    await withTransientRetry(() => fs.rename(temp, target), { budgetMs: 5_000 });
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => {});
    throw storageErrorFor(err, `save ${path.basename(target)}`, target);
  }
  await syncFolder(path.dirname(target));
}

/**
 * Creates `target` only if it does not exist yet, with its full content. The bytes go to a temp file
 * first and are then linked into place where the share supports hard links, so nobody ever reads a
 * half-written file; where it does not, the file is created with O_EXCL and written.
 * NOTE: on some SMB clients O_EXCL is not exclusive (see DESIGN §4); locks use mkdir instead.
 */
export async function createFileExclusive(target: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeAndSync(target, data, 'wx');
  } catch (err) {
    if (errorCode(err) === 'EEXIST') {
      throw new AlreadyExistsError(`${path.basename(target)} already exists.`, { path: target });
    }
    throw storageErrorFor(err, `create ${path.basename(target)}`, target);
  }
}

export function storageErrorFor(err: unknown, action: string, file: string): Error {
  if (err instanceof StorageError || err instanceof AlreadyExistsError) return err;
  const code = errorCode(err);
  const reading = /^(read|look|list|open the)\b/.test(action);
  return new StorageError(
    `Could not ${action}: ${storageHint(code, reading)}`,
    { path: file, cause: code ?? String(err) },
    { cause: err },
  );
}
