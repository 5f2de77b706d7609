// Reading JSON files from the share. A file that is empty, torn or does not match its schema is
// never taken as "no data" (that is how the Python tool lost progress): the newest good backup is
// used and the caller is told, or a clear error stops the operation.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { z } from 'zod';
import { CorruptFileError, NotFoundError } from '../domain/errors.js';
import { listBackups } from './backups.js';
import { errorCode } from './fs-retry.js';
import { storageErrorFor } from './atomic-file.js';

export interface BackupSource {
  dir: string;
  stem: string;
}

export interface JsonRead<T> {
  value: T;
  /** The raw text that was parsed (for change detection and backups). */
  text: string;
  /** Set when the file itself was unusable and a backup was used instead. */
  recoveredFrom?: { backup: string; problem: string };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export function parseJsonText<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  if (text.trim().length === 0) return { ok: false, problem: 'the file is empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `the file is not valid JSON (${(err as Error).message})` };
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      ok: false,
      problem: `field "${issue?.path.join('.') || '(top)'}": ${issue?.message ?? 'invalid'}`,
    };
  }
  return { ok: true, value: result.data };
}

/**
 * Reads a file that must exist. Some SMB clients make a replaced file vanish for a moment while
 * another PC renames over it, so a missing file is looked for again briefly before giving up.
 */
export async function readTextExpectingFile(file: string, what: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw storageErrorFor(err, `read ${what}`, file);
      if (attempt >= 4) throw new NotFoundError(`${what} was not found.`, { path: file });
      await delay(10 * 2 ** attempt);
    }
  }
}

export async function readJsonFile<T>(
  file: string,
  schema: z.ZodType<T>,
  options: { what: string; backups?: BackupSource },
): Promise<JsonRead<T>> {
  let problem: string;
  try {
    const text = await readTextExpectingFile(file, options.what);
    const parsed = parseJsonText(text, schema);
    if (parsed.ok) return { value: parsed.value, text };
    problem = parsed.problem;
  } catch (err) {
    if (!(err instanceof NotFoundError) || !options.backups) throw err;
    problem = 'the file is missing';
  }
  if (options.backups) {
    for (const backup of await listBackups(options.backups.dir, options.backups.stem)) {
      const backupText = await fs.readFile(backup, 'utf8').catch(() => '');
      const parsed = parseJsonText(backupText, schema);
      if (parsed.ok) return { value: parsed.value, text: backupText, recoveredFrom: { backup, problem } };
    }
  }
  throw new CorruptFileError(
    `${options.what} is damaged (${problem}) and no good backup was found. ` +
      `Restore it from a copy, or ask an admin to look at ${path.basename(file)}.`,
    { path: file, problem },
  );
}
