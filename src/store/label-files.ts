// A list's printed labels under the session's barcodes/<list>/: the PDFs (derived, replaced whole on
// every print) and the numbering records (immutable; see domain/label-numbering.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AlreadyExistsError, CorruptFileError } from '../domain/errors.js';
import { LabelNumberingSchema, type LabelNumbering } from '../domain/label-numbering.js';
import { createFileExclusive, replaceFileAtomic, storageErrorFor } from './atomic-file.js';
import { parseJsonText } from './json-file.js';
import type { Layout } from './layout.js';
import { listOrEmpty, readIfExists } from './lease/fs-util.js';

export interface LabelIds {
  client: string;
  session: string;
  list: string;
}

const RECORD = /^numbering-(\d{4,})\.json$/;

async function recordNames(dir: string): Promise<string[]> {
  return (await listOrEmpty(dir)).filter((n) => RECORD.test(n)).sort();
}

/** How long a record that reads empty or torn is read again: another PC may have just written it. */
const PATIENCE_MS = 3_000;

async function readRecord(file: string, name: string, list: string): Promise<LabelNumbering | null> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    const text = await readIfExists(file).catch((err) => {
      throw storageErrorFor(err, `read ${name}`, file);
    });
    if (text === null) return null;
    const parsed = parseJsonText(text, LabelNumberingSchema);
    if (parsed.ok) return parsed.value;
    // The FUSE SMB client can show another PC's new file empty for about a second.
    if (performance.now() - started >= PATIENCE_MS)
      throw new CorruptFileError(
        `The label numbering of list ${list} (${name}) is damaged (${parsed.problem}); ` +
          'restore it from a copy before printing again, so labels keep the numbers already on the boxes.',
        { path: file },
      );
    await delay(Math.min(20 * 2 ** attempt, 250));
  }
}

/** Every numbering record of the list, oldest first. A damaged one stops the print: guessing would renumber boxes. */
export async function readLabelNumberings(layout: Layout, ids: LabelIds): Promise<LabelNumbering[]> {
  const dir = layout.listNumberingDir(ids.client, ids.session, ids.list);
  const records: LabelNumbering[] = [];
  for (const name of await recordNames(dir)) {
    const record = await readRecord(path.join(dir, name), name, ids.list);
    if (record) records.push(record);
  }
  return records;
}

/**
 * Adds a record under the next free name. Returns false when another PC recorded at the same moment:
 * the caller reads again and numbers from what that PC printed.
 */
export async function addLabelNumbering(
  layout: Layout,
  ids: LabelIds,
  record: LabelNumbering,
): Promise<boolean> {
  const dir = layout.listNumberingDir(ids.client, ids.session, ids.list);
  await fs.mkdir(dir, { recursive: true }).catch((err) => {
    throw storageErrorFor(err, 'create the labels folder', dir);
  });
  const names = await recordNames(dir);
  const last = names.length > 0 ? Number(RECORD.exec(names[names.length - 1]!)![1]) : 0;
  const name = `numbering-${String(last + 1).padStart(4, '0')}.json`;
  try {
    await createFileExclusive(path.join(dir, name), `${JSON.stringify(record, null, 2)}\n`);
    return true;
  } catch (err) {
    if (err instanceof AlreadyExistsError) return false;
    throw err;
  }
}

/** Writes a labels PDF into the list's labels folder; returns its path. */
export async function writeLabelsPdf(
  layout: Layout,
  ids: LabelIds,
  fileName: string,
  pdf: Uint8Array,
): Promise<string> {
  const dir = layout.listLabelsDir(ids.client, ids.session, ids.list);
  await fs.mkdir(dir, { recursive: true }).catch((err) => {
    throw storageErrorFor(err, 'create the labels folder', dir);
  });
  const file = path.join(dir, fileName);
  await replaceFileAtomic(file, pdf);
  return file;
}
