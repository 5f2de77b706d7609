// A prepared session's analysis: the counts that matter at a glance, why orders cannot ship (top
// short SKUs), couriers with their deadlines, the packing lists with links to pack, print and
// download, the orders table with bulk hold/release, an order's detail, and the activity log with
// undo. Every edit answers with the new counts; the table and chart follow.
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { currentWorker } from '../identity.js';
import { onLive } from '../live.js';
import { go } from '../route.js';
import { LabelsButton } from '../print-links.js';
import {
  analysisBase,
  prepareApi,
  type ActivityEntry,
  type AnalysisFilter,
  type AnalysisSummary,
  type EditAnswer,
  type PreparationChange,
} from '../prepare-api.js';
import type { ClientConfig, SessionView } from '../types.js';
import { BarChart } from './bar-chart.js';
import { OrderDetailPanel } from './order-detail.js';
import { EMPTY_FILTER, OrdersTable } from './orders-table.js';

function Count(props: { label: string; value: number; testid: string; tone?: string }) {
  return (
    <div class={`count ${props.tone ?? ''}`} data-testid={props.testid}>
      <strong>{props.value.toLocaleString()}</strong>
      <span>{props.label}</span>
    </div>
  );
}

const LIST_STATE: Record<string, string> = {
  not_started: 'not opened — rewritten after each change',
  active: 'being packed — frozen',
  stale: 'station silent — frozen',
  paused: 'paused — frozen',
  completed: 'completed — frozen',
};

function deadlineOf(courier: string, deadlines: Record<string, string>): string | null {
  const key = Object.keys(deadlines).find((c) => c.toLowerCase() === courier.toLowerCase());
  return key ? deadlines[key]! : null;
}

