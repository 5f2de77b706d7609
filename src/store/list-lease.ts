// Holding a packing list's lease (DESIGN §4): the acquire protocol (a fresh list, a restart of this
// station, a take-over of a stale holder), the heartbeat, and the fenced writes that a superseded
// holder can never make current. A list's workspace (list-workspace.ts) is built on it; it reports
// acquired / lost / released to the one listener it is given.
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { LeaseLostError, SessionLockedError } from '../domain/errors.js';
import type { Seal } from '../domain/journal-files.js';
import { localTimeText } from '../domain/local-time.js';
import {
  holderSealWaitMs,
  leaseStatus,
  NAME_CACHE_MARGIN_MS,
  sealMarginMs,
  type LeaseKind,
  type LeaseRecord,
  type LeaseSnapshot,
  type PreviousHolder,
} from '../domain/lease.js';
import type { Settings } from '../domain/settings.js';
import type { Layout } from './layout.js';
import { createEpoch, newRecord, previousFrom, type Claimant } from './lease/acquire.js';
import { monoNowMs } from './lease/clock.js';
import { FencedWriter, highestJournalEpoch, journalNames, type LeaseGuard } from './lease/fenced-writes.js';
import { pidAlive } from './lease/fs-util.js';
import { Heartbeat, type LostReason } from './lease/heartbeat.js';
import { heartbeatAgeMs, snapshotLease } from './lease/observe.js';
import { writeRelease } from './lease/release.js';
import { watchUntilStale } from './lease/takeover.js';
import { appendIndexEvents } from './session-index.js';

/** Which list: its client, session and name. */
export interface ListIds {
  client: string;
  session: string;
  list: string;
}

/** Who asks for a list, and whether to take it over from a stale holder (watched for a TTL first; never a live one). */
export interface ListClaim {
  station: string;
  worker: string;
  takeOver?: boolean;
  signal?: AbortSignal;
}

export type LeaseEvent =
  | {
      event: 'acquired';
      epoch: number;
      kind: LeaseKind;
      client: string;
      session: string;
      list: string;
      station: string;
      worker: string;
      previous: PreviousHolder | null;
      sealed: { epoch: number; lines: number }[];
    }
  /** A take-over waits `wait_ms` before sealing the old holder's journal, so that holder sees it first. */
  | { event: 'sealing'; epoch: number; wait_ms: number; message: string }
  | ({ event: 'lost'; epoch: number; message: string } & LostReason)
  | { event: 'released'; epoch: number; completed: boolean };

function secondsText(ms: number | null): string {
  return ms === null ? 'unknown' : `${(ms / 1000).toFixed(1)} s`;
}

/** The error a station gets when the list is held elsewhere: who, since when, how long since the last heartbeat. */
export async function lockedError(
  leasesDir: string,
  snap: LeaseSnapshot,
  list: string,
  ownTtlMs: number,
  extra = '',
): Promise<SessionLockedError> {
  const record = snap.record;
  const age = await heartbeatAgeMs(leasesDir, snap.epoch, snap.beatSeq);
  const holder = {
    station: record?.station ?? 'unknown',
    worker: record?.worker ?? 'unknown',
    since: record?.acquired_at ?? 'unknown',
    heartbeat_age_ms: age,
  };
  const ttl = record?.ttl_ms ?? ownTtlMs;
  const stale = age !== null && age >= ttl;
  const who = record
    ? `station ${holder.station} (worker ${holder.worker}, since ${localTimeText(holder.since)})`
    : 'a station that has not identified itself (its lease record is missing or damaged)';
  const advice = stale
    ? `It has sent no heartbeat for ${secondsText(age)}, so that station has probably stopped: open the list with --take-over to take it over.`
    : 'Wait until it is released, or ask a shift lead.';
  return new SessionLockedError(
    `Packing list ${list} is held by ${who}; last heartbeat ${secondsText(age)} ago. ${extra}${advice}`,
    holder,
    { epoch: snap.epoch, stale },
  );
}

