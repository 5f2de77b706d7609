// Reading a list's whole journal for the records about one thing (an order's scan history), without
// the lease and without decoding every record: a line is decoded only when it contains the needle.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeJournalRecord, type JournalRecord } from '../domain/journal-record.js';
import { readAccepted } from './lease/fenced-writes.js';
import { listOrEmpty } from './lease/fs-util.js';

/**
 * The accepted records whose line contains `needle`, in journal order. A line that does not decode
 * (a torn last write) is left out: this is a read for people, recovery is what judges damage.
 */
export async function journalRecordsContaining(journalDir: string, needle: string): Promise<JournalRecord[]> {
  const accepted = await readAccepted(journalDir);
  const found: JournalRecord[] = [];
  for (const entry of accepted.entries) {
    if (!entry.line.includes(needle)) continue;
    const decoded = decodeJournalRecord(entry.line);
    if (decoded.ok) found.push(decoded.record);
  }
  return found;
}

/**
 * Names, sizes and change times of the files a list's state is read from (its session's description,
 * its stored lists and its journal): equal fingerprints mean a state read before is still the state.
 */
export async function listFilesFingerprint(files: string[], dirs: string[]): Promise<string> {
  const parts: string[] = [];
  const add = async (file: string) => {
    try {
      const s = await fs.stat(file);
      parts.push(`${file}:${s.size}:${s.mtimeMs}`);
    } catch {
      parts.push(`${file}:-`);
    }
  };
  for (const file of files) await add(file);
  for (const dir of dirs) {
    const names = (await listOrEmpty(dir)).sort();
    for (const name of names) await add(path.join(dir, name));
  }
  return parts.join('\n');
}
