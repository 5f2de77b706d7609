// The packing stations this server runs for its browsers, one per station name (each browser is a
// station, DESIGN §1.3). The station, not the server, holds the lease and the journal; this only
// keeps it open between requests and tells browsers about lease changes and the station's view.
import { PackingStation } from '../app/packing-station.js';
import type { LeaseEvent } from '../app/open-list.js';
import { ConflictError, LeaseLostError, NotFoundError } from '../domain/errors.js';
import { monoNowMs } from '../app/station-context.js';
import type { ScanState } from '../domain/scan-state.js';
import type { ServerContext } from './context.js';
import type { StationOutcomeView, StationState } from '../contract/station.js';

interface Entry {
  station: PackingStation;
  /** The browser tab that opened it (null for API callers that do not say). */
  tab: string | null;
  /** Monotonic time of this station's last request: its browser's last sign of life. */
  seen: number;
}

export interface OpenRequest {
  client: string;
  session: string;
  list: string;
  worker: string;
  takeOver: boolean;
  tab: string | null;
  reopen: boolean;
}

/** The registry of each server, so other routes can read a list's live state (the overview). */
const registries = new WeakMap<ServerContext, StationRegistry>();

/** The current view of every station of this server: what a browser gets when it (re)connects. */
export function currentStationViews(ctx: ServerContext): StationState[] {
  return registries.get(ctx)?.all() ?? [];
}

/** The scan state of a list a station of this server holds now, or null. Read only. */
export function heldListState(
  ctx: ServerContext,
  ids: { client: string; session: string; list: string },
): ScanState | null {
  return registries.get(ctx)?.heldState(ids) ?? null;
}

