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
import { listTotals, type ListTotals } from '../domain/list-metrics.js';
import type { PackingListIndex } from '../domain/packing-list.js';
import { parseStationInput } from '../domain/scan-commands.js';
import { apply, confirmsEnd, decide, type Decision } from '../domain/scan-engine.js';
import { scanEventOf } from '../domain/journal-record.js';
import type { ScanEvent } from '../domain/scan-events.js';
import { outcome, type OutcomeKind, type StationOutcome } from '../domain/scan-outcomes.js';
import {
  createScanState,
  restoreScanState,
  ScanSnapshotSchema,
  snapshotScanState,
  type ScanState,
} from '../domain/scan-state.js';
import type { Settings } from '../domain/settings.js';
import type { SittingStart } from '../domain/stats.js';
import { buildSkuLookup, normalizeCode } from '../domain/sku-mapping.js';
import { JournalAppender, recoverJournal } from '../store/journal.js';
import type { Layout } from '../store/layout.js';
import { monoNowMs, wallNowIso } from '../store/lease/clock.js';
import type { Logger } from '../store/logger.js';
import { loadClientConfig } from '../store/profiles.js';
import { loadMappings } from '../store/sku-mappings.js';
import { writeSittingRecord } from '../store/stats-records.js';
import { appendIndexEvents } from '../store/session-index.js';
import { knownProgress, missingRecordsError } from './journal-completeness.js';
import { loadListIndex } from './load-list.js';
import { ListLease, type LeaseEvent, type OpenListRequest } from './open-list.js';
import { recordEarlierSittings, sittingRecord, sittingStartName } from './sittings.js';
import { writeReports } from './reports.js';
import { setMapping } from './sku-mappings.js';

/**
 * Events between two periodic snapshots. Replaying an event costs microseconds, so recovering 5,000
 * of them takes a few tens of milliseconds; writing a snapshot of a 50,000-order list costs a few
 * hundred, and its large write slows the next flushes for a moment. Rare snapshots keep that off the
 * scans' p99; the sitting's end always takes one.
 */
export const SNAPSHOT_EVERY = 5_000;
/** Least time between two progress publications to the session index. */
const PROGRESS_EVERY_MS = 2_000;
/** How often an open list looks for barcode mappings added at other stations. */
const MAPPING_REFRESH_MS = 2_000;

export interface StationDeps {
  layout: Layout;
  settings: Settings;
  logger: Logger;
}

export type { StationOutcome };

