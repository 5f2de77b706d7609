// A packing station (DESIGN §5, §6): holds a list's lease, recovers the list's state from its
// journal, and turns each scan or command into an outcome that is answered only after its event is
// durable on the share. Used by `packdesk pack` and by the HTTP server alike.
//
// One input is handled at a time, in arrival order: the engine decides from the state left by the
// previous input. The cost of a scan is the engine's few lookups plus one journal append; snapshots
// are taken every SNAPSHOT_EVERY events and when the sitting ends, off the answer's path.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ConflictError, LeaseLostError } from '../domain/errors.js';
import type { ManualConfirmRule } from '../domain/client-config.js';
import { localTimeText } from '../domain/local-time.js';
import { listTotals } from '../domain/list-metrics.js';
import type { PackingListIndex } from '../domain/packing-list.js';
import { parseStationInput, type StationInput } from '../domain/scan-commands.js';
import { apply, confirmsEnd, decide, type Decision } from '../domain/scan-engine.js';
import type { ScanEvent } from '../domain/scan-events.js';
import { outcome, type OutcomeKind, type StationOutcome } from '../domain/scan-outcomes.js';
import type { ScanState } from '../domain/scan-state.js';
import type { Settings } from '../domain/settings.js';
import type { SittingStart } from '../domain/stats.js';
import { buildSkuLookup, normalizeCode } from '../domain/sku-mapping.js';
import { stationView, type NextOrdersCursor, type StationState } from '../domain/station-view.js';
import type { Layout } from '../store/layout.js';
import { monoNowMs, wallNowIso } from '../store/lease/clock.js';
import type { ListWorkspace } from '../store/list-workspace.js';
import type { Logger } from '../store/logger.js';
import { loadClientConfig } from '../store/profiles.js';
import { loadMappings } from '../store/sku-mappings.js';
import { writeSittingRecord } from '../store/stats-records.js';
import { ProgressPublisher } from './list-progress.js';
import { openList, type LeaseEvent, type OpenListRequest } from './open-list.js';
import { recordEarlierSittings, sittingRecord } from './sittings.js';
import { writeReports } from './reports.js';
import { setMapping } from './sku-mappings.js';

/**
 * Events between two periodic snapshots. Replaying an event costs microseconds, so recovering 5,000
 * of them takes a few tens of milliseconds; writing a snapshot of a 50,000-order list costs a few
 * hundred, and its large write slows the next flushes for a moment. Rare snapshots keep that off the
 * scans' p99; the sitting's end always takes one.
 */
export const SNAPSHOT_EVERY = 5_000;
/** How often an open list looks for barcode mappings added at other stations. */
const MAPPING_REFRESH_MS = 2_000;

export interface StationDeps {
  layout: Layout;
  settings: Settings;
  logger: Logger;
}

export type { StationOutcome };

export class PackingStation extends EventEmitter<{ lease: [LeaseEvent] }> {
  private queue: Promise<unknown> = Promise.resolve();
  private lostMessage: string | null = null;
  private ended = false;
  private closed = false;
  private eventsSinceSnapshot = 0;
  private skuLookup: ReadonlyMap<string, string> = new Map();
  private mappingRevision = -1;
  private mappingTimer: NodeJS.Timeout | null = null;
  private readonly answers = new Map<string, StationOutcome>();
  private readonly progress: ProgressPublisher;
  /** When this sitting began on the monotonic clock: its length, whatever the wall clock does. */
  private readonly startedMono = monoNowMs();
  /** The kind of the last answer, so a second !END right after "end the list anyway?" ends it. */
  private lastKind: OutcomeKind | null = null;
  /** The unknown barcode the last input recorded, which !MAP may map to a line of the open order. */
  private lastUnknown: { order: string; code: string } | null = null;
  /** The last answer shown to the packer (a lost lease is shown as the lease's state instead). */
  private lastAnswer: StationOutcome | null = null;
  private readonly nextOrders: NextOrdersCursor = { doneBefore: 0 };
  /** How the station let go of the list, once its lease is released: what its view shows. */
  private letGo: 'ended' | 'closed' | null = null;

  private constructor(
    private readonly deps: StationDeps,
    private readonly workspace: ListWorkspace,
    private readonly index: PackingListIndex,
    private readonly state: ScanState,
    private readonly knownEventIds: Map<string, number>,
    private readonly sitting: SittingStart,
    private allowForceComplete: boolean,
    private manualConfirm: ManualConfirmRule,
    private mapUnknown: boolean,
    readonly station: string,
    readonly worker: string,
  ) {
    super();
    this.progress = new ProgressPublisher(deps.layout, workspace.client, deps.logger, () => ({
      session: workspace.session,
      list: workspace.list,
      seq: workspace.seq,
      orders_done: state.completed_orders,
      items_done: state.packed_items,
    }));
  }

