// Reading a JSON file that other PCs replace while we read. On the FUSE SMB client a file replaced
// by another PC can read as missing, truncated or old for up to about a second, so a bad read is
// retried for a short while before it is believed; only then does the newest good backup stand in
// (and the caller is told), or a clear error stop the operation. Never is a bad read taken as empty.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { z } from 'zod';
import { CorruptFileError, NotFoundError, StorageError } from '../domain/errors.js';
import { listBackups } from './backups.js';
import { parseJsonText, readTextExpectingFile, type BackupSource, type JsonRead } from './json-file.js';

export interface PatientReadOptions<T> {
  what: string;
  backups: BackupSource;
  /** How long to keep re-reading a bad or too-old file, in ms. */
  patienceMs: number;
  /** Returns a problem when a parsed value must not be used yet (e.g. older than a known revision). */
  tooOld?: (value: T) => string | null;
  /**
   * Picks the backup with the highest rank instead of the newest name. Backup names carry the
   * writing PC's clock, and PCs' clocks disagree; a revision number does not.
   */
  rank?: (value: T) => number;
}

export async function readJsonPatiently<T>(
  file: string,
  schema: z.ZodType<T>,
  options: PatientReadOptions<T>,
): Promise<JsonRead<T>> {
  const started = performance.now();
  let problem: string;
  let stale: boolean;
  for (let attempt = 0; ; attempt++) {
    try {
      const text = await readTextExpectingFile(file, options.what);
      const parsed = parseJsonText(text, schema);
      if (parsed.ok) {
        const old = options.tooOld?.(parsed.value) ?? null;
        if (old === null) return { value: parsed.value, text };
        problem = old;
        stale = true;
      } else {
        problem = parsed.problem;
        stale = false;
      }
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      problem = 'the file is missing';
      stale = false;
    }
    if (performance.now() - started >= options.patienceMs) break;
    await delay(Math.min(20 * 2 ** attempt, 200));
  }
  let best: { value: T; text: string; backup: string; rank: number } | null = null;
  for (const backup of await listBackups(options.backups.dir, options.backups.stem)) {
    const text = await fs.readFile(backup, 'utf8').catch(() => '');
    const parsed = parseJsonText(text, schema);
    if (!parsed.ok || (options.tooOld?.(parsed.value) ?? null) !== null) continue;
    if (!options.rank) return { value: parsed.value, text, recoveredFrom: { backup, problem } };
    const rank = options.rank(parsed.value);
    if (best === null || rank > best.rank) best = { value: parsed.value, text, backup, rank };
  }
  if (best) return { value: best.value, text: best.text, recoveredFrom: { backup: best.backup, problem } };
  if (stale) {
    throw new StorageError(
      `${options.what} on the share is older than the last save another station made (${problem}). ` +
        'The share may be slow to show changes; try again in a moment.',
      { path: file, problem },
    );
  }
  throw new CorruptFileError(
    `${options.what} is damaged (${problem}) and no good backup was found. ` +
      `Restore it from a copy, or ask an admin to look at ${path.basename(file)}.`,
    { path: file, problem },
  );
}
