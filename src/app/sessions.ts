// Session use cases: create a session from packing lists, list and show sessions with the live state
// of every list, and a shift lead's force release of a list.
import { promises as fs } from 'node:fs';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { assertClientId } from '../domain/ids.js';
import { leaseStatus } from '../domain/lease.js';
import {
  leaseKey,
  mightBeActive,
  stateFromFacts,
  stateFromLease,
  type IndexedSession,
  type ListProgress,
  type ListView,
  type SessionInfo,
  type SessionView,
} from '../domain/session.js';
import { openDataRoot } from '../store/data-root.js';
import { clientIdFromFolder, type Layout } from '../store/layout.js';
import { listOrEmpty } from '../store/lease/fs-util.js';
import { heartbeatAgeMs, serverNowMs, snapshotLease } from '../store/lease/observe.js';
import { sealEpochsBefore } from '../store/lease/fenced-writes.js';
import { forceRelease } from '../store/lease/release.js';
import { appendIndexEvents, readSessionIndex, sessionEntry } from '../store/session-index.js';
import { createSessionFolder, readSessionInfo, type StoredList } from '../store/sessions.js';
import { loadClientConfig } from '../store/profiles.js';
import { wallNowMs } from '../store/lease/clock.js';
import { buildPackingListIndex } from '../domain/packing-list.js';
import type { ImportedList } from '../domain/packing-list-import.js';
import { journalDamage, type KnownProgress } from './journal-completeness.js';
import { lockedError, resolveList, type Deps, type StationIdentity } from './open-list.js';

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

interface LookContext {
  deps: Deps;
  client: string;
  serverNow: number | null | undefined;
  progress: Record<string, ListProgress>;
}

/** The live state of one list, read from its lease folder. */
async function lookAtList(
  look: LookContext,
  session: string,
  list: { name: string; orders_total: number; items_total: number },
): Promise<ListView> {
  const { layout, settings } = look.deps;
  const leasesDir = layout.listLeasesDir(look.client, session, list.name);
  const snap = await snapshotLease(leasesDir);
  const status = leaseStatus(snap);
  let age: number | null = null;
  if (status.state === 'held') {
    // One clock probe serves every list of a listing.
    look.serverNow ??= await serverNowMs(layout.clientSessionsDir(look.client));
    age = await heartbeatAgeMs(leasesDir, snap.epoch, snap.beatSeq, look.serverNow);
  }
  const view = stateFromLease(status, age, settings.locking.staleMs);
  return { name: list.name, ...view, ...progress(list, look.progress[leaseKey(session, list.name)]) };
}

/** A list's totals with the progress its stations last published to the index. */
function progress(list: { orders_total: number; items_total: number }, done: ListProgress | undefined) {
  return {
    orders_total: list.orders_total,
    orders_done: done?.orders_done ?? 0,
    items_total: list.items_total,
    items_done: done?.items_done ?? 0,
  };
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

async function clientIds(layout: Layout): Promise<string[]> {
  return (await listOrEmpty(layout.sessionsRootDir()))
    .map(clientIdFromFolder)
    .filter((id): id is string => id !== null)
    .sort();
}

/**
 * Sessions of one client, or of all clients, newest first. Reads each client's index; only lists the
 * index says might be held get a look at their lease folder.
 */
export async function listSessions(deps: Deps, client?: string): Promise<SessionView[]> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const clients = client === undefined ? await clientIds(deps.layout) : [assertClientId(client)];
  const views: SessionView[] = [];
  for (const id of clients) {
    const { index } = await readSessionIndex(deps.layout, id);
    const look: LookContext = { deps, client: id, serverNow: undefined, progress: index.progress };
    // Newest first; ISO times and ids compare correctly as plain strings (localeCompare is 20x slower).
    const sessions = Object.values(index.sessions).sort((a, b) =>
      a.created_at !== b.created_at
        ? a.created_at < b.created_at
          ? 1
          : -1
        : a.session < b.session
          ? 1
          : a.session > b.session
            ? -1
            : 0,
    );
    const toLook: { session: IndexedSession; i: number }[] = [];
    for (const s of sessions) {
      const lists: ListView[] = s.lists.map((l) => {
        const facts = index.leases[leaseKey(s.session, l.name)];
        return {
          name: l.name,
          ...stateFromFacts(facts),
          holder: null,
          ...progress(l, index.progress[leaseKey(s.session, l.name)]),
        };
      });
      views.push({
        client: id,
        session: s.session,
        created_at: s.created_at,
        lists,
        ...(s.prepared ? { prepared: true } : {}),
      });
      s.lists.forEach((l, i) => {
        if (mightBeActive(index.leases[leaseKey(s.session, l.name)])) toLook.push({ session: s, i });
      });
    }
    const byId = new Map(views.filter((v) => v.client === id).map((v) => [v.session, v]));
    await mapLimited(toLook, 8, async ({ session, i }) => {
      byId.get(session.session)!.lists[i] = await lookAtList(look, session.session, session.lists[i]!);
    });
  }
  return views;
}

