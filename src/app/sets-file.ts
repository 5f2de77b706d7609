// Use case: read a sets file a shift lead brings to the settings editor (CSV with any common delimiter
// and encoding, or XLSX), checked by the same rules as a preparation's sets file: every problem named
// by file, row and column, nested sets allowed, a cycle refused. Nothing is saved: the editor shows
// the sets, and saving goes through the client's settings like any other change.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AlreadyExistsError } from '../domain/errors.js';
import { mergeSets, setsCsvText, type SetsImportAnswer } from '../domain/sets-file.js';
import type { Settings } from '../domain/settings.js';
import { readSetsTable } from '../domain/stock-table.js';
import { replaceFileAtomic } from '../store/atomic-file.js';
import type { Layout } from '../store/layout.js';
import { parseCellTable, readImportFile } from '../store/tabular-file.js';
import { preparationSettings, replacePreparationSettings } from './client-settings.js';

type Deps = { layout: Layout; settings: Settings; station: string };

export async function readSetsFile(data: Buffer, fileName: string): Promise<SetsImportAnswer> {
  const table = await parseCellTable(data, fileName);
  const sets = readSetsTable({
    file: fileName,
    headers: table.headers,
    headerRow: table.headerRow,
    rows: table.rows,
  });
  return { file: fileName, rows: table.rows.length, sets, warnings: table.warnings ?? [] };
}

/** A sets file is small; this bounds what a mistaken file (an orders export) can make us read. */
const MAX_SETS_FILE_BYTES = 50 * 1024 * 1024;

/**
 * Takes a sets file into the client's settings (`packdesk client sets --import`): read and checked
 * as above, merged as a preparation merges a sets file, and saved through the settings' lock and
 * backup, after the whole settings (a cycle across old and new sets included) are checked again.
 */
export async function importClientSets(
  deps: Deps,
  client: string,
  file: string,
): Promise<{ file: string; rows: number; sets_in_file: number; replaced: number; sets_total: number }> {
  const name = path.basename(file);
  const read = await readSetsFile(await readImportFile(file, name, MAX_SETS_FILE_BYTES), name);
  const current = await preparationSettings(deps, client);
  const merged = mergeSets(current.sets, read.sets);
  const saved = await replacePreparationSettings(deps, client, { ...current, sets: merged.sets });
  return {
    file: name,
    rows: read.rows,
    sets_in_file: read.sets.length,
    replaced: merged.replaced,
    sets_total: saved.sets.length,
  };
}

/** Writes the client's sets as a sets file (`packdesk client sets --export`). */
export async function exportClientSets(
  deps: Deps,
  client: string,
  file: string,
  options: { overwrite?: boolean } = {},
): Promise<{ file: string; sets: number; rows: number }> {
  const { sets } = await preparationSettings(deps, client);
  const target = path.resolve(file);
  if (
    !options.overwrite &&
    (await fs.stat(target).then(
      () => true,
      () => false,
    ))
  )
    throw new AlreadyExistsError(
      `${path.basename(target)} already exists. Choose another file name, or add --force to replace it.`,
      { file: target },
    );
  await replaceFileAtomic(target, setsCsvText(sets));
  return { file: target, sets: sets.length, rows: sets.reduce((n, s) => n + s.components.length, 0) };
}
