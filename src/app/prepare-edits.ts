// Use case: a shift lead changes a prepared session before it is packed: hold or release an order,
// remove one, change a line's quantity, or undo an earlier change. Each change is a ledger record;
// the analysis is recomputed from the session's inputs plus the whole ledger (final stock is never
// patched), and the lists, analysis and exports are regenerated. A list a station has opened is frozen:
// a change that would alter it is refused, naming the list and its station.
import {
  ConflictError,
  CorruptFileError,
  NotFoundError,
  PackdeskError,
  ValidationError,
} from '../domain/errors.js';
import { PACKING_LIST_FORMAT_VERSION, type PackingList } from '../domain/packing-list.js';
import { assertClientId } from '../domain/ids.js';
import { analyseFulfilment, type AnalysisResult } from '../domain/fulfilment-analysis.js';
import { normalizeCode, normalizeOrderNumber } from '../domain/normalize.js';
import { packingListOrders } from '../domain/prepared-list.js';
import {
  describeChange,
  effectiveEdits,
  type PreparationChange,
  type PreparationEdit,
} from '../domain/preparation-edits.js';
import { preparedSummaryOf, type ListView } from '../domain/session.js';
import { openDataRoot } from '../store/data-root.js';
import { withDirLock } from '../store/dir-lock.js';
import { wallNowIso } from '../store/lease/clock.js';
import {
  appendEdit,
  makeListWorkDir,
  readEdits,
  readPreparationRecord,
  readStoredInput,
  replaceSessionFiles,
  replaceSessionInfo,
} from '../store/prepared-session-files.js';
import { appendIndexEvents, sessionEntry } from '../store/session-index.js';
import { readSessionInfo } from '../store/sessions.js';
import type { Deps, StationIdentity } from './open-list.js';
import type { LoadedPreparation, PreparationMemo } from './preparation-memo.js';
import { preparedFiles, preparedLists, readPrepareInputs, repeatHistoryOf } from './prepare-session.js';
import { showSession } from './sessions.js';

export interface EditResult {
  edit: PreparationEdit;
  description: string;
  result: AnalysisResult;
  /** Lists rewritten by this change (unopened ones only). */
  lists_regenerated: string[];
  /** Orders a bulk change left out (not in the session, already held, short of stock…), with why. */
  skipped: SkippedOrder[];
}

export interface ActivityEntry {
  seq: number;
  at: string;
  station: string;
  worker: string;
  description: string;
  undone: boolean;
}

async function loadPreparation(deps: Deps, client: string, session: string): Promise<LoadedPreparation> {
  const record = await readPreparationRecord(deps.layout, client, session);
  const files = await Promise.all(
    record.inputs.map(async (i) => ({
      meta: i,
      data: await readStoredInput(deps.layout, client, session, i.stored_as),
    })),
  );
  const file = (f: (typeof files)[number]) => ({ name: f.meta.file, data: f.data });
  const stock = files.find((f) => f.meta.kind === 'stock');
  if (!stock) throw new CorruptFileError(`Session ${session} has lost its stock file.`, { session });
  const sets = files.find((f) => f.meta.kind === 'sets');
  const settings = { ...record.settings, sets: record.sets };
  const read = await readPrepareInputs(
    {
      orders: files.filter((f) => f.meta.kind === 'orders').map(file),
      stock: file(stock),
      ...(sets ? { sets: file(sets) } : {}),
    },
    settings,
  );
  return { record, read, settings };
}

function analyse(loaded: LoadedPreparation, edits: readonly PreparationEdit[]): AnalysisResult {
  const result = analyseFulfilment({
    orders: loaded.read.orders,
    stock: loaded.read.stock,
    sets: loaded.record.sets,
    settings: loaded.settings,
    repeats: repeatHistoryOf(loaded.record.repeats),
    edits,
  });
  result.warnings.unshift(...loaded.read.warnings);
  return result;
}

function openedBy(list: ListView): string {
  if (list.holder) return `station ${list.holder.station} (${list.holder.worker})`;
  return list.state === 'completed' ? 'a station (it is completed)' : 'a station (it is paused)';
}

type OrderChangeType = 'hold' | 'release' | 'remove' | 'set_quantity' | 'tag';
type AnalysedOrder = AnalysisResult['orders'][number];