/** One session, every list looked at directly. */
export async function showSession(deps: Deps, client: string, session: string): Promise<SessionView> {
  assertClientId(client);
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const info = await readSessionInfo(deps.layout, client, session);
  const { index } = await readSessionIndex(deps.layout, client);
  const look: LookContext = { deps, client, serverNow: undefined, progress: index.progress };
  const lists = await mapLimited(info.lists, 8, async (l) => {
    const view = await lookAtList(look, session, l);
    const damage = await journalDamage(
      deps.layout,
      client,
      session,
      l.name,
      index.progress[leaseKey(session, l.name)] ?? null,
    );
    return damage ? { ...view, damage: { message: damage.message, details: damage.details } } : view;
  });
  return {
    client,
    session,
    created_at: info.created_at,
    lists,
    ...(info.prepared ? { prepared: true } : {}),
  };
}

/** A list whose journal is damaged or shorter than what is known to have been acknowledged. */
export interface DamagedJournal {
  client: string;
  session: string;
  list: string;
  message: string;
  details: Record<string, unknown>;
}

/**
 * Every list's journal of one client or of all, read as a station opening it would (`packdesk
 * doctor`): which are damaged, with what is missing and where that is known from. Reads every
 * journal, so it takes as long as opening each list.
 */
export async function checkJournals(
  deps: Deps,
  client?: string,
): Promise<{ lists_checked: number; damaged: DamagedJournal[] }> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const clients = client === undefined ? await clientIds(deps.layout) : [assertClientId(client)];
  const lists: { client: string; session: string; list: string; known: KnownProgress | null }[] = [];
  for (const id of clients) {
    const { index } = await readSessionIndex(deps.layout, id);
    for (const s of Object.values(index.sessions).sort((a, b) => (a.session < b.session ? -1 : 1)))
      for (const l of s.lists) {
        const known = index.progress[leaseKey(s.session, l.name)] ?? null;
        lists.push({ client: id, session: s.session, list: l.name, known });
      }
  }
  const found = await mapLimited(lists, 8, async (l) => {
    const damage = await journalDamage(deps.layout, l.client, l.session, l.list, l.known);
    return damage
      ? {
          client: l.client,
          session: l.session,
          list: l.list,
          message: damage.message,
          details: damage.details,
        }
      : null;
  });
  return { lists_checked: lists.length, damaged: found.filter((d): d is DamagedJournal => d !== null) };
}

export interface UnlockRequest {
  client: string;
  session: string;
  list?: string;
  reason: string;
  /** Required to release a lease whose holder still sends heartbeats. */
  force: boolean;
  by: StationIdentity;
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
  // Sealed now, not by whoever opens the list next: the released holder waits for this seal to tell
  // which of its last scans count, so what it answered and what the journal holds agree.
  await sealEpochsBefore(deps.layout.listJournalDir(req.client, req.session, list), epoch);
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
  };
}