  /**
   * Opens a list at this station. A list that was ended opens only with `reopen` (the packer said so),
   * and its reopening is an event in the journal: who, where, when.
   */
  static async open(
    deps: StationDeps,
    req: OpenListRequest & { reopen?: boolean },
    onLease?: (e: LeaseEvent) => void,
  ): Promise<PackingStation> {
    const events: LeaseEvent[] = [];
    let station: PackingStation | null = null;
    // A take-over's wait before sealing is told at once (the opener is still waiting); the rest once open.
    const forward = (e: LeaseEvent) =>
      station ? station.onLeaseEvent(e) : e.event === 'sealing' ? onLease?.(e) : events.push(e);
    const workspace = await openList(deps, req, forward);
    let endedRefusal = false;
    try {
      const recovered = await workspace.recover();
      const { state } = recovered;
      for (const note of recovered.notes)
        deps.logger.warn({ list: workspace.list, note }, 'journal recovery');
      if (state.ended_at !== null && req.reopen !== true) {
        // Let go of it as it was found: still ended.
        endedRefusal = true;
        throw new ConflictError(
          `Packing list ${workspace.list} was ended (${localTimeText(state.ended_at)}): ${state.completed_orders} of ${state.index.totalOrders} orders done. Reopen it to pack more.`,
          { list: workspace.list, ended: true, ended_at: state.ended_at },
        );
      }

      await recordEarlierSittings(deps.layout, workspace.ids, recovered.earlierSittings, state);
      const sitting: SittingStart = {
        epoch: workspace.epoch,
        station: req.station,
        worker: req.worker,
        started_at: wallNowIso(),
        totals: listTotals(state),
      };
      await workspace.writeSittingStart(sitting);

      const config = await loadClientConfig(deps.layout, workspace.client);
      station = new PackingStation(
        deps,
        workspace,
        recovered.index,
        state,
        recovered.eventIds,
        sitting,
        config.value.packing_rules.allow_force_complete,
        config.value.packing_rules.manual_confirm,
        config.value.packing_rules.map_unknown_barcodes,
        req.station,
        req.worker,
      );
      if (onLease) station.on('lease', onLease);
      for (const e of events) station.onLeaseEvent(e);
      if (state.ended_at !== null)
        await station.record(randomUUID(), 'list_reopened', { ended_at: state.ended_at });
      await station.refreshMappings();
      station.mappingTimer = setInterval(
        () => void station!.refreshMappings().catch(() => {}),
        MAPPING_REFRESH_MS,
      ).unref();
      return station;
    } catch (err) {
      await workspace.release({ completed: endedRefusal }).catch(() => {});
      throw err;
    }
  }

  /** Appends one event the station makes itself (not a packer's input) and applies it. */
  private async record(id: string, type: 'list_reopened', data: { ended_at: string | null }): Promise<void> {
    const event: ScanEvent = { id, at: wallNowIso(), station: this.station, worker: this.worker, type, data };
    this.applied(event, await this.workspace.append(event));
  }

  /** Applies an event the journal holds now (record `seq`). */
  private applied(event: ScanEvent, seq: number): void {
    apply(this.state, event);
    this.knownEventIds.set(event.id, seq);
    this.eventsSinceSnapshot++;
  }

  get client(): string {
    return this.workspace.client;
  }
  get session(): string {
    return this.workspace.session;
  }
  get list(): string {
    return this.workspace.list;
  }
  get epoch(): number {
    return this.workspace.epoch;
  }
  /** The client's packing rules this station applies (read when the list was opened). */
  get rules(): {
    allow_force_complete: boolean;
    manual_confirm: ManualConfirmRule;
    map_unknown_barcodes: boolean;
  } {
    return {
      allow_force_complete: this.allowForceComplete,
      manual_confirm: this.manualConfirm,
      map_unknown_barcodes: this.mapUnknown,
    };
  }
  /** Whether the station still holds its list: not lost, not released. */
  get holding(): boolean {
    return this.lostMessage === null && this.letGo === null;
  }
  /**
   * The list's state as this station holds it, for read-only overviews of a held list
   * (app/list-overview.ts); what the station shows is view().
   */
  get liveState(): Readonly<ScanState> {
    return this.state;
  }

  private onLeaseEvent(e: LeaseEvent): void {
    if (e.event === 'lost') this.lostMessage = e.message;
    if (e.event === 'released') this.letGo = e.completed ? 'ended' : 'closed';
    this.emit('lease', e);
  }

  private async refreshMappings(): Promise<void> {
    const loaded = await loadMappings(this.deps.layout, this.client);
    if (loaded.value.revision !== this.mappingRevision) {
      this.skuLookup = buildSkuLookup(loaded.value.mappings);
      this.mappingRevision = loaded.value.revision;
    }
  }

