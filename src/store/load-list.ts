// Reading a session's packing list back for a station: the normalised packing-list JSON that
// session create stored, validated and indexed once (linear in the number of orders).
import path from 'node:path';
import { CorruptFileError } from '../domain/errors.js';
import { buildPackingListIndex, PackingListSchema, type PackingListIndex } from '../domain/packing-list.js';
import type { SessionListInfo } from '../domain/session.js';
import { readJsonFile } from './json-file.js';
import type { Layout } from './layout.js';
import { readSessionInfo } from './sessions.js';

export async function loadListIndex(
  layout: Layout,
  client: string,
  session: string,
  list: string,
): Promise<{ index: PackingListIndex; info: SessionListInfo }> {
  const sessionInfo = await readSessionInfo(layout, client, session);
  const info = sessionInfo.lists.find((l) => l.name === list);
  if (!info)
    throw new CorruptFileError(`Session ${session} does not describe packing list ${list}.`, {
      session,
      list,
    });
  const file = path.join(layout.sessionDir(client, session), info.file);
  const { value } = await readJsonFile(file, PackingListSchema, {
    what: `Packing list ${list} of session ${session}`,
  });
  return { index: buildPackingListIndex(value), info };
}
