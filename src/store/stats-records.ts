// Per-sitting result records under STATS/sittings/CLIENT_<ID>/: one immutable file per lease epoch of
// a list, named by it, so a record is written once and a second attempt for the same sitting is a no-op.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SittingRecordSchema, type SittingRecord } from '../domain/stats.js';
import { clientIdFromFolder, type Layout } from './layout.js';
import { storageErrorFor, writeNewFile } from './atomic-file.js';
import { ensureDir, exists, listOrEmpty } from './lease/fs-util.js';
import { parseJsonText } from './json-file.js';

export function sittingFileName(record: Pick<SittingRecord, 'session' | 'list' | 'epoch'>): string {
  return `${record.session}__${record.list}__e${String(record.epoch).padStart(8, '0')}.json`;
}

/** Writes the record unless that sitting already has one; returns whether it wrote. */
export async function writeSittingRecord(layout: Layout, record: SittingRecord): Promise<boolean> {
  const dir = layout.sittingsDir(record.client);
  const file = path.join(dir, sittingFileName(record));
  if (await exists(file)) return false;
  try {
    await ensureDir(dir);
    await writeNewFile(file, `${JSON.stringify(SittingRecordSchema.parse(record), null, 1)}\n`);
  } catch (err) {
    throw storageErrorFor(err, 'save the statistics of this sitting', dir);
  }
  return true;
}

export async function sittingRecorded(
  layout: Layout,
  client: string,
  ids: Pick<SittingRecord, 'session' | 'list' | 'epoch'>,
): Promise<boolean> {
  return exists(path.join(layout.sittingsDir(client), sittingFileName(ids)));
}

export interface SittingsRead {
  records: SittingRecord[];
  /** Files that could not be read as records: reported, never counted as zero. */
  damaged: string[];
}

export async function readSittings(layout: Layout, clients?: string[]): Promise<SittingsRead> {
  const root = path.join(layout.statsDir(), 'sittings');
  const folders = clients
    ? clients.map((c) => `CLIENT_${c}`)
    : (await listOrEmpty(root)).filter((f) => clientIdFromFolder(f));
  const result: SittingsRead = { records: [], damaged: [] };
  for (const folder of folders) {
    const dir = path.join(root, folder);
    for (const name of (await listOrEmpty(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
      const text = await fs.readFile(path.join(dir, name), 'utf8').catch(() => '');
      const parsed = parseJsonText(text, SittingRecordSchema);
      if (parsed.ok) result.records.push(parsed.value);
      else result.damaged.push(`${folder}/${name}`);
    }
  }
  return result;
}
