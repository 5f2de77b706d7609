// Which orders this client has already *packed* (DESIGN §7): an order number (or customer e-mail) that
// a station completed in one of the client's sessions of the last N days. Read from packdesk's own
// journals, never from earlier analysis runs (the Python tool flagged an order analysed yesterday but
// never shipped as a repeat). Only lists that a station ever opened are read.
import { normalizeOrderNumber } from '../domain/normalize.js';
import { leaseKey } from '../domain/session.js';
import { wallNowMs } from '../store/lease/clock.js';
import { readSessionIndex } from '../store/session-index.js';
import type { Deps } from './open-list.js';
import { readListState } from '../store/list-workspace.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function packedBefore(
  deps: Deps,
  client: string,
  windowDays: number,
  onList: (listsRead: number) => void = () => {},
): Promise<{ orderKeys: Set<string>; emails: Set<string> }> {
  const orderKeys = new Set<string>();
  const emails = new Set<string>();
  if (windowDays === 0) return { orderKeys, emails };
  const since = new Date(wallNowMs() - windowDays * DAY_MS).toISOString();
  const { index } = await readSessionIndex(deps.layout, client);
  let read = 0;
  for (const s of Object.values(index.sessions)) {
    if (s.created_at < since) continue;
    for (const l of s.lists) {
      const key = leaseKey(s.session, l.name);
      const opened = (index.leases[key]?.intent ?? 0) > 0 || (index.progress[key]?.orders_done ?? 0) > 0;
      if (!opened) continue;
      const state = await readListState(deps.layout, { client, session: s.session, list: l.name });
      for (const order of state.index.orders) {
        if (state.orders.get(order.key)?.status !== 'completed') continue;
        orderKeys.add(normalizeOrderNumber(order.order.order_number));
        const email = order.order.metadata.email;
        if (typeof email === 'string' && email !== '') emails.add(email.toLowerCase());
      }
      onList(++read);
    }
  }
  return { orderKeys, emails };
}