/**
 * How long a station refused a lease waits for the holder's record to show, so it can say who holds
 * the list rather than "unknown". The record is written just after the lease is won; over a weak
 * SMB client, with 16 stations racing on a loaded machine, it once took longer than 1.5 s to show.
 * Only a refusal while the record is still missing waits this long (a crashed winner's lease).
 */
const RECORD_PATIENCE_MS = 5_000;

/** Snapshot of a held lease, waiting briefly for the record of a lease that was created a moment ago. */
async function snapshotWithRecord(leasesDir: string): Promise<LeaseSnapshot> {
  const started = monoNowMs();
  for (;;) {
    const snap = await snapshotLease(leasesDir);
    if (snap.record || leaseStatus(snap).state === 'free' || monoNowMs() - started > RECORD_PATIENCE_MS)
      return snap;
    await delay(25);
  }
}

/** Leases this process gave up by abandon(): their own station may take them back at once. */
const abandonedHere = new Set<string>();

/**
 * One station's hold on one list: refuses writes once the lease is lost or unconfirmed (assertHeld),
 * and writes the list's files only through fenced writes (appendFenced, writeSnapshotFenced).
 */
export class ListLease {
  private heartbeat: Heartbeat | null = null;
  private writer: FencedWriter | null = null;
  private recordValue: LeaseRecord | null = null;
  private releasedFlag = false;
  readonly leasesDir: string;
  readonly journalDir: string;

  private constructor(
    private readonly layout: Layout,
    private readonly locking: Settings['locking'],
    readonly ids: ListIds,
    private readonly emit: (e: LeaseEvent) => void,
  ) {
    this.leasesDir = layout.listLeasesDir(ids.client, ids.session, ids.list);
    this.journalDir = layout.listJournalDir(ids.client, ids.session, ids.list);
  }

  /**
   * Takes the list for this station. Resolves once the lease is held; throws SessionLockedError with
   * the holder when another station has it (and, with takeOver, when it is not stale). `emit` sees
   * every lease event, starting with `acquired`.
   */
  static async acquire(
    layout: Layout,
    locking: Settings['locking'],
    ids: ListIds,
    claim: ListClaim,
    emit: (e: LeaseEvent) => void,
  ): Promise<ListLease> {
    const lease = new ListLease(layout, locking, ids, emit);
    await lease.take(claim);
    return lease;
  }

  get list(): string {
    return this.ids.list;
  }

  get epoch(): number {
    return this.recordValue?.epoch ?? 0;
  }
  get record(): LeaseRecord | null {
    return this.recordValue;
  }

