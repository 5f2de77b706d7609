// Sessions, their per-client index and the state of each packing list (DESIGN §3, §4). Pure: no I/O.
import { z } from 'zod';
import type { LeaseRecord, LeaseStatus } from './lease.js';

export const SessionListInfo = z.object({
  name: z.string().min(1),
  /** The stored packing list, relative to the session folder. */
  file: z.string().min(1),
  /** The list's work folder (leases, journal, snapshots), relative to the session folder. */
  work_directory: z.string().min(1),
  orders_total: z.number().int().nonnegative(),
  items_total: z.number().int().nonnegative(),
});
export type SessionListInfo = z.infer<typeof SessionListInfo>;

/** session_info.json: written once when the session is created, never rewritten. Keeps the seed's fields. */
export const SessionInfo = z.object({
  schema_version: z.literal(1),
  session_id: z.string().min(1),
  client_id: z.string().min(1),
  created_at: z.string(),
  /** Seed field names, kept so the Python tools can still read the folder. */
  started_at: z.string(),
  pc_name: z.string(),
  packing_list_path: z.string(),
  created_by: z.object({ station: z.string(), worker: z.string() }),
  lists: z.array(SessionListInfo).min(1),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

// ---- the per-client index: immutable event files folded into snapshots ----
//
// Every fact in the index only grows (a session exists; a lease epoch was tried; an epoch ended), so
// folding is a merge that ignores order and duplicates. Two PCs that write events or compact at the
// same moment can never lose each other's facts, and clocks play no part in it.

export const IndexedSession = z.object({
  session: z.string(),
  created_at: z.string(),
  lists: z.array(z.object({ name: z.string(), orders_total: z.number(), items_total: z.number() })),
});
export type IndexedSession = z.infer<typeof IndexedSession>;

export const FinishKind = z.enum(['released', 'completed', 'force_released']);
export type FinishKind = z.infer<typeof FinishKind>;

export const ListLeaseFacts = z.object({
  /** Highest epoch anyone announced before trying to create it. */
  intent: z.number().int().nonnegative(),
  /** Highest epoch known to have ended, and how. */
  finished: z.number().int().nonnegative(),
  finished_kind: FinishKind.nullable(),
});
export type ListLeaseFacts = z.infer<typeof ListLeaseFacts>;

export const IndexEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session'), entry: IndexedSession }),
  z.object({
    type: z.literal('intent'),
    session: z.string(),
    list: z.string(),
    epoch: z.number().int().positive(),
  }),
  z.object({
    type: z.literal('finished'),
    session: z.string(),
    list: z.string(),
    epoch: z.number().int().positive(),
    kind: FinishKind,
  }),
  /** A station's progress on a list; `seq` is the journal position it describes, so the newest wins in any order. */
  z.object({
    type: z.literal('progress'),
    session: z.string(),
    list: z.string(),
    seq: z.number().int().nonnegative(),
    orders_done: z.number().int().nonnegative(),
    items_done: z.number().int().nonnegative(),
  }),
]);
export type IndexEvent = z.infer<typeof IndexEvent>;

export interface IndexSnapshot {
  schema_version: 1;
  client: string;
  sessions: Record<string, IndexedSession>;
  leases: Record<string, ListLeaseFacts>;
  progress: Record<string, ListProgress>;
}

export interface ListProgress {
  seq: number;
  orders_done: number;
  items_done: number;
}

// On disk a snapshot is compact rows, not objects: with 10,000 sessions it is read on every listing,
// and parsing and checking rows costs a fraction of validating objects with a schema.
type SessionRow = [
  session: string,
  created_at: string,
  lists: [name: string, orders_total: number, items_total: number][],
];
type LeaseRow = [key: string, intent: number, finished: number, finished_kind: FinishKind | null];
type ProgressRow = [key: string, seq: number, orders_done: number, items_done: number];
export interface IndexSnapshotFile {
  schema_version: 1;
  client: string;
  sessions: SessionRow[];
  leases: LeaseRow[];
  /** Absent in indexes written before progress was kept. */
  progress?: ProgressRow[];
}