export function AnalysisView(props: { client: string; session: string; station: string }) {
  const { client, session } = props;
  const [summary, setSummary] = useState<AnalysisSummary | null>(null);
  const [config, setConfig] = useState<ClientConfig | null>(null);
  const [view, setView] = useState<SessionView | null>(null);
  const [activity, setActivity] = useState<ActivityEntry[]>([]);
  const [bulkTag, setBulkTag] = useState('');
  const [filter, setFilter] = useState<AnalysisFilter>(EMPTY_FILTER);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<string | null>(null);
  const [matching, setMatching] = useState(0);
  const [message, setMessage] = useState<{ text: string; refused: boolean; details?: string[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const who = () => ({ worker: currentWorker() ?? 'unknown', station: props.station });

  const loadSummary = () =>
    prepareApi.summary(client, session).then(
      (s) => (setSummary(s), setProblem(null)),
      (e: Error) => setProblem(e.message),
    );
  const loadActivity = () =>
    prepareApi.activity(client, session).then(
      (a) => setActivity(a.activity),
      () => {},
    );
  const loadView = () =>
    api.get<SessionView>(`/api/clients/${enc(client)}/sessions/${enc(session)}`).then(setView, () => {});

  useEffect(() => {
    void loadSummary();
    void loadActivity();
    void loadView();
    api.get<{ config: ClientConfig }>(`/api/clients/${enc(client)}`).then(
      (r) => setConfig(r.config),
      () => {},
    );
    return onLive((type, data) => {
      if (type === 'analysis_changed' && data.client === client && data.session === session) {
        void loadSummary();
        void loadActivity();
      }
      if (type === 'sessions_changed' || type === 'lease') void loadView();
    });
  }, [client, session]);

  const applied = (answer: EditAnswer) => {
    setSummary(answer.summary);
    void loadActivity();
    void loadView();
  };

  /** One change; answers the refusal text (shown where the change was asked), or null. */
  const edit = async (change: PreparationChange): Promise<string | null> => {
    try {
      applied(await prepareApi.edit(client, session, change, who()));
      return null;
    } catch (e) {
      void loadSummary();
      return (e as Error).message;
    }
  };

  const bulk = async (action: 'hold' | 'release' | 'tag', on: 'selected' | 'filter') => {
    setBusy(true);
    setMessage(null);
    try {
      const tag = action === 'tag' ? { tag: bulkTag.trim() } : {};
      const answer = await prepareApi.bulk(
        client,
        session,
        on === 'selected' ? { action, orders: [...selected], ...tag } : { action, filter, ...tag },
        who(),
      );
      applied(answer);
      const refused = answer.results.filter((r) => !r.ok);
      const done = answer.results.length - refused.length;
      setMessage({
        text: `${{ hold: 'Held', release: 'Released', tag: `Tagged "${bulkTag.trim()}" on` }[action]} ${done} order(s) in one change (one undo takes it back)${refused.length > 0 ? `; ${refused.length} left out:` : '.'}`,
        refused: refused.length > 0,
        details: refused.slice(0, 20).map((r) => r.error?.message ?? ''),
      });
      setSelected(new Set());
    } catch (e) {
      setMessage({ text: (e as Error).message, refused: true });
    } finally {
      setBusy(false);
    }
  };

  const undo = async (seq: number) => {
    const refused = await edit({ type: 'undo', undoes: seq });
    setMessage(
      refused ? { text: refused, refused: true } : { text: `Change ${seq} undone.`, refused: false },
    );
  };

  if (problem && !summary)
    return (
      <section class="analysis">
        <div class="inline-error">{problem}</div>
        <button onClick={() => go('prepare', { client })}>Prepare another day</button>
      </section>
    );
  if (!summary) return <p class="loading">Loading the analysis…</p>;
  const c = summary.counts;
  const deadlines = config?.courier_deadlines ?? {};
  const lastUndoable = [...activity].reverse().find((a) => !a.undone && !a.description.startsWith('undid'));
  const listState = new Map((view?.lists ?? []).map((l) => [l.name, l]));
  const base = analysisBase(client, session);
  return (
    <section class="analysis" data-testid="analysis">
      <div class="toolbar">
        <h1 class="analysis-title">
          {client} <span class="mono muted">{session}</span>
        </h1>
        <span class="spacer" />
        <a
          class="button"
          href={`${base}/download?file=analysis/analysis.xlsx`}
          data-testid="download-analysis"
        >
          Analysis XLSX
        </a>
        {summary.exports.flatMap((e) =>
          e.files.map((f) => (
            <a class="button" href={`${base}/download?file=${enc(f)}`} data-testid="download-export">
              {f.split('/').pop()}
            </a>
          )),
        )}
        <button onClick={() => go('prepare', { client })}>Prepare another day</button>
      </div>
      {problem && <div class="inline-error">{problem}</div>}
      <div class="counts" data-testid="counts">
        <Count label="orders" value={c.orders_total} testid="count-orders" />
        <Count label="fulfillable" value={c.fulfillable} testid="count-fulfillable" tone="ok" />
        <Count label="not fulfillable" value={c.not_fulfillable} testid="count-not-fulfillable" tone="bad" />
        <Count label="held" value={c.held} testid="count-held" tone="held" />
        {c.removed > 0 && <Count label="removed" value={c.removed} testid="count-removed" />}
        <Count label="items to ship" value={c.items_to_ship} testid="count-items" />
        <Count label="repeats" value={c.repeats} testid="count-repeats" />
        <Count label="low-stock SKUs" value={c.low_stock_skus} testid="count-low" />
      </div>
      {summary.warnings.length > 0 && (
        <details class="notice warnings" data-testid="warnings">
          <summary>{summary.warnings.length} warning(s) — read before packing</summary>
          <ul>
            {summary.warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </details>
      )}
      <div class="analysis-panels">
        <div class="panel">
          {summary.top_short.length > 0 ? (
            <BarChart
              title="Why orders cannot ship: orders stopped per short SKU"
              testid="short-chart"
              labels={summary.top_short.map((s) => s.sku)}
              series={[
                { name: 'orders stopped', color: '#b3261e', values: summary.top_short.map((s) => s.orders) },
              ]}
            />
          ) : (
            <p data-testid="short-chart">Every order the stock could cover ships: no SKU is short.</p>
          )}
        </div>
        <div class="panel">
          <h2>Couriers</h2>
          <table class="grid" data-testid="couriers">
            <thead>
              <tr>
                <th>Courier</th>
                <th class="num">Orders</th>
                <th class="num">Ship</th>
                <th class="num">Items</th>
                <th>Deadline</th>
              </tr>
            </thead>
            <tbody>
              {summary.couriers.map((k) => (
                <tr data-courier={k.courier}>
                  <td>{k.courier}</td>
                  <td class="num">{k.orders}</td>
                  <td class="num">{k.fulfillable}</td>
                  <td class="num">{k.items}</td>
                  <td>{deadlineOf(k.courier, deadlines) ?? <span class="muted">none set</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {message && (
        <div class={message.refused ? 'inline-error' : 'notice'} data-testid="analysis-message" role="status">
          {message.text}
          {message.details && message.details.length > 0 && (
            <ul>
              {message.details.map((d) => (
                <li>{d}</li>
              ))}
            </ul>
          )}
          <button class="small" onClick={() => setMessage(null)}>
            OK
          </button>
        </div>
      )}
      {/* One line at 1024 px (a tablet): short labels here, the longer words in each button's title. */}
      <div class="toolbar bulk-bar" data-testid="bulk-bar">
        <span title="Select orders with Space or a click, or act on every order the filters match">
          {selected.size > 0 ? `${selected.size} selected:` : `All ${matching.toLocaleString()} matching:`}
        </span>
        {selected.size > 0 ? (
          <>
            <button
              class="warn"
              disabled={busy}
              onClick={() => void bulk('hold', 'selected')}
              data-testid="bulk-hold-selected"
              title="Hold the selected orders"
            >
              Hold selected
            </button>
            <button
              disabled={busy}
              onClick={() => void bulk('release', 'selected')}
              data-testid="bulk-release-selected"
              title="Release the selected orders"
            >
              Release selected
            </button>
            <button class="small" onClick={() => setSelected(new Set())}>
              Clear
            </button>
          </>
        ) : (
          <>
            <button
              class="warn"
              disabled={busy || matching === 0}
              onClick={() => void bulk('hold', 'filter')}
              data-testid="bulk-hold-filter"
              title={`Hold all ${matching.toLocaleString()} orders that match the filters`}
            >
              Hold all
            </button>
            <button
              disabled={busy || matching === 0}
              onClick={() => void bulk('release', 'filter')}
              title="Release all orders that match the filters"
            >
              Release all
            </button>
          </>
        )}
        <input
          class="small bulk-tag"
          placeholder="tag"
          maxLength={100}
          value={bulkTag}
          onInput={(e) => setBulkTag((e.target as HTMLInputElement).value)}
          data-testid="bulk-tag-input"
          aria-label="tag to add to the orders"
        />
        <button
          disabled={busy || bulkTag.trim() === '' || (selected.size === 0 && matching === 0)}
          onClick={() => void bulk('tag', selected.size > 0 ? 'selected' : 'filter')}
          data-testid="bulk-tag"
          title={
            selected.size > 0 ? 'Add the tag to the selected orders' : 'Add the tag to all matching orders'
          }
        >
          {selected.size > 0 ? 'Tag selected' : 'Tag all'}
        </button>
        <span class="spacer" />
        {lastUndoable && (
          <button
            class="undo-last"
            disabled={busy}
            data-testid="undo-last"
            title={`Undo: ${lastUndoable.description}`}
            onClick={() => void undo(lastUndoable.seq)}
          >
            Undo: {lastUndoable.description}
          </button>
        )}
      </div>
      <OrdersTable
        client={client}
        session={session}
        summary={summary}
        filter={filter}
        onFilter={(update) => (setFilter(update), setSelected(new Set()))}
        selected={selected}
        onSelect={setSelected}
        onOpen={setOpen}
        onTotal={setMatching}
      />
      <div class="panel" data-testid="lists">
        <h2>Packing lists</h2>
        {summary.lists.length === 0 ? (
          <p>No list: no order can ship.</p>
        ) : (
          <table class="grid">
            <thead>
              <tr>
                <th>List</th>
                <th class="num">Orders</th>
                <th class="num">Items</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {summary.lists.map((l) => {
                const v = listState.get(l.name);
                return (
                  <tr data-testid="list-row" data-list={l.name}>
                    <td class="list-name">{l.name}</td>
                    <td class="num">{l.orders_total}</td>
                    <td class="num">{l.items_total}</td>
                    <td>
                      {v ? (LIST_STATE[v.state] ?? v.state) : ''}
                      {v?.holder && ` (${v.holder.station}, ${v.holder.worker})`}
                    </td>
                    <td class="row-actions">
                      <button
                        data-testid="pack-list"
                        onClick={() => go('pack', { client, session, list: l.name })}
                      >
                        Pack
                      </button>
                      <a
                        class="button"
                        href={`/api/clients/${enc(client)}/sessions/${enc(session)}/lists/${enc(l.name)}/report`}
                      >
                        XLSX
                      </a>
                      <LabelsButton client={client} session={session} list={l.name} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      {open && (
        <OrderDetailPanel
          client={client}
          session={session}
          order={open}
          revision={summary.revision}
          onEdit={edit}
          onClose={() => setOpen(null)}
        />
      )}
      <div class="panel" data-testid="activity">
        <h2>Activity</h2>
        {activity.length === 0 ? (
          <p class="muted">
            No change yet. Every hold, release, removal, quantity change and undo is listed here with who and
            when.
          </p>
        ) : (
          <table class="grid">
            <tbody>
              {[...activity].reverse().map((a) => (
                <tr data-testid="activity-entry" class={a.undone ? 'undone' : ''}>
                  <td class="num">{a.seq}</td>
                  <td>{new Date(a.at).toLocaleString()}</td>
                  <td>
                    {a.worker} <span class="muted">at {a.station}</span>
                  </td>
                  <td>
                    {a.description}
                    {a.undone && <span class="muted"> (undone)</span>}
                  </td>
                  <td>
                    {!a.undone && !a.description.startsWith('undid') && (
                      <button class="small" disabled={busy} onClick={() => void undo(a.seq)}>
                        Undo
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
