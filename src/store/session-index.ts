// The per-client session index: SESSIONS/CLIENT_<ID>/.index/ holds immutable event files
// (events/ev.*.json) and compacted snapshots (snap.*.json). Writers only ever add a new file; folding
// is an order-free merge (domain/session.ts), so concurrent writers and concurrent compactions from
// several PCs never lose a fact. A session folder the index does not know (index missing, an event
// lost in a crash) is found by one folder listing and indexed from its session_info.json; a damaged
// index file makes the index rebuild from the folders.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { leaseStatus } from '../domain/lease.js';
import {
  applyIndexEvent,
  decodeIndex,
  emptyIndex,
  encodeIndex,
  IndexEvent,
  mergeIndex,
  type IndexSnapshot,
  type IndexedSession,
  type SessionInfo,
} from '../domain/session.js';
import { storageErrorFor, writeNewFile } from './atomic-file.js';
import { errorCode } from './fs-retry.js';
import { parseJsonText } from './json-file.js';
import type { Layout } from './layout.js';
import { wallNowMs } from './lease/clock.js';
import { listOrEmpty } from './lease/fs-util.js';
import { snapshotLease } from './lease/observe.js';
import { readArchiveFact } from './session-archive.js';
import { listSessionIds, readSessionInfo } from './sessions.js';

/** Compact once this many event files have piled up. */
export const COMPACT_AT = 64;

const eventsDir = (layout: Layout, client: string) => path.join(layout.sessionIndexDir(client), 'events');
const uniqueName = (prefix: string) =>
  `${prefix}.${wallNowMs().toString(36)}.${randomBytes(6).toString('hex')}.json`;

export async function appendIndexEvents(layout: Layout, client: string, events: IndexEvent[]): Promise<void> {
  if (events.length === 0) return;
  const dir = eventsDir(layout, client);
  try {
    await fs.mkdir(dir, { recursive: true });
    // Several facts from one step go in one file: fewer files to read when listing.
    await writeNewFile(path.join(dir, uniqueName('ev')), `${JSON.stringify(events)}\n`);
  } catch (err) {
    throw storageErrorFor(err, 'update the session index', dir);
  }
}

export function sessionEntry(info: SessionInfo): IndexedSession {
  return {
    session: info.session_id,
    created_at: info.created_at,
    ...(info.prepared
      ? {
          prepared: true,
          revision: info.prepared.revision,
          ...(info.prepared.summary ? { summary: info.prepared.summary } : {}),
        }
      : {}),
    lists: info.lists.map((l) => ({
      name: l.name,
      orders_total: l.orders_total,
      items_total: l.items_total,
    })),
  };
}

interface IndexFiles {
  index: IndexSnapshot;
  snapshots: string[];
  events: string[];
  damaged: string[];
}

/** A read worth repeating from a fresh listing: the file was compacted away, or the share hiccuped. */
class Retry extends Error {}

async function readIndexFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    // ENOENT: another PC compacted it away between our listing and the read. EIO/EBUSY: the FUSE SMB
    // client fails every call for a few seconds after a read races with another PC's delete.
    if (['ENOENT', 'EIO', 'EBUSY', 'EAGAIN'].includes(errorCode(err) ?? ''))
      throw new Retry(file, { cause: err });
    throw storageErrorFor(err, 'read the session index', file);
  }
}

async function readIndexFiles(layout: Layout, client: string): Promise<IndexFiles> {
  const dir = layout.sessionIndexDir(client);
  for (let attempt = 0; ; attempt++) {
    try {
      const index = emptyIndex(client);
      const damaged: string[] = [];
      const snapshots = (await listOrEmpty(dir))
        .filter((n) => /^snap\..+\.json$/.test(n))
        .map((n) => path.join(dir, n));
      const events = (await listOrEmpty(eventsDir(layout, client)))
        .filter((n) => /^ev\..+\.json$/.test(n))
        .map((n) => path.join(eventsDir(layout, client), n));
      for (const file of snapshots) {
        const text = await readIndexFile(file);
        let decoded: IndexSnapshot | null = null;
        try {
          decoded = decodeIndex(JSON.parse(text), client);
        } catch {
          // Not JSON: damaged, handled below like any other unusable snapshot.
        }
        if (decoded) mergeIndex(index, decoded);
        else damaged.push(file);
      }
      for (const file of events) {
        const parsed = parseJsonText(await readIndexFile(file), IndexEvent.array());
        if (parsed.ok) for (const e of parsed.value) applyIndexEvent(index, e);
        else damaged.push(file);
      }
      return { index, snapshots, events, damaged };
    } catch (err) {
      if (!(err instanceof Retry)) throw err;
      if (attempt >= 20) throw storageErrorFor(err.cause, 'read the session index', dir);
      await delay(20 + attempt * 20);
    }
  }
}

