// Opening a packing list at a station (DESIGN §4): the station names the list (a session with one
// list needs no name) and takes its lease; the list's workspace then holds it for as long as the
// station packs, and writes the list's files only through fenced writes.
import { ValidationError } from '../domain/errors.js';
import type { Settings } from '../domain/settings.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { ListWorkspace, type LeaseEvent, type ListClaim } from '../store/list-workspace.js';
import { readSessionInfo } from '../store/sessions.js';

export type { LeaseEvent, ListWorkspace };

export interface StationIdentity {
  station: string;
  worker: string;
}

export interface OpenListRequest extends StationIdentity, ListClaim {
  client: string;
  session: string;
  /** May be left out when the session has one list. */
  list?: string;
}

export interface Deps {
  layout: Layout;
  settings: Settings;
}

/** Resolves which list of a session is meant; a session with one list needs no name. */
export async function resolveList(
  layout: Layout,
  client: string,
  session: string,
  list?: string,
): Promise<string> {
  const info = await readSessionInfo(layout, client, session);
  const names = info.lists.map((l) => l.name);
  if (list === undefined) {
    if (names.length === 1) return names[0]!;
    throw new ValidationError(
      `Session ${session} has ${names.length} packing lists; choose one with --list: ${names.join(', ')}.`,
      { lists: names },
    );
  }
  const match = names.find((n) => n === list) ?? names.find((n) => n.toLowerCase() === list.toLowerCase());
  if (!match)
    throw new ValidationError(
      `Session ${session} has no packing list "${list}". Its lists: ${names.join(', ')}.`,
      { lists: names },
    );
  return match;
}

/** Takes a list for this station; throws SessionLockedError with the holder when another station has it. */
export async function openList(
  deps: Deps,
  req: OpenListRequest,
  onEvent?: (e: LeaseEvent) => void,
): Promise<ListWorkspace> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const list = await resolveList(deps.layout, req.client, req.session, req.list);
  return ListWorkspace.open(
    deps.layout,
    deps.settings.locking,
    { client: req.client, session: req.session, list },
    req,
    onEvent,
  );
}
