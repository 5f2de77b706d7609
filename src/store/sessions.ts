// Session folders on the share (DESIGN §3): SESSIONS/CLIENT_<ID>/<session_id>/ with session_info.json
// (written once), the stored packing lists, and one work folder per list.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotFoundError, StorageError, ValidationError } from '../domain/errors.js';
import { assertSafeName, safeNameProblem } from '../domain/ids.js';
import { stationSlug } from '../domain/lease.js';
import { SessionInfo, sessionIdFor, type SessionListInfo } from '../domain/session.js';
import { storageErrorFor, writeNewFile } from './atomic-file.js';
import { errorCode, withTransientRetry } from './fs-retry.js';
import { readJsonFile } from './json-file.js';
import type { Layout } from './layout.js';
import { wallNowIso, wallNowMs } from './lease/clock.js';
import { listOrEmpty } from './lease/fs-util.js';
import { discardContent, type FileContent } from './file-content.js';

/** A packing list ready to be stored in a session: packdesk's normalised JSON plus the file it came from. */
export interface StoredList {
  name: string;
  /** The normalised packing list (domain/packing-list.ts), as JSON (text, or chunks made while writing). */
  json: FileContent;
  orders_total: number;
  items_total: number;
  /** The imported file as it was, kept beside the list for reference (a prepared list has none). */
  original?: { file: string; data: Buffer };
}

/** What a prepared session stores besides its lists (inputs, analysis, exports), relative to its folder. */
export interface SessionExtras {
  files: Array<{ path: string; data: FileContent }>;
  /** Files that name the session, made once its id is decided. */
  late?: (sessionId: string) => Promise<Array<{ path: string; data: FileContent }>>;
  prepared: NonNullable<SessionInfo['prepared']>;
}

/**
 * Runs the writes two at a time: while one file waits for its flush to reach the disk (or the share),
 * the next one's content is made. Every write has ended (written or failed) before this answers, so a
 * failed session folder is removed with nothing still writing into it; the first failure is thrown.
 */
async function writeTwoAtATime(writes: ReadonlyArray<() => Promise<void>>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < writes.length && failures.length === 0) {
      const write = writes[next++]!;
      await write().catch((err: unknown) => failures.push(err));
    }
  };
  await Promise.all([lane(), lane()]);
  if (failures.length > 0) throw failures[0];
}

/** Makes a new session folder under a fresh id; mkdir decides, so two PCs in the same second never share one. */
async function makeSessionDir(
  layout: Layout,
  client: string,
  station: string,
): Promise<{ id: string; dir: string }> {
  await fs.mkdir(layout.clientSessionsDir(client), { recursive: true }).catch((err) => {
    throw storageErrorFor(err, 'create the session folder', layout.clientSessionsDir(client));
  });
  for (let attempt = 0; attempt < 20; attempt++) {
    const id = sessionIdFor(wallNowMs(), stationSlug(station), randomBytes(2).toString('hex'));
    const dir = layout.sessionDir(client, id);
    try {
      await withTransientRetry(() => fs.mkdir(dir));
      return { id, dir };
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw storageErrorFor(err, 'create the session folder', dir);
    }
  }
  throw new StorageError(
    'Could not find a free session id after 20 tries; check the session folder on the share.',
    {
      path: layout.clientSessionsDir(client),
    },
  );
}

export async function createSessionFolder(
  layout: Layout,
  client: string,
  by: { station: string; worker: string },
  prepared: StoredList[],
  extras?: SessionExtras,
): Promise<SessionInfo> {
  if (prepared.length === 0 && !extras)
    throw new ValidationError('A session needs at least one packing list (--list FILE).');
  const seen = new Set<string>();
  for (const p of prepared) {
    assertSafeName(p.name, 'Packing list name');
    if (seen.has(p.name.toLowerCase()))
      throw new ValidationError(
        `Two packing lists would both be called "${p.name}"; rename one of the files.`,
        { field: 'list' },
      );
    seen.add(p.name.toLowerCase());
  }

  const { id, dir } = await makeSessionDir(layout, client, by.station);
  const writes: Array<{ path: string; data: FileContent }> = [];
  try {
    const lists: SessionListInfo[] = [];
    await fs.mkdir(layout.sessionListsDir(client, id));
    await fs.mkdir(path.join(layout.sessionListsDir(client, id), 'source'));
    for (const p of prepared) {
      const file = `packing_lists/${p.name}.json`;
      writes.push({ path: file, data: p.json });
      if (p.original) {
        const original = path.basename(p.original.file).replace(/[^A-Za-z0-9_.() -]+/g, '_');
        writes.push({ path: `packing_lists/source/${p.name}__${original}`, data: p.original.data });
      }
      await fs.mkdir(layout.listLeasesDir(client, id, p.name), { recursive: true });
      lists.push({
        name: p.name,
        file,
        work_directory: `packing/${p.name}`,
        orders_total: p.orders_total,
        items_total: p.items_total,
      });
    }
    await fs.mkdir(path.join(dir, 'output'));
    await fs.mkdir(path.join(dir, 'barcodes'));
    writes.push(...(extras?.files ?? []), ...((await extras?.late?.(id)) ?? []));
    for (const folder of new Set(writes.map((w) => path.dirname(path.join(dir, w.path)))))
      await fs.mkdir(folder, { recursive: true });
    await writeTwoAtATime(writes.map((w) => () => writeNewFile(path.join(dir, w.path), w.data)));
    const now = wallNowIso();
    const info: SessionInfo = {
      schema_version: 1,
      session_id: id,
      client_id: client,
      created_at: now,
      started_at: now,
      pc_name: os.hostname(),
      packing_list_path: lists[0]?.file ?? '',
      created_by: by,
      lists,
      ...(extras ? { prepared: extras.prepared } : {}),
    };
    await writeNewFile(layout.sessionInfoFile(client, id), `${JSON.stringify(info, null, 2)}\n`);
    return info;
  } catch (err) {
    // A file not reached (a workbook made ahead of its writing) stops being made before the folder goes.
    await Promise.all(writes.map((w) => discardContent(w.data)));
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
    // A content that refused to be written says why itself (an input that changed on disk meanwhile).
    if (err instanceof ValidationError) throw err;
    throw storageErrorFor(err, 'create the session', dir);
  }
}

export async function readSessionInfo(layout: Layout, client: string, session: string): Promise<SessionInfo> {
  const file = layout.sessionInfoFile(client, session);
  try {
    return (await readJsonFile(file, SessionInfo, { what: `Session ${session}` })).value;
  } catch (err) {
    if (err instanceof NotFoundError)
      throw new NotFoundError(
        `Session ${session} of client ${client} was not found. "packdesk session list ${client}" shows its sessions.`,
        {
          client,
          session,
        },
      );
    throw err;
  }
}

/** Session folder names of a client: one folder listing, no folder opened. */
export async function listSessionIds(layout: Layout, client: string): Promise<string[]> {
  return (await listOrEmpty(layout.clientSessionsDir(client))).filter(
    (n) => safeNameProblem(n, 'session') === null,
  );
}
