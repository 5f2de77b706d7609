// Reading a prepared session's analysis.json and its downloadable outputs (the analysis workbook and
// the stock write-off exports). Paths come from the session's own records, never from the caller.
import fs from 'node:fs/promises';
import path from 'node:path';
import { AnalysisFileSchema, type AnalysisFile } from '../domain/analysis-file.js';
import { NotFoundError } from '../domain/errors.js';
import { storageErrorFor } from './atomic-file.js';
import { readJsonFile } from './json-file.js';
import type { Layout } from './layout.js';

export async function readAnalysisFile(
  layout: Layout,
  client: string,
  session: string,
  relative: string,
): Promise<AnalysisFile> {
  const file = path.join(layout.sessionDir(client, session), ...relative.split('/'));
  return (await readJsonFile(file, AnalysisFileSchema, { what: `The analysis of session ${session}` })).value;
}

/** A file of the session's outputs, by its path relative to the session folder (as analysis.json names it). */
export async function readSessionOutput(
  layout: Layout,
  client: string,
  session: string,
  relative: string,
): Promise<Buffer> {
  const file = path.join(layout.sessionDir(client, session), ...relative.split('/'));
  try {
    return await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError(`Session ${session} has no file ${relative}.`, { session, file: relative });
    throw storageErrorFor(err, `read ${relative}`, file);
  }
}