/** Refuses a change to one order that cannot apply to it as the analysis stands (`what`: the SKU of a
 * quantity change, the tag of a tag change). */
function checkOrderChange(
  type: OrderChangeType,
  ref: string,
  order: AnalysedOrder | undefined,
  what?: string,
): asserts order is AnalysedOrder {
  if (!order) throw new NotFoundError(`Order ${ref} is not in this session.`, { order: ref });
  if (order.status === 'removed' && type !== 'remove')
    throw new ConflictError(
      `Order ${order.order_number} was removed from the session; undo the removal first.`,
      { order: order.order_number },
    );
  switch (type) {
    case 'hold':
      if (order.status === 'held')
        throw new ConflictError(`Order ${order.order_number} is already held.`, {
          order: order.order_number,
        });
      return;
    case 'release':
      if (order.status !== 'held')
        throw new ConflictError(
          `Order ${order.order_number} is not held (it is ${order.status.replace('_', ' ')}).`,
          { order: order.order_number },
        );
      return;
    case 'remove':
      if (order.status === 'removed')
        throw new ConflictError(`Order ${order.order_number} is already removed.`, {
          order: order.order_number,
        });
      return;
    case 'set_quantity':
      if (
        !order.lines.some(
          (l) => l.stock_line && l.source === 'export' && normalizeCode(l.sku) === normalizeCode(what!),
        )
      )
        throw new NotFoundError(`Order ${order.order_number} has no line with SKU ${what}.`, {
          order: order.order_number,
          sku: what,
        });
      return;
    case 'tag':
      if (order.tags.includes(what!))
        throw new ConflictError(`Order ${order.order_number} is already tagged "${what}".`, {
          order: order.order_number,
        });
      return;
  }
}

function checkUndo(undoes: number, edits: readonly PreparationEdit[]): void {
  const target = edits.find((e) => e.seq === undoes);
  if (!target) throw new NotFoundError(`There is no change ${undoes} to undo.`, { seq: undoes });
  if (target.change.type === 'undo')
    throw new ValidationError('An undo cannot be undone; make the change again instead.');
  if (!effectiveEdits(edits).some((e) => e.seq === undoes))
    throw new ConflictError(`Change ${undoes} was already undone.`, { seq: undoes });
}

/** An order a bulk change left out, and why. */
export interface SkippedOrder {
  order: string;
  error: PackdeskError;
}

/**
 * Checks a change against the analysis before it. A single-order change that cannot apply is refused;
 * a bulk one keeps the orders it can apply to (in their canonical spelling, each once) and lists the
 * others as skipped, refusing only when none is left.
 */
function checkChange(
  change: PreparationChange,
  before: AnalysisResult,
  edits: readonly PreparationEdit[],
): { change: PreparationChange; skipped: SkippedOrder[] } {
  if (change.type === 'undo') {
    checkUndo(change.undoes, edits);
    return { change, skipped: [] };
  }
  const byKey = new Map(before.orders.map((o) => [o.key, o]));
  if (change.type !== 'hold_many' && change.type !== 'release_many' && change.type !== 'tag_many') {
    const order = byKey.get(normalizeOrderNumber(change.order));
    checkOrderChange(
      change.type,
      change.order,
      order,
      change.type === 'set_quantity' ? change.sku : undefined,
    );
    return { change, skipped: [] };
  }
  const type = change.type === 'hold_many' ? 'hold' : change.type === 'release_many' ? 'release' : 'tag';
  const kept: string[] = [];
  const seen = new Set<string>();
  const skipped: SkippedOrder[] = [];
  for (const ref of change.orders) {
    const order = byKey.get(normalizeOrderNumber(ref));
    if (order && seen.has(order.key)) continue;
    try {
      checkOrderChange(type, ref, order, change.type === 'tag_many' ? change.tag : undefined);
      seen.add(order.key);
      kept.push(order.order_number);
    } catch (err) {
      if (!(err instanceof PackdeskError)) throw err;
      skipped.push({ order: ref, error: err });
    }
  }
  if (kept.length === 0) throw nothingLeft(type, skipped);
  return { change: { ...change, orders: kept }, skipped };
}