/** Index facts for one session, read from its folder: used to rebuild. */
async function eventsFromFolder(
  layout: Layout,
  client: string,
  session: string,
): Promise<IndexEvent[] | null> {
  // The archive folder is listed while session_info.json is read: on a share each is a round trip.
  const [info, archive] = await Promise.all([
    // A folder without it is still being created, or was abandoned half-way: not a session yet.
    readSessionInfo(layout, client, session).catch((): SessionInfo | null => null),
    // An archive folder that cannot be read leaves the session shown: never hidden by mistake.
    readArchiveFact(layout, client, session).catch(() => null),
  ]);
  if (!info) return null;
  const events: IndexEvent[] = [{ type: 'session', entry: sessionEntry(info) }];
  if (archive) events.push({ type: 'archive', session, ...archive });
  for (const list of info.lists) {
    const snap = await snapshotLease(layout.listLeasesDir(client, session, list.name));
    if (snap.epoch === 0) continue;
    const status = leaseStatus(snap);
    if (status.state === 'held') events.push({ type: 'intent', session, list: list.name, epoch: snap.epoch });
    else
      events.push({
        type: 'finished',
        session,
        list: list.name,
        epoch: snap.epoch,
        kind:
          snap.record?.kind === 'force_release'
            ? 'force_released'
            : status.completed
              ? 'completed'
              : 'released',
      });
  }
  return events;
}

export interface ReadIndexResult {
  index: IndexSnapshot;
  /** Sessions that had to be indexed from their folders during this read. */
  indexedFromFolders: number;
  rebuilt: boolean;
}

/**
 * Reads a client's index. Costs one listing of the sessions folder, the index files, and a folder
 * read only for sessions the index did not know yet.
 */
export async function readSessionIndex(layout: Layout, client: string): Promise<ReadIndexResult> {
  let files = await readIndexFiles(layout, client);
  let rebuilt = false;
  if (files.damaged.length > 0) {
    // A damaged index file is never read as "no sessions": forget the index and rebuild it from the folders.
    files = {
      index: emptyIndex(client),
      snapshots: [...files.snapshots],
      events: [...files.events],
      damaged: files.damaged,
    };
    rebuilt = true;
  }
  const ids = await listSessionIds(layout, client);
  const missing = ids.filter((id) => !(id in files.index.sessions));
  const found: IndexEvent[] = [];
  for (const id of missing) {
    const events = await eventsFromFolder(layout, client, id);
    if (events) found.push(...events);
  }
  for (const e of found) applyIndexEvent(files.index, e);
  const indexedFromFolders = found.filter((e) => e.type === 'session').length;
  if (rebuilt || indexedFromFolders > 0 || files.events.length >= COMPACT_AT) {
    await compact(layout, client, files).catch(() => {});
  }
  return { index: files.index, indexedFromFolders, rebuilt };
}

/** Writes the folded index as one new snapshot, then removes the files it folded. Safe to run on several PCs at once. */
async function compact(layout: Layout, client: string, files: IndexFiles): Promise<void> {
  const dir = layout.sessionIndexDir(client);
  await fs.mkdir(dir, { recursive: true });
  await writeNewFile(path.join(dir, uniqueName('snap')), JSON.stringify(encodeIndex(files.index)));
  for (const file of [...files.snapshots, ...files.events])
    await fs.rm(file, { force: true }).catch(() => {});
}