  private async take(req: ListClaim): Promise<void> {
    const { heartbeatMs, staleMs } = this.locking;
    const claimant: Claimant = { station: req.station, worker: req.worker, heartbeatMs, ttlMs: staleMs };
    const pollMs = Math.min(250, Math.max(10, heartbeatMs / 4));
    for (let attempt = 0; attempt < 10; attempt++) {
      const snap = await snapshotLease(this.leasesDir);
      const status = leaseStatus(snap);
      let kind: LeaseKind = 'acquire';
      let reason: string | null = null;
      // A take-over waits the replaced holder's seal margin; the longest one when its record is unreadable.
      let takeoverMargin = NAME_CACHE_MARGIN_MS;
      if (status.state === 'held') {
        const held = status.record;
        if (
          held &&
          held.station === req.station &&
          held.host === os.hostname() &&
          held.pid !== process.pid &&
          !pidAlive(held.pid)
        ) {
          kind = 'restart';
          reason = `station ${req.station} restarted on ${held.host}; its previous process ${held.pid} is gone`;
        } else if (held && held.station === req.station && abandonedHere.has(held.lease_id)) {
          // This process stopped beating for it (its browser went silent); it comes back at once.
          kind = 'restart';
          reason = `browser station ${req.station} came back after this server had stopped holding the list for it`;
        } else if (!req.takeOver) {
          throw await lockedError(
            this.leasesDir,
            await snapshotWithRecord(this.leasesDir),
            this.list,
            staleMs,
          );
        } else {
          const ttl = held?.ttl_ms ?? staleMs;
          if (held) takeoverMargin = sealMarginMs(held.ttl_ms);
          const outcome = await watchUntilStale(this.leasesDir, snap.epoch, ttl, pollMs, req.signal);
          if (outcome.outcome === 'alive')
            throw await lockedError(
              this.leasesDir,
              await snapshotLease(this.leasesDir),
              this.list,
              staleMs,
              'Its heartbeat is still moving, so it is not stale. ',
            );
          if (outcome.outcome === 'changed') {
            const now = await snapshotWithRecord(this.leasesDir);
            if (leaseStatus(now).state === 'held')
              throw await lockedError(
                this.leasesDir,
                now,
                this.list,
                staleMs,
                'Another station took it while this one was waiting. ',
              );
            continue;
          }
          kind = 'takeover';
          reason = `no heartbeat for ${(outcome.watchedMs / 1000).toFixed(1)} s (watched by station ${req.station})`;
        }
      }
      // Epochs only ever grow, even when the lease folder was deleted or lost some epochs: a new
      // epoch below one the journal already has would write into a sealed segment and be ignored.
      const epoch = Math.max(snap.epoch, highestJournalEpoch(await journalNames(this.journalDir))) + 1;
      const record = newRecord(
        claimant,
        epoch,
        kind,
        snap.epoch > 0 ? previousFrom(snap.epoch, snap.record) : null,
        reason,
      );
      // Announced before the attempt, so the index always knows which lists might be held.
      await appendIndexEvents(this.layout, this.ids.client, [
        { type: 'intent', session: this.ids.session, list: this.list, epoch },
      ]);
      if (!(await createEpoch(this.leasesDir, record))) {
        const now = await snapshotWithRecord(this.leasesDir);
        if (kind === 'takeover' || leaseStatus(now).state === 'held')
          throw await lockedError(
            this.leasesDir,
            now,
            this.list,
            staleMs,
            kind === 'takeover' ? 'Another station took it over first. ' : '',
          );
        continue;
      }
      // A take-over's old holder may still be writing (it was silent, not necessarily gone): its lines
      // are sealed only after the name-cache margin. A released holder or a dead process writes no more.
      await this.start(record, req, kind === 'takeover' ? takeoverMargin : 0);
      return;
    }
    throw new SessionLockedError(`Packing list ${this.list} changed hands too often to open it; try again.`, {
      station: 'unknown',
      worker: 'unknown',
      since: 'unknown',
      heartbeat_age_ms: null,
    });
  }

  private async start(record: LeaseRecord, req: ListClaim, sealMargin: number): Promise<void> {
    this.recordValue = record;
    const heartbeat = new Heartbeat(this.leasesDir, record.epoch, record.heartbeat_ms, record.ttl_ms, (why) =>
      this.onLost(why),
    );
    this.heartbeat = heartbeat;
    await heartbeat.start();
    const guard: LeaseGuard = {
      epoch: record.epoch,
      mayWrite: () => heartbeat.mayWrite(),
      checkNotSuperseded: () => heartbeat.checkNotSuperseded(),
      lostError: () => this.lostError(),
      // Longer than any releaser's margin before it seals this epoch, which uses this same TTL.
      sealWaitMs: holderSealWaitMs(record.ttl_ms),
    };
    this.writer = new FencedWriter(this.journalDir, guard);
    let seals: Seal[];
    try {
      seals = await this.writer.sealPrevious({
        marginMs: sealMargin,
        onWait: (ms) =>
          this.emit({
            event: 'sealing',
            epoch: record.epoch,
            wait_ms: ms,
            message: `Taking over packing list ${this.list}: waiting ${Math.ceil(ms / 1000)} s so station ${record.previous?.station ?? 'unknown'} sees the take-over before its last scans are sealed.`,
          }),
      });
    } catch (err) {
      // Without the seal this station must not write; give the list back rather than hold it unused.
      heartbeat.stop();
      await writeRelease(this.leasesDir, record, false).catch(() => {});
      throw err;
    }
    this.emit({
      event: 'acquired',
      epoch: record.epoch,
      kind: record.kind,
      client: this.ids.client,
      session: this.ids.session,
      list: this.list,
      station: req.station,
      worker: req.worker,
      previous: record.previous,
      sealed: seals.map((s) => ({ epoch: s.epoch, lines: s.lines })),
    });
  }

