// A list's overview and one order's scan history, for the session browser, the packer's overview
// and `packdesk session orders`. Read without the lease: from the live state of a station that holds
// the list in this process, else from the journal on the share (kept while its files are unchanged,
// so paging and searching a 50,000-order list does not replay it per request).
import {
  findOrder,
  listOverview,
  orderHistory,
  orderNeedle,
  type ListOverview,
  type OrderHistory,
  type OverviewQuery,
} from '../domain/list-overview.js';
import { NotFoundError } from '../domain/errors.js';
import { orderDetails } from '../domain/order-details.js';
import type { ScanState } from '../domain/scan-state.js';
import { journalRecordsContaining, listFilesFingerprint } from '../store/journal-search.js';
import type { Layout } from '../store/layout.js';
import { resolveList } from './open-list.js';
import { readListState, type ListIds } from '../store/list-workspace.js';

/** A state some station of this process keeps live for the list, if any. */
export type LiveStateLookup = (ids: ListIds) => ScanState | null;

interface Cached {
  fingerprint: string;
  state: ScanState;
}

/** States read from journals, a few lists at a time (a shift lead looks at one or two at once). */
const CACHE_SIZE = 4;
const cache = new Map<string, Cached>();

async function stateOf(
  layout: Layout,
  ids: ListIds,
  live: LiveStateLookup | undefined,
): Promise<{ state: ScanState; source: ListOverview['source'] }> {
  const held = live?.(ids);
  if (held) return { state: held, source: 'station' };
  const key = JSON.stringify([layout.root, ids.client, ids.session, ids.list]);
  const fingerprint = await listFilesFingerprint(
    [layout.sessionInfoFile(ids.client, ids.session)],
    [
      layout.sessionListsDir(ids.client, ids.session),
      layout.listJournalDir(ids.client, ids.session, ids.list),
    ],
  );
  const hit = cache.get(key);
  if (hit && hit.fingerprint === fingerprint) {
    cache.delete(key);
    cache.set(key, hit);
    return { state: hit.state, source: 'journal' };
  }
  const state = await readListState(layout, ids);
  cache.delete(key);
  cache.set(key, { fingerprint, state });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return { state, source: 'journal' };
}

async function listIds(
  layout: Layout,
  req: { client: string; session: string; list?: string },
): Promise<ListIds> {
  return {
    client: req.client,
    session: req.session,
    list: await resolveList(layout, req.client, req.session, req.list),
  };
}

export async function showListOverview(
  layout: Layout,
  req: { client: string; session: string; list?: string },
  query: OverviewQuery,
  live?: LiveStateLookup,
): Promise<ListOverview> {
  const ids = await listIds(layout, req);
  const { state, source } = await stateOf(layout, ids, live);
  return listOverview(state, ids, query, source);
}

export async function showOrderHistory(
  layout: Layout,
  req: { client: string; session: string; list?: string; order: string },
  live?: LiveStateLookup,
): Promise<OrderHistory> {
  const ids = await listIds(layout, req);
  const { state } = await stateOf(layout, ids, live);
  const order = findOrder(state.index, req.order);
  if (!order)
    throw new NotFoundError(`Packing list ${ids.list} has no order "${req.order}".`, {
      list: ids.list,
      order: req.order,
    });
  const records = await journalRecordsContaining(
    layout.listJournalDir(ids.client, ids.session, ids.list),
    orderNeedle(order.key),
  );
  return orderHistory(state, order, records, ids, orderDetails(order.order.metadata));
}
