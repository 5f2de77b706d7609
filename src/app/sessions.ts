// Session use cases: create a session from packing lists and a shift lead's force release of a list;
// listing and showing sessions are in session-views.ts (re-exported here).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { assertClientId } from '../domain/ids.js';
import type { SessionInfo } from '../domain/session.js';
import { openDataRoot } from '../store/data-root.js';
import { forceReleaseList, heldByError, observeLease } from '../store/list-workspace.js';
import { appendIndexEvents, sessionEntry } from '../store/session-index.js';
import { createSessionFolder, type StoredList } from '../store/sessions.js';
import { loadClientConfig } from '../store/profiles.js';
import { wallNowMs } from '../store/lease/clock.js';
import { buildPackingListIndex } from '../domain/packing-list.js';
import type { ImportedList } from '../domain/packing-list-import.js';
import { resolveList, type Deps, type StationIdentity } from './open-list.js';

export { checkJournals, listSessions, showSession, type DamagedJournal } from './session-views.js';

/**
 * A packing list file to make a session from; its name in the session defaults to the file name.
 * With `data`, that is the file's content and `file` only its name (nothing is read from disk).
 */
export interface ListSource {
  name?: string;
  file: string;
  data?: Uint8Array;
}

export type CreatedSession = SessionInfo & {
  /** What the imports noticed but did not refuse (e.g. orders without items left out). */
  warnings: string[];
};

/**
 * Creates a session from packing list files. Every file is imported first (XLSX, CSV, packdesk or
 * Shopify Tool JSON, with the client's column names); one bad file stops the whole session, so a
 * session never starts with half of its lists.
 */
export async function createSession(
  deps: Deps,
  client: string,
  sources: ListSource[],
  by: StationIdentity,
): Promise<CreatedSession> {
  assertClientId(client);
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const config = (await loadClientConfig(deps.layout, client)).value;
  const now = new Date(wallNowMs());
  const prepared: StoredList[] = [];
  const warnings: string[] = [];
  for (const source of sources) {
    // Importing reads spreadsheets; listing and showing sessions never needs that code.
    const { importPackingList, importPackingListBytes } = await import('./import-packing-list.js');
    const options = {
      columns: config.required_columns,
      now,
      ...(source.name ? { listName: source.name } : {}),
    };
    const imported = source.data
      ? await importPackingListBytes(Buffer.from(source.data), path.basename(source.file), options)
      : await importPackingList(source.file, options);
    const ready = prepareList(imported);
    warnings.push(...ready.warnings);
    const data = source.data ? Buffer.from(source.data) : await fs.readFile(source.file);
    prepared.push({ ...ready, original: { file: source.file, data } });
  }
  return createSessionFromPrepared(deps, client, prepared, by, warnings);
}

/** A list imported and made ready to store: its file content and totals (see import-off-thread.ts). */
export interface PreparedList {
  name: string;
  json: string;
  orders_total: number;
  items_total: number;
  warnings: string[];
}

export function prepareList(imported: ImportedList): PreparedList {
  const index = buildPackingListIndex(imported.list);
  return {
    name: imported.list.list_name,
    json: JSON.stringify(imported.list),
    orders_total: index.totalOrders,
    items_total: index.totalItems,
    warnings: imported.warnings,
  };
}

/** Creates a session from lists already imported and prepared (each with the file it came from). */
export async function createSessionFromPrepared(
  deps: Deps,
  client: string,
  lists: StoredList[],
  by: StationIdentity,
  warnings: string[] = [],
): Promise<CreatedSession> {
  assertClientId(client);
  const info = await createSessionFolder(deps.layout, client, by, lists);
  await appendIndexEvents(deps.layout, client, [{ type: 'session', entry: sessionEntry(info) }]);
  return { ...info, warnings };
}

export interface UnlockRequest {
  client: string;
  session: string;
  list?: string;
  reason: string;
  /** Required to release a lease whose holder still sends heartbeats. */
  force: boolean;
  by: StationIdentity;
  /** Told before the wait for the released station to see the release (see unlockList). */
  onWait?: (ms: number, message: string) => void;
}

export interface UnlockResult {
  client: string;
  session: string;
  list: string;
  released_epoch: number;
  epoch: number;
  released_holder: { station: string | null; worker: string | null };
  heartbeat_age_ms: number | null;
  reason: string;
  /** How long the release waited before sealing the released holder's journal. */
  waited_ms: number;
}

/**
 * A shift lead releases a list held by a station (crashed, or to be moved). Audited: the release is
 * a lease epoch of its own whose record names who released whom and why. The old holder finds out at
 * its next heartbeat and stops saving.
 */
export async function unlockList(deps: Deps, req: UnlockRequest): Promise<UnlockResult> {
  if (req.reason.trim().length === 0)
    throw new ValidationError(
      'Say why the list is released (--reason TEXT); it is kept in the audit record.',
    );
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const list = await resolveList(deps.layout, req.client, req.session, req.list);
  const ids = { client: req.client, session: req.session, list };
  const { heartbeatMs, staleMs } = deps.settings.locking;
  const observed = await observeLease(deps.layout, ids, staleMs);
  const snap = observed.snapshot;
  if (!observed.held)
    throw new ConflictError(`Packing list ${list} is not held by any station; there is nothing to release.`, {
      epoch: snap.epoch,
    });
  const age = observed.heartbeatAgeMs;
  if (!req.force && (age === null || age < observed.ttlMs)) {
    throw await heldByError(
      deps.layout,
      ids,
      observed,
      staleMs,
      'It still looks active; add --force to release it anyway (that station stops saving at once). ',
    );
  }
  const who = snap.record?.station ?? 'unknown';
  const { epoch, waited_ms } = await forceReleaseList(
    deps.layout,
    ids,
    observed,
    { ...req.by, heartbeatMs, ttlMs: staleMs },
    req.reason.trim(),
    (ms) =>
      req.onWait?.(
        ms,
        `Releasing packing list ${list}: waiting ${Math.ceil(ms / 1000)} s so station ${who} sees the release before its last scans are sealed.`,
      ),
  );
  return {
    client: req.client,
    session: req.session,
    list,
    released_epoch: snap.epoch,
    epoch,
    released_holder: { station: snap.record?.station ?? null, worker: snap.record?.worker ?? null },
    heartbeat_age_ms: age,
    reason: req.reason.trim(),
    waited_ms,
  };
}