export class StationRegistry {
  private readonly entries = new Map<string, Entry>();
  /** One open/close at a time per station name: a double click must not open a list twice. */
  private readonly busy = new Map<string, Promise<unknown>>();

  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ctx: ServerContext) {
    registries.set(ctx, this);
    // A browser station holds its list only while it shows signs of life (DESIGN §4.10): one that
    // sent nothing for a TTL (tab closed, tablet asleep) stops being heartbeated, so its lease goes
    // stale and another station can take over; an open page pings, idle or not.
    const ttl = ctx.settings.locking.staleMs;
    this.sweeper = setInterval(() => this.abandonSilent(ttl), Math.max(50, Math.min(1_000, ttl / 4))).unref();
    ctx.onClose(async () => {
      clearInterval(this.sweeper);
      await this.closeAll();
    });
  }

  private abandonSilent(ttl: number): void {
    const now = monoNowMs();
    for (const entry of this.entries.values()) {
      if (!entry.station.holding) continue;
      if (now - entry.seen > ttl) entry.station.abandon(now - entry.seen);
    }
  }

  /**
   * A request from `tab` for station `name`: a sign of life, unless another tab of the same browser
   * (same station name) holds the station's list, which is then refused instead of mixed up.
   */
  touch(name: string, tab: string | null): Entry {
    const entry = this.get(name);
    if (tab !== null && entry.tab !== null && entry.tab !== tab && entry.station.holding)
      throw new ConflictError(
        `Packing list ${entry.station.list} is open in another tab of this browser (station ${name}). Pack in that tab, or close it first.`,
        { station: name, reason: 'other_tab' },
      );
    entry.seen = monoNowMs();
    return entry;
  }

  /** A page's periodic sign of life while it shows the station. */
  alive(name: string, tab: string | null): StationState {
    return this.touch(name, tab).station.view();
  }

  private serial<T>(name: string, work: () => Promise<T>): Promise<T> {
    const run = (this.busy.get(name) ?? Promise.resolve()).then(work, work);
    this.busy.set(
      name,
      run.catch(() => {}),
    );
    return run;
  }

  get(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry)
      throw new NotFoundError(
        `Station ${name} has no packing list open. Open one from the session browser.`,
        { station: name },
      );
    return entry;
  }

  state(name: string): StationState {
    return this.get(name).station.view();
  }

  heldState(ids: { client: string; session: string; list: string }): ScanState | null {
    for (const entry of this.entries.values()) {
      const s = entry.station;
      if (s.holding && s.client === ids.client && s.session === ids.session && s.list === ids.list)
        return s.liveState;
    }
    return null;
  }

  all(): StationState[] {
    return [...this.entries.values()].map((entry) => entry.station.view());
  }

  open(name: string, req: OpenRequest): Promise<StationState> {
    return this.serial(name, async () => {
      const existing = this.entries.get(name);
      if (existing) {
        const v = existing.station;
        // Another tab of this browser already packs here: it keeps its list, this tab is told so.
        // A tab that went quiet for a few pings is taken to be closed.
        const otherTabAlive =
          req.tab !== null &&
          existing.tab !== null &&
          existing.tab !== req.tab &&
          existing.station.holding &&
          monoNowMs() - existing.seen < 3 * this.ctx.settings.locking.heartbeatMs;
        if (otherTabAlive)
          throw new ConflictError(
            `Packing list ${v.list} is already open at this station in another tab of this browser. Pack in that tab, or close it first.`,
            { station: name, reason: 'other_tab' },
          );
        // A reload of the same page: the station already holds this list for this worker.
        if (
          existing.station.holding &&
          v.client === req.client &&
          v.session === req.session &&
          v.list === req.list &&
          v.worker === req.worker
        ) {
          existing.seen = monoNowMs();
          existing.tab = req.tab ?? existing.tab;
          return v.view();
        }
        await this.closeEntry(name, existing);
      }
      const onLease = (e: LeaseEvent) => {
        this.ctx.live.publish({
          type: 'lease',
          station: name,
          lease: { type: e.event, epoch: e.epoch, ...('message' in e ? { message: e.message } : {}) },
        });
        this.ctx.live.publish({ type: 'sessions_changed', client: req.client });
      };
      const station = await PackingStation.open(
        { layout: this.ctx.layout, settings: this.ctx.settings, logger: this.ctx.logger },
        {
          client: req.client,
          session: req.session,
          list: req.list,
          station: name,
          worker: req.worker,
          takeOver: req.takeOver,
          reopen: req.reopen,
        },
        onLease,
      );
      // Opening can take a lease time and more (a take-over watches the old holder for one TTL): the
      // page's sign of life is the answer it is about to get, not the moment it asked.
      this.entries.set(name, { station, tab: req.tab, seen: monoNowMs() });
      const state = station.view();
      this.ctx.live.publish({ type: 'station', station: name, view: state });
      this.ctx.live.publish({ type: 'sessions_changed', client: req.client });
      return state;
    });
  }

  async scan(
    name: string,
    text: string,
    eventId: string,
    tab: string | null = null,
  ): Promise<{ outcome: StationOutcomeView | null; state: StationState }> {
    const entry = this.touch(name, tab);
    const outcome = await entry.station.handle(text, eventId);
    if (outcome?.kind === 'lease_lost') {
      // LEASE_LOST, not a generic conflict: the page shows it in its band on this very answer.
      throw new LeaseLostError(outcome.message, { station: name, lease: 'lost' });
    }
    const state = entry.station.view();
    this.ctx.live.publish({ type: 'station', station: name, view: state });
    if (
      outcome?.kind === 'ended' ||
      outcome?.kind === 'order_complete' ||
      outcome?.kind === 'order_complete_manual' ||
      outcome?.kind === 'force_completed'
    )
      this.ctx.live.publish({ type: 'sessions_changed', client: state.client });
    return { outcome, state };
  }

  close(name: string): Promise<void> {
    return this.serial(name, async () => {
      const entry = this.entries.get(name);
      if (entry) await this.closeEntry(name, entry);
    });
  }

  private async closeEntry(name: string, entry: Entry): Promise<void> {
    this.entries.delete(name);
    await entry.station.close();
    this.ctx.live.publish({ type: 'station_closed', station: name });
    this.ctx.live.publish({ type: 'sessions_changed', client: entry.station.client });
  }

  private async closeAll(): Promise<void> {
    await Promise.all([...this.entries].map(([name, entry]) => this.closeEntry(name, entry).catch(() => {})));
  }
}
