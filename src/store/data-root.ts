// Opening the data root: it must exist and hold packdesk's layout. Checked with a deadline so a hung
// share gives an error, not a hung station.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NotFoundError, StorageError } from '../domain/errors.js';
import { errorCode } from './fs-retry.js';
import { TOP_LEVEL_DIRS, type Layout } from './layout.js';
import { withTimeout } from './timeout.js';

export async function initDataRoot(layout: Layout, timeoutMs: number): Promise<{ created: string[] }> {
  return withTimeout(
    (async () => {
      const created: string[] = [];
      // Only the data folder itself is made, never the folders above it: a share that is not mounted
      // must not silently become a local folder of the same name.
      const parent = path.dirname(layout.root);
      const above = await fs.stat(parent).catch((err: unknown) => {
        if (errorCode(err) === 'ENOENT') return null;
        throw rootProblem(err, layout.root);
      });
      if (!above?.isDirectory())
        throw new NotFoundError(
          `${parent} does not exist, so the data folder ${layout.root} cannot be made in it. Check the share path and that the share is mounted (packdesk makes only the last folder).`,
          { root: layout.root, missing: parent },
        );
      try {
        await fs.mkdir(layout.root).catch((err: unknown) => {
          if (errorCode(err) !== 'EEXIST') throw err;
        });
        for (const dir of TOP_LEVEL_DIRS) {
          const full = path.join(layout.root, dir);
          const made = await fs.mkdir(full).then(
            () => true,
            (err) => {
              if (errorCode(err) === 'EEXIST') return false;
              throw err;
            },
          );
          if (made) created.push(dir);
        }
      } catch (err) {
        throw rootProblem(err, layout.root);
      }
      return { created };
    })(),
    timeoutMs,
    'prepare the data folder',
  );
}

/** Checks that the root is reachable and initialised; commands call this before touching the share. */
export async function openDataRoot(layout: Layout, timeoutMs: number): Promise<void> {
  await withTimeout(
    (async () => {
      try {
        await fs.stat(layout.root);
      } catch (err) {
        throw rootProblem(err, layout.root);
      }
      for (const dir of TOP_LEVEL_DIRS) {
        const stat = await fs.stat(path.join(layout.root, dir)).catch(() => null);
        if (!stat?.isDirectory()) {
          throw new NotFoundError(
            `The data folder ${layout.root} is not set up for packdesk (no ${dir} folder). ` +
              `Run "packdesk init --root ${layout.root}", or check that --root points at the right folder.`,
            { root: layout.root },
          );
        }
      }
    })(),
    timeoutMs,
    'open the data folder',
  );
}

export function rootProblem(err: unknown, root: string): Error {
  const code = errorCode(err);
  if (code === 'ENOENT')
    return new NotFoundError(
      `The data folder ${root} does not exist. Check the share path, or run "packdesk init".`,
      { root },
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new StorageError(
      `packdesk may not write to the data folder ${root}; check its permissions or whether the share is read-only.`,
      {
        root,
        cause: code,
      },
    );
  if (code === 'ENOTDIR')
    return new StorageError(`The data folder ${root} is a file, not a folder.`, { root });
  return new StorageError(`The data folder ${root} cannot be used: ${code ?? String(err)}.`, {
    root,
    cause: code,
  });
}
