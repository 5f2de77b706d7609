// A session's archive state on the share: archive/<seq>-<archived|restored>-<mark>.json in its folder,
// one immutable file per change (who and when inside). The newest file by (seq, mark) is the state,
// and the name alone says it, so reading the state is one folder listing and a damaged file cannot
// hide a session by mistake. Two PCs that change it at once each write their own file; the index
// and every reader pick the same winner.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { laterArchiveFact, type ArchiveFact, type ArchiveRecord } from '../domain/session.js';
import { storageErrorFor, writeNewFile } from './atomic-file.js';
import type { Layout } from './layout.js';
import { wallNowIso } from './lease/clock.js';
import { listOrEmpty } from './lease/fs-util.js';

const RECORD_NAME = /^(\d{6,})-(archived|restored)-([0-9a-f]{8,})\.json$/;

/** The session's archive state from its folder, or null when it was never archived. */
export async function readArchiveFact(
  layout: Layout,
  client: string,
  session: string,
): Promise<ArchiveFact | null> {
  let latest: ArchiveFact | undefined;
  for (const name of await listOrEmpty(layout.sessionArchiveDir(client, session))) {
    const m = RECORD_NAME.exec(name);
    if (!m) continue;
    latest = laterArchiveFact(latest, { seq: Number(m[1]), mark: m[3]!, archived: m[2] === 'archived' });
  }
  return latest ?? null;
}

/** Records that the session is now archived (or brought back); returns the fact the index gets. */
export async function writeArchiveRecord(
  layout: Layout,
  client: string,
  session: string,
  archived: boolean,
  by: { station: string; worker: string },
): Promise<{ fact: ArchiveFact; record: ArchiveRecord }> {
  const dir = layout.sessionArchiveDir(client, session);
  const seq = ((await readArchiveFact(layout, client, session))?.seq ?? 0) + 1;
  const mark = randomBytes(6).toString('hex');
  const record: ArchiveRecord = { schema_version: 1, archived, seq, at: wallNowIso(), by };
  const name = `${String(seq).padStart(6, '0')}-${archived ? 'archived' : 'restored'}-${mark}.json`;
  try {
    await fs.mkdir(dir, { recursive: true });
    await writeNewFile(path.join(dir, name), `${JSON.stringify(record)}\n`);
  } catch (err) {
    throw storageErrorFor(err, 'save the archive state', dir);
  }
  return { fact: { seq, mark, archived }, record };
}