function nothingLeft(type: 'hold' | 'release' | 'tag', skipped: readonly SkippedOrder[]): ConflictError {
  const shown = skipped.slice(0, 20).map((s) => s.error.message);
  const more = skipped.length > shown.length ? ` (and ${skipped.length - shown.length} more)` : '';
  return new ConflictError(
    `None of the ${skipped.length} order(s) could be ${{ hold: 'held', release: 'released', tag: 'tagged' }[type]}: ${shown.join(' ')}${more}`,
    { orders: skipped.map((s) => ({ order: s.order, message: s.error.message, ...s.error.details })) },
  );
}

function cannotRelease(order: AnalysedOrder): ConflictError {
  return new ConflictError(
    `Order ${order.order_number} cannot be released: ${order.reasons.join('; ')}. It stays held.`,
    { order: order.order_number, short: order.short },
  );
}

/**
 * A bulk release keeps only the orders stock covers: the others stay held and are reported, so one
 * short order does not block releasing the rest. The analysis is made once more without them so they
 * show as held; a short order took no stock (all or nothing per order), so that pass changes no other
 * order and the loop ends there — it only guards against an allocation that ever behaves otherwise.
 */
function settleBulkRelease(
  loaded: LoadedPreparation,
  edits: readonly PreparationEdit[],
  edit: PreparationEdit,
  after: AnalysisResult,
  skipped: SkippedOrder[],
): { edit: PreparationEdit; after: AnalysisResult } {
  for (;;) {
    if (edit.change.type !== 'release_many') return { edit, after };
    const byKey = new Map(after.orders.map((o) => [o.key, o]));
    const short = edit.change.orders
      .map((ref) => byKey.get(normalizeOrderNumber(ref))!)
      .filter((o) => o.status !== 'fulfillable');
    if (short.length === 0) return { edit, after };
    skipped.push(...short.map((o) => ({ order: o.order_number, error: cannotRelease(o) })));
    const shortKeys = new Set(short.map((o) => o.key));
    const left = edit.change.orders.filter((ref) => !shortKeys.has(normalizeOrderNumber(ref)));
    if (left.length === 0) throw nothingLeft('release', skipped);
    edit = { ...edit, change: { ...edit.change, orders: left } };
    after = analyse(loaded, [...edits, edit]);
  }
}

/**
 * Applies one change to a prepared session; see the file comment. With a memo (a preparation worker
 * serving this session) the inputs read and the analysis of the ledger so far are taken from it when
 * they are still the session's, and the new analysis is kept there for the next change.
 */
