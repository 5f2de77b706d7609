// The ways packdesk writes a whole file on the share (DESIGN §3). All of them first write the bytes
// to a temp file in the same folder and flush it, so no reader ever sees a half-written file:
// - replaceFileAtomic: a file that is replaced (renamed over), the folder flushed after;
// - writeNewFile: a file under a name only this writer ever writes (its own epoch's, a unique name,
//   a private staging folder), renamed into place;
// - createFileExclusive: a name several writers may race for; exactly one wins (hard link, which
//   fails if the name is taken).
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

/** Writes `data` to the new file `temp` and flushes it unless `sync` is false. */
async function writeTemp(temp: string, data: FileContent, sync = true): Promise<void> {
  const handle = await fs.open(temp, 'wx');
  try {
    await writeContent(handle, data);
    if (sync) await handle.sync();
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

/**
 * The temp file for `target`, written and flushed, then renamed into place; `alongside` runs while
 * the temp file is written and must succeed too. The temp file never outlives a failure.
 */
async function writeThenRename(
  target: string,
  data: FileContent,
  options: { sync?: boolean; alongside?: () => Promise<unknown> },
): Promise<void> {
  const temp = tempNameFor(target);
  try {
    const done = await Promise.allSettled([writeTemp(temp, data, options.sync), options.alongside?.()]);
    for (const step of done) if (step.status === 'rejected') throw step.reason;
    await withTransientRetry(() => fs.rename(temp, target), { budgetMs: 5_000 });
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => {});
    throw err;
  }
}

/**
 * Replaces `target` whole: readers see the old content or the new, never a torn file. `alongside`
 * (e.g. writing a backup of the new content) runs while the new content is flushed.
 */
export async function replaceFileAtomic(
  target: string,
  data: FileContent,
  options: { alongside?: () => Promise<unknown> } = {},
): Promise<void> {
  try {
    await writeThenRename(target, data, options);
  } catch (err) {
    throw storageErrorFor(err, `save ${path.basename(target)}`, target);
  }
  await syncFolder(path.dirname(target));
}

/**
 * Writes a file under a name that only the caller writes, so readers see nothing or everything.
 * `sync: false` skips the flush for files that only save work (a torn one is recognised and skipped).
 * Errors are the file system's own: each caller says what it was saving.
 */
export async function writeNewFile(
  target: string,
  data: FileContent,
  options: { sync?: boolean } = {},
): Promise<void> {
  await writeThenRename(target, data, options);
}

/**
 * Creates `target` only if it does not exist yet, with its full content: the bytes go to a temp file
 * first and are hard-linked into place (the link fails if the name is taken), so nobody ever reads a
 * half-written file. Where the share has no hard links, the file is created with O_EXCL and written,
 * and its readers must be patient with a file that reads empty for a moment.
 * NOTE: on some SMB clients O_EXCL is not exclusive (see DESIGN §4); locks use mkdir instead.
 */
export async function createFileExclusive(target: string, data: FileContent): Promise<void> {
  const taken = () => new AlreadyExistsError(`${path.basename(target)} already exists.`, { path: target });
  const temp = tempNameFor(target);
  try {
    await writeTemp(temp, data);
    try {
      await fs.link(temp, target);
      return;
    } catch (err) {
      if (errorCode(err) === 'EEXIST') throw taken();
      if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP', 'EXDEV'].includes(errorCode(err) ?? '')) throw err;
    }
    try {
      await writeTemp(target, data);
    } catch (err) {
      if (errorCode(err) === 'EEXIST') throw taken();
      throw err;
    }
  } catch (err) {
    throw storageErrorFor(err, `create ${path.basename(target)}`, target);
  } finally {
    await fs.rm(temp, { force: true }).catch(() => {});
  }
}

export function storageErrorFor(err: unknown, action: string, file: string): Error {
  if (err instanceof StorageError || err instanceof AlreadyExistsError) return err;
  const code = errorCode(err);
  // An error that is not the file system's (a row of a workbook that could not be made) says what
  // it is: "check that the data folder is reachable" would send the shift lead after the wrong thing.
  // (packdesk's own errors all carry a code.)
  if (code === undefined && err instanceof Error)
    return new StorageError(
      `Could not ${action}: ${err.message}`,
      { path: file, cause: err.message },
      { cause: err },
    );
  const reading = /^(read|look|list|open the)\b/.test(action);
  return new StorageError(
    `Could not ${action}: ${storageHint(code, reading)}`,
    { path: file, cause: code ?? String(err) },
    { cause: err },
  );
}