export interface StationView {
  client: string;
  session: string;
  list: string;
  station: string;
  worker: string;
  epoch: number;
  holding: boolean;
  ended: boolean;
  totals: ListTotals;
  current: null | {
    order: string;
    courier: string;
    lines: { sku: string; product_name: string; packed: number; required: number }[];
  };
}

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
  private progressWrite: Promise<void> | null = null;
  private progressDirty = false;
  /** When this sitting began on the monotonic clock: its length, whatever the wall clock does. */
  private readonly startedMono = monoNowMs();
  /** The kind of the last answer, so a second !END right after "end the list anyway?" ends it. */
  private lastKind: OutcomeKind | null = null;
  /** The unknown barcode the last input recorded, which !MAP may map to a line of the open order. */
  private lastUnknown: { order: string; code: string } | null = null;

  private constructor(
    private readonly deps: StationDeps,
    private readonly lease: ListLease,
    private readonly index: PackingListIndex,
    private readonly state: ScanState,
    private readonly journal: JournalAppender,
    private readonly knownEventIds: Map<string, number>,
    private readonly sitting: SittingStart,
    private allowForceComplete: boolean,
    private manualConfirm: ManualConfirmRule,
    private mapUnknown: boolean,
    readonly station: string,
    readonly worker: string,
  ) {
    super();
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
    const forward = (e: LeaseEvent) => (station ? station.onLeaseEvent(e) : events.push(e));
    const lease = await ListLease.open(deps, req, forward);
    let endedRefusal = false;
    try {
      const { index } = await loadListIndex(deps.layout, lease.client, lease.session, lease.list);
      const recovered = await recoverJournal(lease.journalDir, (raw) =>
        restoreScanState(index, ScanSnapshotSchema.parse(raw)),
      );
      const missing = missingRecordsError(
        lease.journalDir,
        lease.list,
        recovered.lastSeq,
        await knownProgress(deps.layout, lease.client, lease.session, lease.list),
      );
      // Packing on top of a shortened journal would make the loss permanent: refuse, say what is missing.
      if (missing) throw missing;
      const state = recovered.snapshot?.state ?? createScanState(index);
      for (const record of recovered.records) apply(state, scanEventOf(record));
      for (const note of recovered.notes) deps.logger.warn({ list: lease.list, note }, 'journal recovery');
      if (state.ended_at !== null && req.reopen !== true) {
        // Let go of it as it was found: still ended.
        endedRefusal = true;
        throw new ConflictError(
          `Packing list ${lease.list} was ended (${localTimeText(state.ended_at)}): ${state.completed_orders} of ${state.index.totalOrders} orders done. Reopen it to pack more.`,
          { list: lease.list, ended: true, ended_at: state.ended_at },
        );
      }

      await recordEarlierSittings(deps.layout, lease, state, recovered.accepted);
      const sitting: SittingStart = {
        epoch: lease.epoch,
        station: req.station,
        worker: req.worker,
        started_at: wallNowIso(),
        totals: listTotals(state),
      };
      await lease.writeSnapshotFenced(sittingStartName, JSON.stringify(sitting));

      const config = await loadClientConfig(deps.layout, lease.client);
      station = new PackingStation(
        deps,
        lease,
        index,
        state,
        new JournalAppender(lease, recovered.lastSeq),
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
      await lease.release({ completed: endedRefusal }).catch(() => {});
      throw err;
    }
  }

  /** Appends one event the station makes itself (not a packer's input) and applies it. */
  private async record(id: string, type: 'list_reopened', data: { ended_at: string | null }): Promise<void> {
    const event: ScanEvent = { id, at: wallNowIso(), station: this.station, worker: this.worker, type, data };
    const { at, station, worker, ...body } = event;
    await this.journal.append({ epoch: this.epoch, id, at, station, worker, event: body });
    apply(this.state, event);
    this.knownEventIds.set(id, this.journal.seq);
    this.eventsSinceSnapshot++;
  }

  get client(): string {
    return this.lease.client;
  }
  get session(): string {
    return this.lease.session;
  }
  get list(): string {
    return this.lease.list;
  }
  get epoch(): number {
    return this.lease.epoch;
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
  /** Journal recovery and counts, for tests and reports. */
  get scanState(): ScanState {
    return this.state;
  }

  private onLeaseEvent(e: LeaseEvent): void {
    if (e.event === 'lost') this.lostMessage = e.message;
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
    const run = this.queue.then(() => this.handleNow(text, eventId));
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

    const ctx = {
      id: eventId,
      at: wallNowIso(),
      station: this.station,
      worker: this.worker,
      skuLookup: this.skuLookup,
      allowForceComplete: this.allowForceComplete,
      manualConfirm: this.manualConfirm,
      endConfirmed: confirmsEnd(this.lastKind, input),
      formatTime: localTimeText,
    };
    let decision = decide(this.state, input, ctx);
    if (
      decision.event &&
      (decision.event.type === 'unknown_barcode' || decision.event.type === 'wrong_item')
    ) {
      // A barcode mapped a moment ago at another station: look once more before calling it wrong.
      const before = this.mappingRevision;
      await this.refreshMappings().catch(() => {});
      if (this.mappingRevision !== before)
        decision = decide(this.state, input, { ...ctx, skuLookup: this.skuLookup });
    }

    if (decision.event) {
      const lost = await this.commit(decision.event);
      if (lost) return lost;
    }
    return this.answered(eventId, decision);
  }

  /** Makes an event durable in the journal, then applies it; the lease-lost answer when it could not be. */
  private async commit(event: ScanEvent): Promise<StationOutcome | null> {
    const { id, at, station, worker, ...body } = event;
    try {
      await this.journal.append({ epoch: this.epoch, id, at, station, worker, event: body });
    } catch (err) {
      if (err instanceof LeaseLostError) {
        this.lostMessage = err.message;
        return { ...outcome('item_ok', err.message), kind: 'lease_lost' };
      }
      throw err;
    }
    apply(this.state, event);
    this.knownEventIds.set(id, this.journal.seq);
    this.eventsSinceSnapshot++;
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
      this.publishProgress();
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
    const decision = decide(
      this.state,
      { kind: 'scan', text: last.code },
      {
        id: `${eventId}.scan`,
        at: wallNowIso(),
        station: this.station,
        worker: this.worker,
        skuLookup: this.skuLookup,
        allowForceComplete: this.allowForceComplete,
        manualConfirm: this.manualConfirm,
        formatTime: localTimeText,
      },
    );
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

  /**
   * Tells the session index how far the list is, for listings that must not open every list's journal.
   * Off the answer's path; writes coalesce, and the newest journal position wins in the index.
   */
  private progressEvent() {
    return {
      type: 'progress' as const,
      session: this.session,
      list: this.list,
      seq: this.journal.seq,
      orders_done: this.state.completed_orders,
      items_done: this.state.packed_items,
    };
  }

  private publishProgress(): void {
    if (this.progressWrite) {
      this.progressDirty = true;
      return;
    }
    this.progressWrite = appendIndexEvents(this.deps.layout, this.client, [this.progressEvent()])
      .catch((err) => this.deps.logger.warn({ err }, 'progress not published to the session index'))
      // At most one publication per PROGRESS_EVERY_MS: a fast packer must not turn the index into a
      // second journal, and its writes must not compete with the scans' own flushes.
      .then(() =>
        this.closed
          ? undefined
          : new Promise<void>((resolve) => setTimeout(resolve, PROGRESS_EVERY_MS).unref()),
      )
      .finally(() => {
        this.progressWrite = null;
        if (this.progressDirty && !this.closed) {
          this.progressDirty = false;
          this.publishProgress();
        }
      });
  }

  private async snapshotIfDue(): Promise<void> {
    if (this.eventsSinceSnapshot < SNAPSHOT_EVERY || this.closed || this.lostMessage) return;
    this.eventsSinceSnapshot = 0;
    // Let the answer that made it due reach the packer first (its reply is written on this turn).
    await new Promise((resolve) => setImmediate(resolve));
    // Serialised now, inside the input queue, so it matches the journal position; written to disk
    // while the packer keeps scanning, without a flush of its own: it only shortens recovery, and a
    // snapshot cut short by a power failure is recognised and an older one used.
    const pending = this.journal.snapshot(snapshotScanState(this.state), wallNowIso(), { sync: false });
    pending.catch((err) =>
      this.deps.logger.warn({ err }, 'snapshot not written; the journal still has every event'),
    );
  }

  view(): StationView {
    const current = this.state.current ? this.index.byKey.get(this.state.current) : undefined;
    const work = current ? this.state.orders.get(current.key) : undefined;
    return {
      client: this.client,
      session: this.session,
      list: this.list,
      station: this.station,
      worker: this.worker,
      epoch: this.epoch,
      holding: this.lostMessage === null && !this.closed,
      ended: this.ended,
      totals: listTotals(this.state, wallNowIso()),
      current: current
        ? {
            order: current.order.order_number,
            courier: current.order.courier,
            lines: [...current.skus.values()].map((s) => ({
              sku: s.sku,
              product_name: s.product_name,
              packed: work?.packed.get(s.key) ?? 0,
              required: s.required,
            })),
          }
        : null,
    };
  }

  /**
   * Ends the sitting: reports, statistics record, lease released (`end`: the list is completed;
   * `close`: paused). Runs inside the input queue, so no scan is handled half-way through it.
   */
  private async finish(how: 'end' | 'close'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ended = how === 'end';
    if (this.mappingTimer) clearInterval(this.mappingTimer);
    if (this.lostMessage) return;
    const endedAt = wallNowIso();
    try {
      await this.journal.snapshot(snapshotScanState(this.state), endedAt);
      // The final figures, now; a publication still pending carries an older journal position and loses.
      await appendIndexEvents(this.deps.layout, this.client, [this.progressEvent()]);
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
      await this.lease.release({ completed: how === 'end' }).catch(() => {});
      throw err;
    }
    await this.lease.release({ completed: how === 'end' });
  }

  /** Stops holding the list for a station that is gone (see ListLease.abandon). */
  abandon(silentMs: number): void {
    this.lease.abandon(silentMs);
  }

  /** Leaves the list paused and releases it (end of input, Ctrl+C, the station closing), after any input in hand. */
  close(): Promise<void> {
    const run = this.queue.then(() => this.finish('close'));
    this.queue = run.catch(() => {});
    return run;
  }
}