export function encodeIndex(index: IndexSnapshot): IndexSnapshotFile {
  return {
    schema_version: 1,
    client: index.client,
    sessions: Object.values(index.sessions).map((s) => [
      s.session,
      s.created_at,
      s.lists.map((l) => [l.name, l.orders_total, l.items_total]),
    ]),
    leases: Object.entries(index.leases).map(([key, f]) => [key, f.intent, f.finished, f.finished_kind]),
    progress: Object.entries(index.progress).map(([key, p]) => [key, p.seq, p.orders_done, p.items_done]),
  };
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const FINISH_KINDS = new Set<unknown>(FinishKind.options);

/** The index in a snapshot file, or null when the file is not a well-formed snapshot (then the index is rebuilt). */
export function decodeIndex(raw: unknown, client: string): IndexSnapshot | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const file = raw as Partial<IndexSnapshotFile>;
  if (
    file.schema_version !== 1 ||
    file.client !== client ||
    !Array.isArray(file.sessions) ||
    !Array.isArray(file.leases)
  )
    return null;
  const index = emptyIndex(client);
  for (const row of file.sessions) {
    if (
      !Array.isArray(row) ||
      typeof row[0] !== 'string' ||
      typeof row[1] !== 'string' ||
      !Array.isArray(row[2])
    )
      return null;
    const lists = [];
    for (const l of row[2]) {
      if (!Array.isArray(l) || typeof l[0] !== 'string' || !isInt(l[1]) || !isInt(l[2])) return null;
      lists.push({ name: l[0], orders_total: l[1], items_total: l[2] });
    }
    index.sessions[row[0]] = { session: row[0], created_at: row[1], lists };
  }
  for (const row of file.leases) {
    if (
      !Array.isArray(row) ||
      typeof row[0] !== 'string' ||
      !isInt(row[1]) ||
      !isInt(row[2]) ||
      !(row[3] === null || FINISH_KINDS.has(row[3]))
    )
      return null;
    index.leases[row[0]] = { intent: row[1], finished: row[2], finished_kind: row[3] };
  }
  if (file.progress !== undefined && !Array.isArray(file.progress)) return null;
  for (const row of file.progress ?? []) {
    if (
      !Array.isArray(row) ||
      typeof row[0] !== 'string' ||
      !isInt(row[1]) ||
      !isInt(row[2]) ||
      !isInt(row[3])
    )
      return null;
    index.progress[row[0]] = { seq: row[1], orders_done: row[2], items_done: row[3] };
  }
  return index;
}

export function leaseKey(session: string, list: string): string {
  return `${session}/${list}`;
}

export function emptyIndex(client: string): IndexSnapshot {
  return { schema_version: 1, client, sessions: {}, leases: {}, progress: {} };
}

const FINISH_ORDER: Record<FinishKind, number> = { released: 0, completed: 1, force_released: 2 };

function mergeFacts(a: ListLeaseFacts | undefined, b: ListLeaseFacts): ListLeaseFacts {
  if (!a) return { ...b };
  let finished = a.finished;
  let kind = a.finished_kind;
  if (
    b.finished > finished ||
    (b.finished === finished &&
      b.finished_kind &&
      (!kind || FINISH_ORDER[b.finished_kind] > FINISH_ORDER[kind]))
  ) {
    finished = b.finished;
    kind = b.finished_kind;
  }
  return { intent: Math.max(a.intent, b.intent), finished, finished_kind: kind };
}

function mergeProgress(a: ListProgress | undefined, b: ListProgress): ListProgress {
  return !a || b.seq > a.seq ? { ...b } : a;
}

/** Folds `event` into `index` in place. */
export function applyIndexEvent(index: IndexSnapshot, event: IndexEvent): void {
  switch (event.type) {
    case 'session':
      index.sessions[event.entry.session] ??= event.entry;
      return;
    case 'intent': {
      const key = leaseKey(event.session, event.list);
      index.leases[key] = mergeFacts(index.leases[key], {
        intent: event.epoch,
        finished: 0,
        finished_kind: null,
      });
      return;
    }
    case 'finished': {
      const key = leaseKey(event.session, event.list);
      index.leases[key] = mergeFacts(index.leases[key], {
        intent: event.epoch,
        finished: event.epoch,
        finished_kind: event.kind,
      });
      return;
    }
    case 'progress': {
      const key = leaseKey(event.session, event.list);
      index.progress[key] = mergeProgress(index.progress[key], {
        seq: event.seq,
        orders_done: event.orders_done,
        items_done: event.items_done,
      });
      return;
    }
  }
}

