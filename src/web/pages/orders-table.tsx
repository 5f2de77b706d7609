// The orders of an analysis, virtualised: only the rows in view are in the page, fetched from the
// server a page at a time, so 50,000 orders scroll like 50. Filtering, sorting and search happen on
// the server (an index kept per analysis revision). Keyboard: ↑/↓ move, Enter opens, Space selects.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { SteadySelect } from '../steady-select.js';
import {
  prepareApi,
  type AnalysisFilter,
  type AnalysisQuery,
  type AnalysisSummary,
  type OrderRow,
} from '../prepare-api.js';

export const STATUS_LABEL: Record<OrderRow['status'], string> = {
  fulfillable: 'Fulfillable',
  not_fulfillable: 'Not fulfillable',
  held: 'Held',
  removed: 'Removed',
};

const ROW_HEIGHT = 34;
const PAGE = 200;
const OVERSCAN = 8;
/** Rows are keyed by slot, so scrolling updates the same few elements instead of making new ones. */
const SLOTS = 256;

type Sort = AnalysisQuery['sort'];
const COLUMNS: Array<[Sort | null, string, string]> = [
  ['order', 'Order', 'c-order'],
  ['lines', 'Lines', 'c-num'],
  ['courier', 'Courier', 'c-courier'],
  ['country', 'Country', 'c-country'],
  ['list', 'List', 'c-list'],
  ['status', 'Status', 'c-status'],
  [null, 'Reasons', 'c-reasons'],
  ['tags', 'Tags', 'c-tags'],
  ['repeat', 'Repeat', 'c-repeat'],
];

export const EMPTY_FILTER: AnalysisFilter = {
  q: '',
  status: [],
  courier: [],
  country: [],
  list: [],
  tag: [],
  repeat: 'any',
};

function OneOf(props: {
  label: string;
  testid: string;
  value: string[];
  options: Array<{ value: string; orders: number }>;
  shown?: (v: string) => string;
  onChange(v: string[]): void;
}) {
  return (
    <label class="filter">
      {props.label}{' '}
      <SteadySelect
        data-testid={props.testid}
        value={props.value[0] ?? '*'}
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          props.onChange(v === '*' ? [] : [v]);
        }}
      >
        <option value="*">All</option>
        {props.options.map((o) => (
          <option value={o.value}>
            {(props.shown ?? ((v) => v || '(none)'))(o.value)} ({o.orders})
          </option>
        ))}
      </SteadySelect>
    </label>
  );
}