  /**
   * Handles one line from a scanner, keyboard or button. `eventId` is made by the caller before the
   * first attempt; sending the same id again (a retry after a timeout) never applies it twice.
   */
  handle(text: string, eventId: string = randomUUID()): Promise<StationOutcome | null> {
    const run = this.queue.then(async () => {
      const answer = await this.handleNow(text, eventId);
      if (answer && answer.kind !== 'lease_lost') this.lastAnswer = answer;
      // An order reopened: the orders to scan next are looked for from the start again.
      if (answer?.kind === 'reopened') this.nextOrders.doneBefore = 0;
      return answer;
    });
    // A snapshot that is due is taken after the answer is out, before the next input is handled.
    this.queue = run.catch(() => {}).then(() => this.snapshotIfDue());
    return run;
  }

  private async handleNow(text: string, eventId: string): Promise<StationOutcome | null> {
    const earlier = this.answers.get(eventId);
    if (earlier) return earlier;
    if (this.knownEventIds.has(eventId)) {
      return { ...outcome('item_ok', 'This scan was already recorded.'), kind: 'duplicate' };
    }
    if (this.lostMessage) return { ...outcome('item_ok', this.lostMessage), kind: 'lease_lost' };
    if (this.ended)
      return { ...outcome('ended', 'This list was ended at this station; open it again to continue.') };
    const input = parseStationInput(text);
    if (!input) return null;
    if (input.kind === 'map') return this.mapUnknownBarcode(input.sku, eventId);

    const at = wallNowIso();
    const endConfirmed = confirmsEnd(this.lastKind, input);
    let decision = this.decide(input, eventId, at, endConfirmed);
    if (
      decision.event &&
      (decision.event.type === 'unknown_barcode' || decision.event.type === 'wrong_item')
    ) {
      // A barcode mapped a moment ago at another station: look once more before calling it wrong.
      const before = this.mappingRevision;
      await this.refreshMappings().catch(() => {});
      if (this.mappingRevision !== before) decision = this.decide(input, eventId, at, endConfirmed);
    }

    if (decision.event) {
      const lost = await this.commit(decision.event);
      if (lost) return lost;
    }
    return this.answered(eventId, decision);
  }

  /** The scan engine's decision on one input, with this station's mappings and rules. */
  private decide(input: StationInput, id: string, at: string, endConfirmed = false): Decision {
    return decide(this.state, input, {
      id,
      at,
      station: this.station,
      worker: this.worker,
      skuLookup: this.skuLookup,
      allowForceComplete: this.allowForceComplete,
      manualConfirm: this.manualConfirm,
      endConfirmed,
      formatTime: localTimeText,
    });
  }

  /** Makes an event durable in the journal, then applies it; the lease-lost answer when it could not be. */
  private async commit(event: ScanEvent): Promise<StationOutcome | null> {
    let seq: number;
    try {
      seq = await this.workspace.append(event);
    } catch (err) {
      if (err instanceof LeaseLostError) {
        this.lostMessage = err.message;
        return { ...outcome('item_ok', err.message), kind: 'lease_lost' };
      }
      throw err;
    }
    this.applied(event, seq);
    this.lastUnknown =
      event.type === 'unknown_barcode' ? { order: event.data.order, code: event.data.code } : null;
    return null;
  }

  private async answered(eventId: string, decision: Decision): Promise<StationOutcome> {
    const answer: StationOutcome = decision.outcome;
    this.lastKind = decision.outcome.kind;
    this.rememberAnswer(eventId, answer);
    if (
      answer.kind === 'order_complete' ||
      answer.kind === 'order_complete_manual' ||
      answer.kind === 'force_completed'
    )
      this.progress.publish();
    if (answer.kind === 'ended' && decision.event) await this.finish('end');
    return answer;
  }