  private lostMessage(why: LostReason): string {
    if (why.reason === 'superseded') {
      const by =
        why.by.kind === 'force_release'
          ? `a shift lead at station ${why.by.station ?? 'unknown'} released it`
          : `station ${why.by.station ?? 'unknown'} (worker ${why.by.worker ?? 'unknown'}) took it over`;
      return `This station no longer holds packing list ${this.list}: ${by}. Nothing more is saved here; open the list again to continue.`;
    }
    if (why.reason === 'abandoned')
      return `This station showed no sign of life for ${secondsText(why.silent_ms)}, so it stopped holding packing list ${this.list} and another station may take it over. Open the list again to continue.`;
    return `This station could not renew its hold on packing list ${this.list} for ${secondsText(why.unconfirmed_ms)} (the shared folder did not answer, or the PC was paused), so it stopped saving to make sure no list is packed twice. Open the list again.`;
  }

  private onLost(why: LostReason): void {
    void this.writer?.close();
    this.emit({ event: 'lost', epoch: this.epoch, message: this.lostMessage(why), ...why });
  }

  lostError(): LeaseLostError {
    if (this.releasedFlag)
      return new LeaseLostError(
        `Packing list ${this.list} was released by this station; open it again to continue.`,
        { epoch: this.epoch },
      );
    const why = this.heartbeat?.lost;
    if (why) return new LeaseLostError(this.lostMessage(why), { epoch: this.epoch, ...why });
    return new LeaseLostError(
      `This station has not been able to confirm its hold on packing list ${this.list} recently, so nothing is saved until it does.`,
      { epoch: this.epoch, reason: 'unconfirmed' },
    );
  }

  /**
   * Stops holding the list for a station that is gone (a browser that showed no sign of life for
   * `silentMs`): no more heartbeats, nothing more saved, so after the TTL any station can take over.
   */
  abandon(silentMs: number): void {
    if (!this.heartbeat || this.heartbeat.lost || this.releasedFlag || !this.recordValue) return;
    abandonedHere.add(this.recordValue.lease_id);
    this.heartbeat.abandon(silentMs);
  }

  /** Throws LeaseLostError unless this station holds the list and confirmed so within the last TTL/2. */
  assertHeld(): void {
    if (this.releasedFlag || !this.heartbeat?.mayWrite()) throw this.lostError();
  }

  /** Appends one journal line (durable before it resolves); throws LeaseLostError when it must not count. */
  appendFenced(line: string): Promise<void> {
    this.assertHeld();
    return this.writer!.appendFenced(line);
  }

  writeSnapshotFenced(name: string, data: string, options?: { sync?: boolean }): Promise<string> {
    this.assertHeld();
    return this.writer!.writeSnapshotFenced(name, data, options);
  }

  /** Bytes of this epoch's journal segment written and confirmed so far. */
  get segmentBytes(): number {
    return this.writer?.segmentBytes ?? 0;
  }

  /** Lets go of the list (completed: the list was ended). Does nothing to a lease already lost. */
  async release(options: { completed?: boolean } = {}): Promise<void> {
    if (this.releasedFlag || !this.heartbeat || !this.recordValue) return;
    const heartbeat = this.heartbeat;
    heartbeat.stop();
    await this.writer?.close();
    if (heartbeat.lost) return;
    this.releasedFlag = true;
    if (!(await heartbeat.checkNotSuperseded())) return;
    const completed = options.completed === true;
    await writeRelease(this.leasesDir, this.recordValue, completed);
    await heartbeat.pruneAll();
    await appendIndexEvents(this.layout, this.ids.client, [
      {
        type: 'finished',
        session: this.ids.session,
        list: this.list,
        epoch: this.epoch,
        kind: completed ? 'completed' : 'released',
      },
    ]).catch(() => {
      // The index then only thinks the list might still be held; a listing looks at the lease and sees it free.
    });
    this.emit({ event: 'released', epoch: this.epoch, completed });
  }
}
