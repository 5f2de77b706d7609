// Session browser: every client's sessions and lists with state, holder, heartbeat age, progress
// and the courier deadline; open, resume, take over, force release, new session, reports.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, enc } from '../api.js';
import { deadlineView, formatCountdown } from '../deadline.js';
import { currentWorker } from '../identity.js';
import { onLive } from '../live.js';
import { go } from '../route.js';
import { LabelsButton } from '../print-links.js';
import { AnalysisLink } from '../analysis-link.js';
import { withLiveProgress } from '../live-progress.js';
import { ListOverviewPanel } from './list-overview.js';
import { sealMarginMs } from '../../domain/lease.js';
import type {
  ClientConfig,
  ClientSummary,
  ListView,
  ServerInfo,
  SessionView,
  StationState,
} from '../types.js';

const STATE_LABEL: Record<ListView['state'], string> = {
  not_started: 'Not started',
  active: 'Active',
  stale: 'Stale',
  paused: 'Paused',
  completed: 'Completed',
};

function ageText(ms: number | null): string {
  if (ms === null) return '?';
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

interface Releasing {
  client: string;
  session: string;
  list: ListView;
}

/** The first cell of a session: client, id, the analysis at a glance and link, archive. */
function SessionHead(props: { session: SessionView; onArchive: (archived: boolean) => void }) {
  const s = props.session;
  const busy = s.lists.some((l) => l.state === 'active' || l.state === 'stale');
  return (
    <div class="session-head" data-testid={`session-head-${s.session}`}>
      <strong>{s.client}</strong> <span class="muted">{s.session}</span>
      {s.archived && (
        <span class="badge badge-archived" data-testid="archived">
          Archived
        </span>
      )}
      {s.summary && (
        <div class="muted prepared-summary" data-testid="prepared-summary">
          {s.summary.orders_total} orders · {s.summary.fulfillable} fulfillable · {s.summary.held} held ·{' '}
          {s.summary.not_fulfillable} not fulfillable
        </div>
      )}
      <div class="row-actions">
        {s.prepared && <AnalysisLink client={s.client} session={s.session} />}
        <button
          class="small"
          data-testid={s.archived ? 'unarchive' : 'archive'}
          disabled={!s.archived && busy}
          title={
            s.archived
              ? 'Show this session in the list again'
              : busy
                ? 'A station is packing one of its lists'
                : 'Hide this session from the list; nothing is deleted'
          }
          onClick={() => props.onArchive(!s.archived)}
        >
          {s.archived ? 'Unarchive' : 'Archive'}
        </button>
      </div>
    </div>
  );
}

export function SessionsPage(props: { info: ServerInfo; station: string }) {
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [configs, setConfigs] = useState<Record<string, ClientConfig>>({});
  const [clients, setClients] = useState<ClientSummary[]>([]);
  const [filter, setFilter] = useState<'open' | 'all'>('open');
  const [withArchived, setWithArchived] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [releasing, setReleasing] = useState<Releasing | null>(null);
  const [reason, setReason] = useState('');
  /** Set while a force release runs: it waits the seal margin before it answers. */
  const [releaseWait, setReleaseWait] = useState<string | null>(null);
  const [uploadClient, setUploadClient] = useState('');
  const [now, setNow] = useState(new Date());
  /** The list whose orders are shown under its row ("client/session/list"). */
  const [overviewOf, setOverviewOf] = useState<string | null>(null);

  // The live-event and timer callbacks are made once; they read the toggle through this ref.
  const archivedRef = useRef(false);
  archivedRef.current = withArchived;
  const load = async () => {
    try {
      const [r, st] = await Promise.all([
        api.get<{ sessions: SessionView[] }>(`/api/sessions${archivedRef.current ? '?archived=1' : ''}`),
        api.get<{ stations: StationState[] }>('/api/stations'),
      ]);
      setSessions(withLiveProgress(r.sessions, st.stations));
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  useEffect(() => {
    api.get<{ clients: ClientSummary[] }>('/api/clients').then(async (r) => {
      setClients(r.clients);
      if (r.clients[0]) setUploadClient(r.clients[0].client_id);
      const entries = await Promise.all(
        r.clients.map((c) =>
          api
            .get<{ config: ClientConfig }>(`/api/clients/${enc(c.client_id)}`)
            .then((d) => [c.client_id, d.config] as const),
        ),
      );
      setConfigs(Object.fromEntries(entries));
    });
    // Heartbeat ages and stale states change with time, so the list is refreshed even without events.
    const timer = setInterval(() => {
      setNow(new Date());
      void load();
    }, 5_000);
    const off = onLive((type) => {
      if (type === 'sessions_changed' || type === 'lease' || type === 'station_closed') void load();
    });
    return () => {
      clearInterval(timer);
      off();
    };
  }, []);

  const upload = async (file: File) => {
    setMessage(null);
    try {
      const info = await api.upload<{ session_id: string }>(
        `/api/clients/${enc(uploadClient)}/sessions?worker=${enc(currentWorker() ?? '')}`,
        file,
      );
      setMessage(`Session ${info.session_id} created from ${file.name}.`);
      await load();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  // First load, and again whenever "show archived" changes.
  useEffect(() => {
    void load();
  }, [withArchived]);

  const setArchived = async (s: SessionView, archived: boolean) => {
    setMessage(null);
    try {
      await api.post(`/api/clients/${enc(s.client)}/sessions/${enc(s.session)}/archive`, {
        archived,
        worker: currentWorker() ?? 'unknown',
      });
      setMessage(
        archived
          ? `Session ${s.session} archived. Tick "show archived" to see it again; nothing was deleted.`
          : `Session ${s.session} is back in the list.`,
      );
      await load();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  const release = async () => {
    if (!releasing) return;
    // The server waits this long before it seals the released station's journal, so that station
    // sees the release first and every scan it confirmed is kept (docs/sessions-and-leases.md).
    const waitS = Math.ceil(sealMarginMs(props.info.locking.staleMs) / 1000);
    setReleaseWait(
      `Releasing: waiting about ${waitS} s so station ${releasing.list.holder?.station ?? 'unknown'} sees the release before its last scans are sealed…`,
    );
    try {
      await api.post(
        `/api/clients/${enc(releasing.client)}/sessions/${enc(releasing.session)}/lists/${enc(releasing.list.name)}/release?worker=${enc(currentWorker() ?? '')}`,
        { confirm: true, reason },
      );
      setMessage(`${releasing.list.name} released. The station that held it has stopped saving.`);
      setReleasing(null);
      setReason('');
      await load();
    } catch (e) {
      setMessage((e as ApiError).message);
    } finally {
      setReleaseWait(null);
    }
  };

  // A prepared session with no list (no order can ship) still needs the shift lead: it counts as open.
  const shown = (sessions ?? []).filter(
    (s) => filter === 'all' || s.lists.length === 0 || s.lists.some((l) => l.state !== 'completed'),
  );
  return (
    <section class="sessions" data-testid="sessions">
      <div class="toolbar">
        <h1>Sessions</h1>
        <label>
          <input
            type="checkbox"
            checked={filter === 'all'}
            onChange={(e) => setFilter((e.target as HTMLInputElement).checked ? 'all' : 'open')}
          />{' '}
          show completed
        </label>
        <label>
          <input
            type="checkbox"
            checked={withArchived}
            data-testid="show-archived"
            onChange={(e) => setWithArchived((e.target as HTMLInputElement).checked)}
          />{' '}
          show archived
        </label>
        <span class="spacer" />
        <label class="upload">
          New session for{' '}
          <select
            value={uploadClient}
            onChange={(e) => setUploadClient((e.target as HTMLSelectElement).value)}
          >
            {clients.map((c) => (
              <option value={c.client_id}>{c.client_id}</option>
            ))}
          </select>{' '}
          from packing list:{' '}
          <input
            type="file"
            accept=".csv,.xlsx,.json"
            disabled={uploadClient === ''}
            data-testid="upload-list"
            onChange={(e) => {
              const f = (e.target as HTMLInputElement).files?.[0];
              if (f) void upload(f);
              (e.target as HTMLInputElement).value = '';
            }}
          />
        </label>
      </div>
      {message && (
        <div class="notice" data-testid="notice">
          {message} <button onClick={() => setMessage(null)}>OK</button>
        </div>
      )}
      {releasing && (
        <div class="dialog" role="dialog" data-testid="release-dialog">
          <h2>Force release {releasing.list.name}?</h2>
          <p>
            {releasing.list.holder ? (
              <>
                Station <strong>{releasing.list.holder.station}</strong> ({releasing.list.holder.worker})
                holds it; last heartbeat {ageText(releasing.list.holder.heartbeat_age_ms)} ago. It will stop
                saving at once.
              </>
            ) : (
              'The station holding it will stop saving at once.'
            )}
          </p>
          <label>
            Reason (kept in the audit record){' '}
            <input
              value={reason}
              onInput={(e) => setReason((e.target as HTMLInputElement).value)}
              data-testid="release-reason"
            />
          </label>
          {releaseWait && (
            <p class="progress" data-testid="release-wait">
              {releaseWait}
            </p>
          )}
          <div class="actions">
            <button
              class="warn"
              disabled={reason.trim() === '' || releaseWait !== null}
              onClick={() => void release()}
              data-testid="release-confirm"
            >
              Release the list
            </button>
            <button onClick={() => setReleasing(null)}>Cancel</button>
          </div>
        </div>
      )}
      {sessions === null ? (
        <p>Loading sessions…</p>
      ) : shown.length === 0 ? (
        <p>No sessions{filter === 'open' ? ' with work left' : ''}. Upload a packing list to create one.</p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>Client / session</th>
              <th>List</th>
              <th>State</th>
              <th>Station · worker · heartbeat</th>
              <th class="num">Progress</th>
              <th>Courier deadline</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.flatMap((s) =>
              s.lists.length === 0
                ? [
                    [
                      <tr data-testid={`session-${s.session}`} class="no-lists">
                        <td>
                          <SessionHead session={s} onArchive={(a) => void setArchived(s, a)} />
                        </td>
                        <td colSpan={6} class="muted" data-testid="no-lists">
                          No packing list: no order of this session can ship yet. Open the analysis to release
                          or change orders.
                        </td>
                      </tr>,
                    ],
                  ]
                : s.lists.map((l, i) => {
                    const left = l.orders_total - l.orders_done;
                    const d = configs[s.client]
                      ? deadlineView(l.name, configs[s.client]!.courier_deadlines, left, now)
                      : null;
                    const params = { client: s.client, session: s.session, list: l.name };
                    const mine = l.holder?.station === props.station;
                    const overviewKey = `${s.client}/${s.session}/${l.name}`;
                    return [
                      <tr data-testid={`list-${s.session}-${l.name}`} class={`state-${l.state}`}>
                        <td>
                          {i === 0 && <SessionHead session={s} onArchive={(a) => void setArchived(s, a)} />}
                        </td>
                        <td class="list-name">{l.name}</td>
                        <td>
                          <span class={`badge badge-${l.state}`} data-testid="state">
                            {STATE_LABEL[l.state]}
                          </span>
                        </td>
                        <td>
                          {l.holder
                            ? `${l.holder.station} · ${l.holder.worker} · ${ageText(l.holder.heartbeat_age_ms)} ago`
                            : '—'}
                        </td>
                        <td class="num">
                          {l.orders_done}/{l.orders_total} orders
                          <div class="bar">
                            <div
                              style={{
                                width: `${l.orders_total ? (100 * l.orders_done) / l.orders_total : 0}%`,
                              }}
                            />
                          </div>
                        </td>
                        <td>
                          {d && l.state !== 'completed' ? (
                            <span
                              class={d.remainingMs < 0 ? 'late' : d.remainingMs < 3_600_000 ? 'soon' : ''}
                            >
                              {d.courier}: {formatCountdown(d.remainingMs)}
                              {d.paceNeeded !== null && <> · needs {d.paceNeeded} orders/h</>}
                            </span>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td>
                          <div class="row-actions">
                            {(l.state === 'not_started' || l.state === 'paused') && (
                              <button onClick={() => go('pack', params)}>
                                {l.state === 'paused' ? 'Resume' : 'Open'}
                              </button>
                            )}
                            {l.state === 'active' && mine && (
                              <button onClick={() => go('pack', params)}>Go to station</button>
                            )}
                            {l.state === 'stale' && (
                              <button class="warn" onClick={() => go('pack', { ...params, takeover: '1' })}>
                                Take over
                              </button>
                            )}
                            {(l.state === 'active' || l.state === 'stale') && (
                              <button
                                class="danger"
                                onClick={() =>
                                  setReleasing({ client: s.client, session: s.session, list: l })
                                }
                              >
                                Force release…
                              </button>
                            )}
                            <a
                              class="button"
                              href={`/api/clients/${enc(s.client)}/sessions/${enc(s.session)}/lists/${enc(l.name)}/report`}
                              download
                              title="packing_completed.xlsx: every order with its status and completion time"
                            >
                              Report
                            </a>
                            <a
                              class="button"
                              href={`/api/clients/${enc(s.client)}/sessions/${enc(s.session)}/lists/${enc(l.name)}/report?file=summary`}
                              download
                              title="session_summary.json: orders and items per hour, time per order, corrections, per worker"
                            >
                              Summary
                            </a>
                            <LabelsButton client={s.client} session={s.session} list={l.name} />
                            <button
                              data-testid="orders-button"
                              onClick={() => setOverviewOf(overviewOf === overviewKey ? null : overviewKey)}
                            >
                              {overviewOf === overviewKey ? 'Hide orders' : 'Orders'}
                            </button>
                          </div>
                        </td>
                      </tr>,
                      overviewOf === overviewKey && (
                        <tr class="overview-row">
                          <td colSpan={7}>
                            <ListOverviewPanel
                              client={s.client}
                              session={s.session}
                              list={l.name}
                              version={`${l.orders_done}/${l.items_done}/${l.state}`}
                              onClose={() => setOverviewOf(null)}
                            />
                          </td>
                        </tr>
                      ),
                    ];
                  }),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