  /**
   * Maps the unknown barcode just scanned to a line of the open order, through the client's locked
   * mapping file (so every station learns it as it learns any mapping, with this worker and station
   * as its updated_by), records that in the journal, and then counts the scan it was.
   */
  private async mapUnknownBarcode(skuText: string, eventId: string): Promise<StationOutcome> {
    const refuse = (message: string) =>
      this.answered(eventId, { event: null, outcome: outcome('map_refused', message) });
    if (!this.mapUnknown)
      return refuse(
        'This client does not let stations map new barcodes. Put the item aside and ask a shift lead to map its barcode on the Clients & mappings page.',
      );
    const last = this.lastUnknown;
    const open = this.state.current ? this.index.byKey.get(this.state.current) : undefined;
    if (!last || !open || open.key !== last.order)
      return refuse('Scan the item with the unknown barcode first, then map it to a line of the open order.');
    const line = open.skus.get(normalizeCode(skuText));
    if (!line)
      return refuse(
        `${skuText} is not a line of order ${open.order.order_number}; its lines: ${[...open.skus.values()].map((s) => s.sku).join(', ')}.`,
      );
    await setMapping(
      {
        layout: this.deps.layout,
        settings: this.deps.settings,
        station: `${this.worker} at ${this.station}`,
      },
      this.client,
      last.code,
      line.sku,
    );
    const mapped: ScanEvent = {
      id: eventId,
      at: wallNowIso(),
      station: this.station,
      worker: this.worker,
      type: 'barcode_mapped',
      data: { order: open.key, code: last.code, sku: line.key },
    };
    const lost = await this.commit(mapped);
    if (lost) return lost;
    await this.refreshMappings();
    // The scan the barcode was now counts, as a scan of its line (its own event, so undo takes it back).
    const decision = this.decide({ kind: 'scan', text: last.code }, `${eventId}.scan`, wallNowIso());
    if (decision.event) {
      const lostScan = await this.commit(decision.event);
      if (lostScan) return lostScan;
    }
    const note = `Barcode ${last.code} is now ${line.sku} at every station. `;
    return this.answered(eventId, {
      ...decision,
      outcome: { ...decision.outcome, message: note + decision.outcome.message },
    });
  }

  private rememberAnswer(eventId: string, answer: StationOutcome): void {
    this.answers.set(eventId, answer);
    if (this.answers.size > 1_000) this.answers.delete(this.answers.keys().next().value!);
  }

  private async snapshotIfDue(): Promise<void> {
    if (this.eventsSinceSnapshot < SNAPSHOT_EVERY || this.closed || this.lostMessage) return;
    this.eventsSinceSnapshot = 0;
    // Let the answer that made it due reach the packer first (its reply is written on this turn).
    await new Promise((resolve) => setImmediate(resolve));
    // Serialised now, inside the input queue, so it matches the journal position; written to disk
    // while the packer keeps scanning, without a flush of its own: it only shortens recovery, and a
    // snapshot cut short by a power failure is recognised and an older one used.
    const pending = this.workspace.snapshot(this.state, wallNowIso(), { sync: false });
    pending.catch((err) =>
      this.deps.logger.warn({ err }, 'snapshot not written; the journal still has every event'),
    );
  }

  /** What the station shows: lease, open order, progress, what to scan next, the last answer. */
  view(): StationState {
    return stationView(
      {
        station: this.station,
        worker: this.worker,
        client: this.client,
        session: this.session,
        list: this.list,
        epoch: this.epoch,
        lost: this.lostMessage,
        closed: this.letGo !== null,
        ended: this.letGo === 'ended',
        rules: this.rules,
        last: this.lastAnswer,
      },
      this.state,
      this.nextOrders,
    );
  }

  /**
   * Ends the sitting: reports, statistics record, lease released (`end`: the list is completed;
   * `close`: paused). Runs inside the input queue, so no scan is handled half-way through it.
   */
  private async finish(how: 'end' | 'close'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.progress.stop();
    this.ended = how === 'end';
    if (this.mappingTimer) clearInterval(this.mappingTimer);
    if (this.lostMessage) return;
    const endedAt = wallNowIso();
    try {
      await this.workspace.snapshot(this.state, endedAt);
      await this.progress.write();
      if (how === 'end')
        await writeReports(
          this.deps.layout,
          { client: this.client, session: this.session, list: this.list },
          this.state,
          endedAt,
        );
      const ids = { client: this.client, session: this.session, list: this.list };
      const record = sittingRecord(
        ids,
        this.sitting,
        listTotals(this.state, endedAt),
        endedAt,
        how,
        monoNowMs() - this.startedMono,
      );
      await writeSittingRecord(this.deps.layout, record);
    } catch (err) {
      if (err instanceof LeaseLostError) return;
      // The journal has every event; what failed (a report, the statistics record) is written again
      // from it later (the next opening records a sitting that has no record). Holding the list on
      // would only stop every other station until the TTL, so it is released and the error reported.
      await this.workspace.release({ completed: how === 'end' }).catch(() => {});
      throw err;
    }
    await this.workspace.release({ completed: how === 'end' });
  }

  /** Stops holding the list for a station that is gone (see ListLease.abandon). */
  abandon(silentMs: number): void {
    this.workspace.abandon(silentMs);
  }

  /** Leaves the list paused and releases it (end of input, Ctrl+C, the station closing), after any input in hand. */
  close(): Promise<void> {
    const run = this.queue.then(() => this.finish('close'));
    this.queue = run.catch(() => {});
    return run;
  }
}
