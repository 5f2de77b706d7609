// Reading sessions for people and scripts: every client's sessions with the state of each list (from
// the per-client index, looking at lease folders only where a station might hold a list), and one
// session looked at directly. Kept apart from creating and releasing, so `packdesk session list`
// loads only what a listing needs (DESIGN §9: a command starts fast).
import { assertClientId } from '../domain/ids.js';
import {
  leaseKey,
  mightBeActive,
  stateFromFacts,
  stateFromLease,
  type IndexedSession,
  type ListProgress,
  type ListView,
  type SessionView,
} from '../domain/session.js';
import type { Settings } from '../domain/settings.js';
import { openDataRoot } from '../store/data-root.js';
import { clientIdFromFolder, type Layout } from '../store/layout.js';
import { listOrEmpty } from '../store/lease/fs-util.js';
import { observeLease, serverClock } from '../store/list-observe.js';
import { readArchiveFact } from '../store/session-archive.js';
import { readSessionIndex } from '../store/session-index.js';
import { readSessionInfo } from '../store/sessions.js';
import { journalDamage, type KnownProgress } from '../store/journal-completeness.js';

interface Deps {
  layout: Layout;
  settings: Settings;
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
  const observed = await observeLease(
    layout,
    { client: look.client, session, list: list.name },
    settings.locking.staleMs,
    // One clock probe serves every list of a listing.
    async () => (look.serverNow ??= await serverClock(layout, look.client)),
  );
  const view = stateFromLease(observed.status, observed.heartbeatAgeMs, settings.locking.staleMs);
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

/** A session's index facts a view shows besides its lists: analysis counts, archived. */
function sessionFacts(s: IndexedSession, archived: boolean | undefined) {
  return {
    ...(s.prepared ? { prepared: true } : {}),
    ...(s.summary ? { summary: s.summary } : {}),
    ...(archived ? { archived: true } : {}),
  };
}

/** An archived session still shows while a station holds one of its lists (it was opened after all). */
function shown(view: SessionView, withArchived: boolean): boolean {
  return (
    withArchived || !view.archived || view.lists.some((l) => l.state === 'active' || l.state === 'stale')
  );
}

/**
 * Sessions of one client, or of all clients, newest first. Reads each client's index; only lists the
 * index says might be held get a look at their lease folder. Archived sessions are left out unless
 * `options.archived` asks for them.
 */
export async function listSessions(
  deps: Deps,
  client?: string,
  options: { archived?: boolean } = {},
): Promise<SessionView[]> {
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
        ...sessionFacts(s, index.archive[s.session]?.archived),
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
  return views.filter((v) => shown(v, options.archived === true));
}

/** One session, every list looked at directly. */
export async function showSession(deps: Deps, client: string, session: string): Promise<SessionView> {
  assertClientId(client);
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const info = await readSessionInfo(deps.layout, client, session);
  const { index } = await readSessionIndex(deps.layout, client);
  const look: LookContext = { deps, client, serverNow: undefined, progress: index.progress };
  const archive = await readArchiveFact(deps.layout, client, session);
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
    ...(info.prepared?.summary ? { summary: info.prepared.summary } : {}),
    ...(archive?.archived ? { archived: true } : {}),
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