export async function editPreparedSession(
  deps: Deps,
  client: string,
  session: string,
  change: PreparationChange,
  by: StationIdentity,
  memo?: PreparationMemo,
): Promise<EditResult> {
  assertClientId(client);
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const first = await readSessionInfo(deps.layout, client, session);
  if (!first.prepared)
    throw new ValidationError(
      `Session ${session} was made from packing lists, not prepared from a Shopify export; it has nothing to edit.`,
      {
        session,
      },
    );
  const { heartbeatMs, staleMs } = deps.settings.locking;
  return withDirLock(
    deps.layout.sessionEditLockDir(client, session),
    {
      station: by.station,
      heartbeatMs,
      staleMs,
      waitMs: staleMs * 2 + 10_000,
      what: `the edits of session ${session}`,
    },
    async (lock) => {
      // Read again under the lock: the edit before this one may have added a list or raised the revision.
      const info = await readSessionInfo(deps.layout, client, session);
      const edits = await readEdits(deps.layout, client, session);
      const loaded =
        memo?.inputs(deps.layout, client, session) ?? (await loadPreparation(deps, client, session));
      const before = memo?.analysis(deps.layout, client, session, edits) ?? analyse(loaded, edits);
      // Kept before the change is checked: a refused change leaves the session as this analysis has it.
      memo?.remember(deps.layout, client, session, loaded, edits, before);
      const { change: applied, skipped } = checkChange(change, before, edits);
      const proposed: PreparationEdit = {
        schema_version: 1,
        seq: (edits.at(-1)?.seq ?? 0) + 1,
        at: wallNowIso(),
        by,
        change: applied,
      };
      let after = analyse(loaded, [...edits, proposed]);
      if (applied.type === 'release') {
        const order = after.orders.find((o) => o.key === normalizeOrderNumber(applied.order))!;
        if (order.status !== 'fulfillable') throw cannotRelease(order);
      }
      const settled = settleBulkRelease(loaded, edits, proposed, after, skipped);
      const edit = settled.edit;
      after = settled.after;
      // Frozen lists: what a station has opened must stay exactly as it was.
      const now = await showSession(deps, client, session);
      const inputs = loaded.record.inputs;
      const newLists = new Map(after.lists.map((l) => [l.name, l]));
      const oldLists = new Map(before.lists.map((l) => [l.name, l]));
      const opened = now.lists.filter((l) => l.state !== 'not_started');
      for (const list of opened) {
        const was = oldLists.get(list.name);
        const will = newLists.get(list.name);
        if (
          JSON.stringify(was ? packingListOrders(was) : []) !==
          JSON.stringify(will ? packingListOrders(will) : [])
        ) {
          throw new ConflictError(
            `This change would alter packing list ${list.name}, which ${openedBy(list)} has opened; its orders can no longer change.`,
            { list: list.name, holder: list.holder },
          );
        }
      }
      const openedNames = new Set(opened.map((l) => l.name));
      const knownNames = new Set(info.lists.map((l) => l.name));
      const added = [...newLists.keys()].filter((n) => !knownNames.has(n));
      await lock.assertHeld();
      await appendEdit(deps.layout, client, session, edit);

      const at = wallNowIso();
      const lists = preparedLists(after, { now: at, inputs }).filter((l) => !openedNames.has(l.name));
      const out = await preparedFiles(after, {
        client,
        session,
        now: at,
        settings: loaded.settings,
        inputs,
        edits: effectiveEdits([...edits, edit]),
      });
      await replaceSessionFiles(deps.layout, client, session, [
        ...lists.map((l) => ({ path: `packing_lists/${l.name}.json`, data: l.json })),
        ...out.files,
      ]);
      // Lists keep their names; one an edit makes newly needed is added, one it empties stays (empty).
      const revision = (info.prepared?.revision ?? 0) + 1;
      const nextInfo = {
        ...info,
        prepared: { analysis: info.prepared!.analysis, revision, summary: preparedSummaryOf(after.counts) },
        lists: [
          ...info.lists.map((l) => {
            const fresh = newLists.get(l.name);
            if (openedNames.has(l.name)) return l;
            return { ...l, orders_total: fresh?.orders_total ?? 0, items_total: fresh?.items_total ?? 0 };
          }),
          ...added.map((name) => ({
            name,
            file: `packing_lists/${name}.json`,
            work_directory: `packing/${name}`,
            orders_total: newLists.get(name)!.orders_total,
            items_total: newLists.get(name)!.items_total,
          })),
        ],
      };
      // A list an edit emptied keeps an empty list file, so the session's lists stay what they were.
      for (const l of info.lists)
        if (!newLists.has(l.name) && !openedNames.has(l.name))
          await replaceSessionFiles(deps.layout, client, session, [
            { path: l.file, data: emptyList(l.name, at) },
          ]);
      for (const name of added) await makeListWorkDir(deps.layout, client, session, name);
      await replaceSessionInfo(deps.layout, nextInfo);
      memo?.remember(deps.layout, client, session, loaded, [...edits, edit], after);
      await appendIndexEvents(deps.layout, client, [{ type: 'session', entry: sessionEntry(nextInfo) }]);
      return {
        edit,
        description: describeChange(edit.change),
        result: after,
        skipped,
        lists_regenerated: [...lists.map((l) => l.name)],
      };
    },
  );
}

function emptyList(name: string, at: string): string {
  const list: PackingList = {
    format_version: PACKING_LIST_FORMAT_VERSION,
    list_name: name,
    created_at: at,
    source: { format: 'shopify-export', file: '', imported_at: at },
    orders: [],
  };
  return JSON.stringify(list);
}

/** The session's changes, newest last, for the activity log. */
export async function preparationActivity(
  deps: Deps,
  client: string,
  session: string,
): Promise<ActivityEntry[]> {
  assertClientId(client);
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const edits = await readEdits(deps.layout, client, session);
  const live = new Set(effectiveEdits(edits).map((e) => e.seq));
  return edits.map((e) => ({
    seq: e.seq,
    at: e.at,
    station: e.by.station,
    worker: e.by.worker,
    description: describeChange(e.change),
    undone: e.change.type !== 'undo' && !live.has(e.seq),
  }));
}