/** Merges snapshot `from` into `into` in place. */
export function mergeIndex(into: IndexSnapshot, from: IndexSnapshot): void {
  for (const [id, entry] of Object.entries(from.sessions)) into.sessions[id] ??= entry;
  for (const [key, facts] of Object.entries(from.leases))
    into.leases[key] = mergeFacts(into.leases[key], facts);
  for (const [key, p] of Object.entries(from.progress))
    into.progress[key] = mergeProgress(into.progress[key], p);
}

/** True when the list might be held right now, so its lease folder needs a look; false means the index alone is right. */
export function mightBeActive(facts: ListLeaseFacts | undefined): boolean {
  return facts !== undefined && facts.intent > facts.finished;
}

// ---- list state, as shown by `session list` / `show` ----

export const ListState = z.enum(['not_started', 'active', 'stale', 'paused', 'completed']);
export type ListState = z.infer<typeof ListState>;

export interface HolderView {
  station: string;
  worker: string;
  since: string;
  heartbeat_age_ms: number | null;
}

export interface ListView {
  name: string;
  state: ListState;
  holder: HolderView | null;
  epoch: number | null;
  orders_total: number;
  orders_done: number;
  items_total: number;
  items_done: number;
  /** Set by `session show` when the list's journal is shorter than what is known to be acknowledged. */
  damage?: { message: string; details: Record<string, unknown> };
}

export interface SessionView {
  client: string;
  session: string;
  created_at: string;
  lists: ListView[];
}

/** The state of a list the index says is not held: no look at the share needed. */
export function stateFromFacts(facts: ListLeaseFacts | undefined): {
  state: ListState;
  epoch: number | null;
} {
  if (!facts || (facts.finished === 0 && facts.intent === 0)) return { state: 'not_started', epoch: null };
  if (facts.finished === 0) return { state: 'not_started', epoch: null };
  return { state: facts.finished_kind === 'completed' ? 'completed' : 'paused', epoch: facts.finished };
}

/**
 * The state of a list from a look at its lease folder. `heartbeatAgeMs` is the age of the last beat as
 * told by the file server's own clock (null when unknown); a held lease whose age reached the TTL shows
 * as stale. Taking it over still needs a full TTL of watching (see the takeover), this is only a view.
 */
export function stateFromLease(
  status: LeaseStatus,
  heartbeatAgeMs: number | null,
  ownTtlMs: number,
): { state: ListState; epoch: number | null; holder: HolderView | null } {
  if (status.state === 'free') {
    if (status.epoch === 0) return { state: 'not_started', epoch: null, holder: null };
    return { state: status.completed ? 'completed' : 'paused', epoch: status.epoch, holder: null };
  }
  const record: LeaseRecord | null = status.record;
  const ttl = record?.ttl_ms ?? ownTtlMs;
  const stale = heartbeatAgeMs !== null && heartbeatAgeMs >= ttl;
  return {
    state: stale ? 'stale' : 'active',
    epoch: status.epoch,
    holder: {
      station: record?.station ?? 'unknown',
      worker: record?.worker ?? 'unknown',
      since: record?.acquired_at ?? 'unknown',
      heartbeat_age_ms: heartbeatAgeMs,
    },
  };
}

/** `YYYY-MM-DD_HHMMSS_<station>_<hex>`: readable, sortable, and unique even for two PCs in one second. */
export function sessionIdFor(wallMs: number, stationSlugText: string, randomHex: string): string {
  const iso = new Date(wallMs).toISOString();
  return `${iso.slice(0, 10)}_${iso.slice(11, 19).replaceAll(':', '')}_${stationSlugText}_${randomHex}`;
}
