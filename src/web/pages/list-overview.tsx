// A list's overview: every order with its state, lines and who packed them, searchable by order
// number, SKU or product name, a page at a time from the server; Enter (or a click) on an order shows
// its scan history from the journal. Used by the session browser (any list, read without taking it)
// and by packer mode (F10), where the search field lets a scanner's scans through to the station.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { localTimeSecondsText, localTimeText } from '../../domain/local-time.js';
import type { ListOverview, OrderHistory, OrderState, OverviewOrder } from '../../contract/index.js';

const STATE_WORDS: Record<OrderState, string> = {
  to_do: 'To do',
  open: 'Open',
  paused: 'Started',
  skipped: 'Skipped',
  done: 'Done',
  done_manual: 'Done by hand',
  forced: 'Forced',
};
const FILTERS: Array<{ id: 'all' | 'left' | OrderState; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'left', label: 'Not done' },
  ...(Object.keys(STATE_WORDS) as OrderState[]).map((id) => ({ id, label: STATE_WORDS[id] })),
];

function when(iso: string | null): string {
  return iso === null ? '' : localTimeText(iso);
}

function packedBy(o: OverviewOrder): string {
  if (o.completed_at !== null) return `${o.completed_by ?? '?'} · ${when(o.completed_at)}`;
  return o.workers.join(', ');
}

