// Stats dashboard: orders and items per hour, per worker, per day, over-scans and unknown scans, and
// a live view of every station holding a list.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { onLive } from '../live.js';
import { withLiveProgress } from '../live-progress.js';
import type { SessionView, SittingRecord, StationState } from '../types.js';
import { BarChart } from './bar-chart.js';
import type { ApiAnswer } from '../../contract/index.js';

type StatsAnswer = ApiAnswer<'GET /api/stats'>;

/** Orders and items by hour of day, each sitting counted at the hour it started (local time). */
function byHour(records: SittingRecord[]): { labels: string[]; orders: number[]; items: number[] } {
  const orders = new Array<number>(24).fill(0);
  const items = new Array<number>(24).fill(0);
  for (const r of records) {
    const h = new Date(r.started_at).getHours();
    orders[h]! += r.orders_completed;
    items[h]! += r.items_packed;
  }
  const used = orders.map((o, h) => o + items[h]! > 0);
  const first = Math.max(0, used.indexOf(true));
  const last = Math.max(first, used.lastIndexOf(true));
  const hours = used.includes(true) ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : [];
  return {
    labels: hours.map((h) => `${String(h).padStart(2, '0')}:00`),
    orders: hours.map((h) => orders[h]!),
    items: hours.map((h) => items[h]!),
  };
}

export function DashboardPage() {
  const [stats, setStats] = useState<StatsAnswer | null>(null);
  const [active, setActive] = useState<Array<{ s: SessionView; l: SessionView['lists'][number] }>>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const loadLive = () =>
    Promise.all([
      api.get<{ sessions: SessionView[] }>('/api/sessions'),
      api.get<{ stations: StationState[] }>('/api/stations'),
    ]).then(([r, st]) =>
      setActive(
        withLiveProgress(r.sessions, st.stations).flatMap((s) =>
          s.lists.filter((l) => l.state === 'active' || l.state === 'stale').map((l) => ({ s, l })),
        ),
      ),
    );
  useEffect(() => {
    api.get<StatsAnswer>('/api/stats').then(setStats, (e: Error) => setProblem(e.message));
    void loadLive();
    const timer = setInterval(() => void loadLive(), 5_000);
    const off = onLive((type) => {
      if (type === 'station' || type === 'lease' || type === 'sessions_changed') void loadLive();
    });
    return () => {
      clearInterval(timer);
      off();
    };
  }, []);
  const hours = byHour(stats?.records ?? []);
  const workers = Object.entries(stats?.report.by_worker ?? {});
  const days = Object.entries(stats?.report.by_day ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const t = stats?.report.totals;
  return (
    <section class="dashboard" data-testid="dashboard">
      <h1>Stats</h1>
      {problem && <p class="problem">{problem}</p>}
      {stats && stats.damaged.length > 0 && (
        <p class="problem">{stats.damaged.length} stats record(s) could not be read and are not counted.</p>
      )}
      <div class="live-stations">
        <h2>Stations now</h2>
        {active.length === 0 ? (
          <p class="muted">No station is packing right now.</p>
        ) : (
          <div class="station-cards">
            {active.map(({ s, l }) => (
              <div class={`station-card state-${l.state}`} data-testid="station-card">
                <strong>{l.holder?.station ?? '?'}</strong>
                <span>{l.holder?.worker ?? ''}</span>
                <span>
                  {s.client} · {l.name}
                </span>
                <span>
                  {l.orders_done}/{l.orders_total} orders
                </span>
                <span class={`badge badge-${l.state}`}>{l.state === 'stale' ? 'Stale' : 'Active'}</span>
              </div>
            ))}
          </div>
        )}
      </div>
      {t && (
        <div class="totals">
          <div>
            <b>{t.orders_completed}</b> orders
          </div>
          <div>
            <b>{t.items_packed}</b> items
          </div>
          <div>
            <b>{t.overscans}</b> over-scans
          </div>
          <div>
            <b>{t.unknowns}</b> unknown scans
          </div>
          <div>
            <b>{t.wrong_items}</b> wrong items
          </div>
        </div>
      )}
      <div class="charts">
        <BarChart
          testid="chart-hour"
          title="Orders and items per hour (by sitting start)"
          labels={hours.labels}
          series={[
            { name: 'orders', color: '#1d5fbf', values: hours.orders },
            { name: 'items', color: '#7bb3f0', values: hours.items },
          ]}
        />
        <BarChart
          testid="chart-worker"
          title="Orders and items per worker"
          labels={workers.map(([w]) => w)}
          series={[
            { name: 'orders', color: '#2e7d32', values: workers.map(([, b]) => b.orders_completed) },
            { name: 'items', color: '#8bc34a', values: workers.map(([, b]) => b.items_packed) },
          ]}
        />
        <BarChart
          testid="chart-day"
          title="Orders per day"
          labels={days.map(([d]) => d.slice(5))}
          series={[{ name: 'orders', color: '#6a1b9a', values: days.map(([, b]) => b.orders_completed) }]}
        />
        <BarChart
          testid="chart-errors"
          title="Over-scans and unknown scans per day"
          labels={days.map(([d]) => d.slice(5))}
          series={[
            { name: 'over-scans', color: '#e65100', values: days.map(([, b]) => b.overscans) },
            { name: 'unknown', color: '#8e24aa', values: days.map(([, b]) => b.unknowns) },
          ]}
        />
      </div>
    </section>
  );
}
