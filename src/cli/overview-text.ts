// How `packdesk session orders` prints a list's overview and one order's history for a person:
// one line per order, times in the local time of this PC.
import { ORDER_STATE_LABELS, type ListOverview, type OrderHistory } from '../domain/list-overview.js';
import { localTimeSecondsText, localTimeText } from '../domain/local-time.js';

function when(iso: string | null): string {
  return iso === null ? '' : localTimeText(iso);
}

export function overviewText(o: ListOverview): string {
  const counts = Object.entries(o.counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${ORDER_STATE_LABELS[state as keyof typeof ORDER_STATE_LABELS]} ${n}`)
    .join(', ');
  const head = [
    `${o.client}  ${o.session}  list ${o.list}: ${o.total} orders (${counts})${o.current ? `; open: ${o.current}` : ''}${
      o.ended_at ? `; ended ${when(o.ended_at)}` : ''
    }`,
  ];
  const filter = [o.query.q && `matching "${o.query.q}"`, o.query.state !== 'all' && `state ${o.query.state}`]
    .filter(Boolean)
    .join(', ');
  if (o.matched === 0) return [...head, `No orders${filter ? ` ${filter}` : ''}.`].join('\n');
  const from = o.query.offset + 1;
  const to = o.query.offset + o.orders.length;
  head.push(`Orders ${from}–${to} of ${o.matched}${filter ? ` ${filter}` : ''}:`);
  const rows = o.orders.map((order) => {
    const lines = order.lines.map((l) => `${l.sku} ${l.packed}/${l.required}`).join(', ');
    const by =
      order.completed_at !== null
        ? ` — ${order.completed_by ?? '?'} ${when(order.completed_at)}`
        : order.workers.length > 0
          ? ` — ${order.workers.join(', ')}`
          : '';
    return `  ${order.number.padEnd(12)} ${ORDER_STATE_LABELS[order.state].padEnd(24)} ${order.packed}/${order.required}  ${lines}${by}`;
  });
  const more = o.matched > to ? [`(more: --offset ${to})`] : [];
  return [...head, ...rows, ...more].join('\n');
}

export function historyText(h: OrderHistory): string {
  const o = h.order;
  const out = [
    `Order ${o.number} (${h.list}, position ${o.position}, ${o.courier || 'no courier'}): ${ORDER_STATE_LABELS[o.state]}, ${o.packed}/${o.required} items${
      o.completed_at ? `, completed by ${o.completed_by ?? '?'} ${when(o.completed_at)}` : ''
    }`,
  ];
  for (const m of h.metadata) out.push(`  ${m.label}: ${m.value}`);
  out.push('Lines:');
  for (const line of o.lines) {
    const packs = h.packed_by.find((p) => p.sku === line.sku)?.packs ?? [];
    const who = packs
      .map(
        (p) =>
          `${p.count > 1 ? `${p.count} × ` : ''}${p.worker}@${p.station} ${localTimeSecondsText(p.at)}${p.manual ? ' (by hand)' : ''}`,
      )
      .join('; ');
    out.push(
      `  ${line.sku.padEnd(16)} ${String(line.packed).padStart(3)}/${line.required}  ${line.product_name}${who ? ` — ${who}` : ''}`,
    );
  }
  out.push(h.history.length === 0 ? 'No scans yet.' : 'History:');
  for (const e of h.history)
    out.push(`  ${localTimeSecondsText(e.at).padEnd(21)} ${e.worker} at ${e.station}: ${e.what}`);
  return out.join('\n');
}