export function ListOverviewPanel(props: {
  client: string;
  session: string;
  list: string;
  /** Changes when the list's progress changes (packer mode), to show it again. */
  version?: string;
  pageSize?: number;
  /** Focus the search field when shown (packer mode opens it with a key). */
  autoFocus?: boolean;
  /** Packer mode: the overview scrolls inside itself, so the status band above it stays in view. */
  compact?: boolean;
  onClose?(): void;
}) {
  const limit = props.pageSize ?? 25;
  const base = `/api/clients/${enc(props.client)}/sessions/${enc(props.session)}/lists/${enc(props.list)}/orders`;
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<(typeof FILTERS)[number]['id']>('all');
  const [offset, setOffset] = useState(0);
  const [data, setData] = useState<ListOverview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [history, setHistory] = useState<OrderHistory | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const asked = useRef(0);

  useEffect(() => {
    // Typing is searched a moment after it stops, so a scanner's burst that the field lets through
    // to the station (and takes back out of the field) is never searched for.
    const timer = setTimeout(() => {
      const ask = ++asked.current;
      const params = new URLSearchParams({ q, state: filter, offset: String(offset), limit: String(limit) });
      api.get<ListOverview>(`${base}?${params}`).then(
        (r) => {
          if (ask !== asked.current) return;
          setData(r);
          setProblem(null);
          setSelected((i) => Math.min(i, Math.max(0, r.orders.length - 1)));
        },
        (e: Error) => ask === asked.current && setProblem(e.message),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [q, filter, offset, props.version]);

  useEffect(() => {
    if (props.autoFocus) search.current?.focus();
  }, []);

  const showHistory = async (order: OverviewOrder | undefined) => {
    if (!order) return;
    try {
      setHistory(await api.get<OrderHistory>(`${base}/${enc(order.number)}`));
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  useEffect(() => {
    if (history) void showHistory(data?.orders.find((o) => o.number === history.order.number));
  }, [props.version]);

  const keys = (e: KeyboardEvent) => {
    const orders = data?.orders ?? [];
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setSelected((i) => Math.max(0, Math.min(orders.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void showHistory(orders[selected]);
    } else if (e.key === 'PageDown' && data && offset + limit < data.matched) {
      e.preventDefault();
      setOffset(offset + limit);
    } else if (e.key === 'PageUp' && offset > 0) {
      e.preventDefault();
      setOffset(Math.max(0, offset - limit));
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (history) setHistory(null);
      else props.onClose?.();
    }
  };

  return (
    <div class={`overview ${props.compact ? 'compact' : ''}`} data-testid="overview">
      <div class="overview-bar">
        <strong>Orders of {props.list}</strong>
        <input
          ref={search}
          type="search"
          placeholder="Search order, SKU or product"
          value={q}
          data-scan-through
          data-testid="overview-search"
          onInput={(e) => {
            setQ((e.target as HTMLInputElement).value);
            setOffset(0);
            setSelected(0);
          }}
          onKeyDown={keys}
        />
        <span class="overview-filters">
          {FILTERS.map((f) => (
            <button
              class={`small ${filter === f.id ? 'active' : ''}`}
              tabIndex={-1}
              data-testid={`overview-filter-${f.id}`}
              onClick={() => (setFilter(f.id), setOffset(0), setSelected(0))}
            >
              {f.label}
              {data && f.id !== 'all' && f.id !== 'left' ? ` ${data.counts[f.id]}` : ''}
            </button>
          ))}
        </span>
        {props.onClose && (
          <button class="small" tabIndex={-1} onClick={props.onClose}>
            Close <kbd>Esc</kbd>
          </button>
        )}
      </div>
      {problem && <div class="notice">{problem}</div>}
      {data === null ? (
        <p>Loading the orders…</p>
      ) : data.matched === 0 ? (
        <p data-testid="overview-empty">No orders{q ? ` matching "${q}"` : ''}.</p>
      ) : (
        <>
          <table class="grid overview-table" data-testid="overview-table">
            <thead>
              <tr>
                <th class="num">#</th>
                <th>Order</th>
                <th>State</th>
                <th class="num">Items</th>
                <th>Lines</th>
                <th>Packed by</th>
              </tr>
            </thead>
            <tbody>
              {data.orders.map((o, i) => (
                <tr
                  class={i === selected ? 'selected' : ''}
                  data-testid={`overview-order-${o.number}`}
                  onClick={() => (setSelected(i), void showHistory(o))}
                >
                  <td class="num muted">{o.position}</td>
                  <td class="list-name">{o.number}</td>
                  <td>
                    <span class={`order-state state-${o.state}`} data-testid="order-state">
                      {STATE_WORDS[o.state]}
                    </span>
                  </td>
                  <td class="num">
                    {o.packed}/{o.required}
                  </td>
                  <td class="overview-lines">
                    {o.lines.map((l) => (
                      <span class={l.packed >= l.required ? 'line-done' : ''}>
                        {l.sku} {l.packed}/{l.required}
                      </span>
                    ))}
                  </td>
                  <td>{packedBy(o)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="overview-pages" data-testid="overview-pages">
            <button
              class="small"
              tabIndex={-1}
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - limit))}
            >
              ‹ <kbd>PgUp</kbd>
            </button>{' '}
            {offset + 1}–{offset + data.orders.length} of {data.matched}
            {data.matched !== data.total && ` (of ${data.total} in the list)`}{' '}
            <button
              class="small"
              tabIndex={-1}
              disabled={offset + limit >= data.matched}
              onClick={() => setOffset(offset + limit)}
            >
              <kbd>PgDn</kbd> ›
            </button>
            <span class="muted"> · ↑/↓ choose, Enter shows the order's history</span>
          </div>
        </>
      )}
      {history && <OrderHistoryView history={history} onClose={() => setHistory(null)} />}
    </div>
  );
}

function OrderHistoryView(props: { history: OrderHistory; onClose(): void }) {
  const h = props.history;
  const box = useRef<HTMLDivElement>(null);
  // Shown below the orders: brought into view (inside a compact overview, the page does not move).
  useEffect(() => box.current?.scrollIntoView({ block: 'nearest' }), [h.order.number]);
  return (
    <div class="order-history" data-testid="order-history" ref={box}>
      <div class="overview-bar">
        <strong>
          Order {h.order.number}: {STATE_WORDS[h.order.state]}, {h.order.packed}/{h.order.required} items
        </strong>
        {h.order.completed_at && (
          <span>
            completed by {h.order.completed_by ?? '?'} {when(h.order.completed_at)}
          </span>
        )}
        <button class="small" tabIndex={-1} onClick={props.onClose}>
          Close
        </button>
      </div>
      {h.metadata.length > 0 && (
        <dl class="order-details">
          {h.metadata.map((d) => (
            <div>
              <dt>{d.label}</dt>
              <dd>{d.value}</dd>
            </div>
          ))}
        </dl>
      )}
      <table class="grid">
        <thead>
          <tr>
            <th>SKU</th>
            <th>Product</th>
            <th class="num">Packed</th>
            <th>Who packed when</th>
          </tr>
        </thead>
        <tbody>
          {h.order.lines.map((l) => (
            <tr>
              <td class="sku">{l.sku}</td>
              <td>{l.product_name}</td>
              <td class="num">
                {l.packed}/{l.required}
              </td>
              <td>
                {(h.packed_by.find((p) => p.sku === l.sku)?.packs ?? [])
                  .map(
                    (p) =>
                      `${p.count > 1 ? `${p.count} × ` : ''}${p.worker} at ${p.station}, ${localTimeSecondsText(p.at)}${p.manual ? ' (by hand)' : ''}`,
                  )
                  .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Scan history</h3>
      {h.history.length === 0 ? (
        <p>Nothing scanned yet.</p>
      ) : (
        <table class="grid" data-testid="history-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Station</th>
              <th>What</th>
            </tr>
          </thead>
          <tbody>
            {h.history.map((e) => (
              <tr class={`history-${e.type}`}>
                <td>{localTimeSecondsText(e.at)}</td>
                <td>{e.worker}</td>
                <td>{e.station}</td>
                <td>{e.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
