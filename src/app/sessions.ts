// Session use cases: create a session from packing lists and a shift lead's force release of a list;
// listing and showing sessions are in session-views.ts (re-exported here).
import { promises as fs } from 'node:fs';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { assertClientId } from '../domain/ids.js';
import { leaseStatus, NAME_CACHE_MARGIN_MS, sealMarginMs } from '../domain/lease.js';
import type { SessionInfo } from '../domain/session.js';
import { openDataRoot } from '../store/data-root.js';
import { heartbeatAgeMs, snapshotLease } from '../store/lease/observe.js';
import { sealEpochsBefore } from '../store/lease/fenced-writes.js';
import { forceRelease } from '../store/lease/release.js';
import { appendIndexEvents, sessionEntry } from '../store/session-index.js';
import { createSessionFolder, type StoredList } from '../store/sessions.js';
import { loadClientConfig } from '../store/profiles.js';
import { wallNowMs } from '../store/lease/clock.js';
import { buildPackingListIndex } from '../domain/packing-list.js';
import type { ImportedList } from '../domain/packing-list-import.js';
import { lockedError, resolveList, type Deps, type StationIdentity } from './open-list.js';

export { checkJournals, listSessions, showSession, type DamagedJournal } from './session-views.js';

/** A packing list file to make a session from; its name in the session defaults to the file name. */
export interface ListSource {
  name?: string;
  file: string;
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
    const { importPackingList } = await import('./import-packing-list.js');
    const imported = await importPackingList(source.file, {
      columns: config.required_columns,
      now,
      ...(source.name ? { listName: source.name } : {}),
    });
    const ready = prepareList(imported);
    warnings.push(...ready.warnings);
    prepared.push({ ...ready, original: { file: source.file, data: await fs.readFile(source.file) } });
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
  const leasesDir = deps.layout.listLeasesDir(req.client, req.session, list);
  const snap = await snapshotLease(leasesDir);
  const status = leaseStatus(snap);
  if (status.state === 'free')
    throw new ConflictError(`Packing list ${list} is not held by any station; there is nothing to release.`, {
      epoch: snap.epoch,
    });
  const age = await heartbeatAgeMs(leasesDir, snap.epoch, snap.beatSeq);
  const ttl = snap.record?.ttl_ms ?? deps.settings.locking.staleMs;
  if (!req.force && (age === null || age < ttl)) {
    throw await lockedError(
      leasesDir,
      snap,
      list,
      deps.settings.locking.staleMs,
      'It still looks active; add --force to release it anyway (that station stops saving at once). ',
    );
  }
  const { heartbeatMs, staleMs } = deps.settings.locking;
  const epoch = snap.epoch + 1;
  await appendIndexEvents(deps.layout, req.client, [{ type: 'intent', session: req.session, list, epoch }]);
  const record = await forceRelease(
    leasesDir,
    snap.epoch,
    snap.record,
    { ...req.by, heartbeatMs, ttlMs: staleMs },
    req.reason.trim(),
  );
  if (!record)
    throw new ConflictError(
      `Packing list ${list} changed hands while releasing it; look at it again before releasing.`,
      { epoch: snap.epoch },
    );
  // Sealed here, not by whoever opens the list next: the released holder waits for this seal to tell
  // which of its last scans count, so what it answered and what the journal holds agree. Only after
  // the name-cache margin: until then the holder may not see the release and still acknowledge scans.
  const who = snap.record?.station ?? 'unknown';
  const [seal] = await sealEpochsBefore(deps.layout.listJournalDir(req.client, req.session, list), epoch, {
    marginMs: sealMarginMs(snap.record?.ttl_ms ?? NAME_CACHE_MARGIN_MS * 2),
    onWait: (ms) =>
      req.onWait?.(
        ms,
        `Releasing packing list ${list}: waiting ${Math.ceil(ms / 1000)} s so station ${who} sees the release before its last scans are sealed.`,
      ),
  });
  await appendIndexEvents(deps.layout, req.client, [
    { type: 'finished', session: req.session, list, epoch, kind: 'force_released' },
  ]).catch(() => {});
  return {
    client: req.client,
    session: req.session,
    list,
    released_epoch: snap.epoch,
    epoch,
    released_holder: { station: snap.record?.station ?? null, worker: snap.record?.worker ?? null },
    heartbeat_age_ms: age,
    reason: req.reason.trim(),
    waited_ms: seal?.waited_ms ?? 0,
  };
}
