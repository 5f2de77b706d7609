// Session folders on the share (DESIGN §3): SESSIONS/CLIENT_<ID>/<session_id>/ with session_info.json
// (written once), the stored packing lists, and one work folder per list.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotFoundError, StorageError, ValidationError } from '../domain/errors.js';
import { assertSafeName, safeNameProblem } from '../domain/ids.js';
import { stationSlug } from '../domain/lease.js';
import { countPackingList, SessionInfo, sessionIdFor, type SessionListInfo } from '../domain/session.js';
import { storageErrorFor } from './atomic-file.js';
import { errorCode, withTransientRetry } from './fs-retry.js';
import { readJsonFile } from './json-file.js';
import type { Layout } from './layout.js';
import { wallNowIso, wallNowMs } from './lease/clock.js';
import { listOrEmpty, writeNewFile } from './lease/fs-util.js';

export interface ListSource {
  /** The list's name in the session; defaults to the file name without its extension. */
  name?: string;
  file: string;
}

/** A list name from a file name: unsafe characters become "_", so "DHL express.json" is "DHL_express". */
export function listNameFromFile(file: string): string {
  const base = path.basename(file, path.extname(file));
  return (
    base
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/^[^A-Za-z0-9]+/, '')
      .replace(/[._]+$/, '') || 'list'
  );
}

async function readSource(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if (errorCode(err) === 'ENOENT')
      throw new NotFoundError(`The packing list file ${file} does not exist.`, { path: file });
    if (errorCode(err) === 'EISDIR')
      throw new ValidationError(`${file} is a folder, not a packing list file.`, { path: file });
    throw storageErrorFor(err, `read the packing list ${path.basename(file)}`, file);
  }
}

function counts(data: Buffer, ext: string): { orders_total: number; items_total: number } {
  if (ext !== '.json') return { orders_total: 0, items_total: 0 };
  try {
    return countPackingList(JSON.parse(data.toString('utf8').replace(/^\uFEFF/, '')));
  } catch {
    return { orders_total: 0, items_total: 0 };
  }
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
  sources: ListSource[],
): Promise<SessionInfo> {
  if (sources.length === 0)
    throw new ValidationError('A session needs at least one packing list (--list FILE).');
  const seen = new Set<string>();
  const prepared = [];
  for (const source of sources) {
    const name = assertSafeName(source.name ?? listNameFromFile(source.file), 'Packing list name');
    if (seen.has(name.toLowerCase()))
      throw new ValidationError(
        `Two packing lists would both be called "${name}"; rename one of the files.`,
        { field: 'list' },
      );
    seen.add(name.toLowerCase());
    const data = await readSource(source.file);
    const ext = path
      .extname(source.file)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '');
    prepared.push({ name, data, ext, ...counts(data, ext) });
  }

  const { id, dir } = await makeSessionDir(layout, client, by.station);
  try {
    const lists: SessionListInfo[] = [];
    await fs.mkdir(layout.sessionListsDir(client, id));
    for (const p of prepared) {
      const file = `packing_lists/${p.name}${p.ext}`;
      await writeNewFile(path.join(dir, file), p.data);
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
    const now = wallNowIso();
    const info: SessionInfo = {
      schema_version: 1,
      session_id: id,
      client_id: client,
      created_at: now,
      started_at: now,
      pc_name: os.hostname(),
      packing_list_path: lists[0]!.file,
      created_by: by,
      lists,
    };
    await writeNewFile(layout.sessionInfoFile(client, id), `${JSON.stringify(info, null, 2)}\n`);
    return info;
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
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