export function OrdersTable(props: {
  client: string;
  session: string;
  summary: AnalysisSummary;
  filter: AnalysisFilter;
  /** Filter changes as updates of the latest filter: a search that settles late never undoes a newer choice. */
  onFilter(update: (f: AnalysisFilter) => AnalysisFilter): void;
  selected: Set<string>;
  onSelect(s: Set<string>): void;
  onOpen(order: string): void;
  onTotal(n: number): void;
}) {
  const [sort, setSort] = useState<{ sort: Sort; dir: 'asc' | 'desc' }>({ sort: 'order', dir: 'asc' });
  const [search, setSearch] = useState(props.filter.q);
  // Rows by page; `gen` says which query they answer. Rows of the previous query stay on screen until
  // the new ones arrive, so an edit or a filter never blanks the table.
  const [pages, setPages] = useState<{ gen: number; map: Map<number, OrderRow[]> }>({
    gen: 0,
    map: new Map(),
  });
  const [total, setTotal] = useState<number | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const [cursor, setCursor] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const asked = useRef(new Set<number>());
  const generation = useRef(0);
  const frame = useRef(0);
  const { filter } = props;
  const filterKey = JSON.stringify([filter, sort]);
  const queryKey = JSON.stringify([filterKey, props.summary.revision]);

  // Typing settles for a moment before it becomes a filter: one request per pause, not per key.
  useEffect(() => {
    if (search === filter.q) return;
    const t = setTimeout(() => props.onFilter((f) => ({ ...f, q: search })), 150);
    return () => clearTimeout(t);
  }, [search]);

  const fetchPage = (p: number, gen: number) => {
    if (asked.current.has(p)) return;
    asked.current.add(p);
    prepareApi
      .orders(props.client, props.session, { ...filter, ...sort, offset: p * PAGE, limit: PAGE })
      .then(
        (page) => {
          if (gen !== generation.current) return;
          setProblem(null);
          setTotal(page.total);
          props.onTotal(page.total);
          setPages((old) =>
            old.gen === gen
              ? { gen, map: new Map(old.map).set(p, page.rows) }
              : { gen, map: new Map([[p, page.rows]]) },
          );
        },
        (err: Error) => {
          asked.current.delete(p);
          if (gen === generation.current) setProblem(err.message);
        },
      );
  };

  // Another filter or sort starts at the top; a new revision (an edit) keeps the place.
  useEffect(() => {
    if (box.current) box.current.scrollTop = 0;
    setScrollTop(0);
    setCursor(0);
  }, [filterKey]);

  useEffect(() => {
    generation.current++;
    asked.current = new Set();
    fetchPage(Math.floor((box.current?.scrollTop ?? 0) / ROW_HEIGHT / PAGE), generation.current);
  }, [queryKey]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const count = total ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (total === null) return;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++)
      if (pages.gen !== generation.current || !pages.map.has(p)) fetchPage(p, generation.current);
  }, [first, last, total, pages]);

  const rowAt = (i: number): OrderRow | undefined => pages.map.get(Math.floor(i / PAGE))?.[i % PAGE];

  const toggle = (order: string) => {
    const next = new Set(props.selected);
    if (next.has(order)) next.delete(order);
    else next.add(order);
    props.onSelect(next);
  };

  const moveTo = (i: number) => {
    const at = Math.max(0, Math.min(count - 1, i));
    setCursor(at);
    const el = box.current!;
    const top = at * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight - ROW_HEIGHT)
      el.scrollTop = top + 2 * ROW_HEIGHT - el.clientHeight;
  };

  const facets = props.summary.facets;
  const rows = useMemo(() => {
    const out = [];
    for (let i = first; i < last; i++) out.push(i);
    return out;
  }, [first, last]);

  return (
    <div class="orders" data-testid="orders">
      <div class="filters toolbar">
        <input
          type="search"
          placeholder="Order, SKU, product, customer…"
          title="Search by order number, SKU, product name, customer e-mail or name, notes"
          value={search}
          data-testid="orders-search"
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              box.current?.focus();
            }
          }}
        />
        <label class="filter">
          Status{' '}
          <SteadySelect
            data-testid="filter-status"
            value={filter.status[0] ?? '*'}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              props.onFilter((f) => ({ ...f, status: v === '*' ? [] : [v as OrderRow['status']] }));
            }}
          >
            <option value="*">All</option>
            {(Object.keys(STATUS_LABEL) as Array<OrderRow['status']>).map((s) => (
              <option value={s}>{STATUS_LABEL[s]}</option>
            ))}
          </SteadySelect>
        </label>
        <OneOf
          label="Courier"
          testid="filter-courier"
          value={filter.courier}
          options={facets.courier}
          onChange={(courier) => props.onFilter((f) => ({ ...f, courier }))}
        />
        <OneOf
          label="Country"
          testid="filter-country"
          value={filter.country}
          options={facets.country}
          onChange={(country) => props.onFilter((f) => ({ ...f, country }))}
        />
        <OneOf
          label="List"
          testid="filter-list"
          value={filter.list}
          options={facets.list}
          shown={(v) => v || '(no list)'}
          onChange={(list) => props.onFilter((f) => ({ ...f, list }))}
        />
        <OneOf
          label="Tag"
          testid="filter-tag"
          value={filter.tag}
          options={facets.tag}
          onChange={(tag) => props.onFilter((f) => ({ ...f, tag }))}
        />
        <label class="filter">
          Repeat{' '}
          <SteadySelect
            data-testid="filter-repeat"
            value={filter.repeat}
            onChange={(e) => {
              const repeat = (e.target as HTMLSelectElement).value as AnalysisFilter['repeat'];
              props.onFilter((f) => ({ ...f, repeat }));
            }}
          >
            <option value="any">All</option>
            <option value="yes">Repeats</option>
            <option value="no">Not repeats</option>
          </SteadySelect>
        </label>
        <span class="muted" data-testid="orders-count">
          {total === null ? '…' : `${count.toLocaleString()} order${count === 1 ? '' : 's'}`}
        </span>
      </div>
      {problem && <div class="inline-error">{problem}</div>}
      <div class="orders-head" role="row">
        <span class="c-check" />
        {COLUMNS.map(([key, label, cls]) => (
          <span
            class={`${cls} ${key ? 'sortable' : ''}`}
            role="columnheader"
            aria-sort={sort.sort === key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
          >
            {key ? (
              <button
                class="link"
                data-testid={`sort-${key}`}
                onClick={() =>
                  setSort((s) => ({ sort: key, dir: s.sort === key && s.dir === 'asc' ? 'desc' : 'asc' }))
                }
              >
                {label}
                {sort.sort === key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
              </button>
            ) : (
              label
            )}
          </span>
        ))}
      </div>
      <div
        class="orders-body"
        ref={box}
        tabIndex={0}
        role="grid"
        aria-rowcount={count}
        data-testid="orders-body"
        onScroll={(e) => {
          // One render per frame however fast the wheel turns.
          const el = e.target as HTMLDivElement;
          if (frame.current !== 0) return;
          frame.current = requestAnimationFrame(() => {
            frame.current = 0;
            setScrollTop(el.scrollTop);
          });
        }}
        onKeyDown={(e) => {
          const step = Math.floor(height / ROW_HEIGHT);
          const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: step, PageUp: -step };
          if (e.key in moves) {
            e.preventDefault();
            moveTo(cursor + moves[e.key]!);
          } else if (e.key === 'Enter') {
            const r = rowAt(cursor);
            if (r) props.onOpen(r.order_number);
          } else if (e.key === ' ') {
            e.preventDefault();
            const r = rowAt(cursor);
            if (r) toggle(r.order_number);
          }
        }}
      >
        <div style={{ height: `${count * ROW_HEIGHT}px`, position: 'relative' }}>
          {total === 0 && <p class="empty-orders">No order matches these filters.</p>}
          {rows.map((i) => {
            const r = rowAt(i);
            const style = { top: `${i * ROW_HEIGHT}px`, height: `${ROW_HEIGHT}px` };
            if (!r)
              return (
                <div key={i % SLOTS} class="order-row loading-row" style={style} role="row">
                  …
                </div>
              );
            return (
              <div
                key={i % SLOTS}
                class={`order-row status-${r.status} ${i === cursor ? 'cursor' : ''}`}
                style={style}
                role="row"
                aria-rowindex={i + 1}
                data-testid="order-row"
                data-order={r.order_number}
                data-status={r.status}
                onClick={() => (setCursor(i), props.onOpen(r.order_number))}
              >
                <span class="c-check" onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    aria-label={`Select ${r.order_number}`}
                    checked={props.selected.has(r.order_number)}
                    onChange={() => toggle(r.order_number)}
                  />
                </span>
                <span class="c-order mono">{r.order_number}</span>
                <span class="c-num">{r.lines}</span>
                <span class="c-courier">{r.courier}</span>
                <span class="c-country">{r.country}</span>
                <span class="c-list">{r.list ?? '—'}</span>
                <span class="c-status">
                  <span class={`status-label s-${r.status}`}>{STATUS_LABEL[r.status]}</span>
                </span>
                <span class="c-reasons" title={r.reasons.join('; ')}>
                  {r.reasons.join('; ')}
                </span>
                <span class="c-tags">{r.tags.join(', ')}</span>
                <span class="c-repeat">{r.repeat ? 'Repeat' : ''}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
