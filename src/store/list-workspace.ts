// A packing list's workspace: the one owner of a list's files on the share (DESIGN §4–§5). It holds
// the list's lease (list-lease.ts), recovers the list's state from its journal, appends each event
// durably through the lease's fenced writes, writes snapshots and the sitting-start file, and lets
// go of the list. Reading a list's state without the lease, watching who holds it and a shift lead's
// force release are here too, so nothing outside the store touches a list's lease or journal files.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { ConflictError, type LeaseLostError, type SessionLockedError } from '../domain/errors.js';
import { scanEventOf } from '../domain/journal-record.js';
import { NAME_CACHE_MARGIN_MS, sealMarginMs, type LeaseRecord } from '../domain/lease.js';
import type { PackingListIndex } from '../domain/packing-list.js';
import { apply } from '../domain/scan-engine.js';
import type { ScanEvent } from '../domain/scan-events.js';
import {
  createScanState,
  restoreScanState,
  ScanSnapshotSchema,
  snapshotScanState,
  type ScanState,
} from '../domain/scan-state.js';
import type { Settings } from '../domain/settings.js';
import { SittingStartSchema, type SittingStart } from '../domain/stats.js';
import { JournalAppender, recoverJournal, type RecoveredJournal } from './journal.js';
import { knownProgress, missingRecordsError } from './journal-completeness.js';
import { parseJsonText } from './json-file.js';
import type { Layout } from './layout.js';
import type { Claimant } from './lease/acquire.js';
import type { AcceptedJournal } from './lease/fenced-writes.js';
import { sealEpochsBefore } from './lease/fenced-writes.js';
import { readIfExists } from './lease/fs-util.js';
import { forceRelease } from './lease/release.js';
import { ListLease, lockedError, type LeaseEvent, type ListClaim, type ListIds } from './list-lease.js';
import type { LeaseObservation } from './list-observe.js';
import { loadListIndex } from './load-list.js';
import { appendIndexEvents } from './session-index.js';

export type { LeaseEvent, ListClaim, ListIds };
export { observeLease, type LeaseObservation } from './list-observe.js';

/** The fenced file each sitting writes at its start: the list's totals then (see app/sittings.ts). */
const SITTING_START = 'sitting_start';

/** A list's state as its journal has it: the newest usable snapshot plus the events after it. */
interface Replayed {
  index: PackingListIndex;
  state: ScanState;
  journal: RecoveredJournal<ScanState>;
}

async function replayList(
  layout: Layout,
  ids: ListIds,
  check?: (journal: RecoveredJournal<ScanState>) => Promise<void>,
): Promise<Replayed> {
  const { index } = await loadListIndex(layout, ids.client, ids.session, ids.list);
  const journal = await recoverJournal(layout.listJournalDir(ids.client, ids.session, ids.list), (raw) =>
    restoreScanState(index, ScanSnapshotSchema.parse(raw)),
  );
  await check?.(journal);
  const state = journal.snapshot?.state ?? createScanState(index);
  for (const record of journal.records) apply(state, scanEventOf(record));
  return { index, state, journal };
}

/** The list's state as its journal has it now, read without holding the lease (reports, overviews). */
export async function readListState(layout: Layout, ids: ListIds): Promise<ScanState> {
  return (await replayList(layout, ids)).state;
}

/** What a station starts from when it opens a list. */
export interface RecoveredList {
  index: PackingListIndex;
  state: ScanState;
  /** Event ids of the records read: a retried event is recognised and not applied twice. */
  eventIds: Map<string, number>;
  /** What recovery dropped and why (a torn tail, a superseded holder's late writes, unreadable snapshots). */
  notes: string[];
  /** Earlier sittings since the newest snapshot, oldest first, each with the time of its last event. */
  earlierSittings: { start: SittingStart; lastEventAt: string | null }[];
}

export class ListWorkspace extends EventEmitter<{ event: [LeaseEvent] }> {
  private leaseValue: ListLease | null = null;
  private journal: JournalAppender | null = null;

  private constructor(
    private readonly layout: Layout,
    readonly ids: ListIds,
  ) {
    super();
  }

  /**
   * Takes the list's lease for this station. Throws SessionLockedError with the holder when another
   * station has it. `onEvent` sees every lease event, starting with `acquired`.
   */
  static async open(
    layout: Layout,
    locking: Settings['locking'],
    ids: ListIds,
    claim: ListClaim,
    onEvent?: (e: LeaseEvent) => void,
  ): Promise<ListWorkspace> {
    const workspace = new ListWorkspace(layout, ids);
    if (onEvent) workspace.on('event', onEvent);
    workspace.leaseValue = await ListLease.acquire(layout, locking, ids, claim, (e) =>
      workspace.emit('event', e),
    );
    return workspace;
  }

  private get lease(): ListLease {
    return this.leaseValue!;
  }
  get client(): string {
    return this.ids.client;
  }
  get session(): string {
    return this.ids.session;
  }
  get list(): string {
    return this.ids.list;
  }
  get epoch(): number {
    return this.lease.epoch;
  }
  get record(): LeaseRecord | null {
    return this.lease.record;
  }
  get journalDir(): string {
    return this.lease.journalDir;
  }
  /** The number of the journal's last record (after recover()). */
  get seq(): number {
    return this.journal?.seq ?? 0;
  }

  /**
   * Recovers the list's state from its journal and gets ready to append after it. A journal shorter
   * than what the session index saw acknowledged is damage: packing on top of it would make the loss
   * permanent, so it is refused with what is missing.
   */
  async recover(): Promise<RecoveredList> {
    const { index, state, journal } = await replayList(this.layout, this.ids, async (journal) => {
      const missing = missingRecordsError(
        this.journalDir,
        this.list,
        journal.lastSeq,
        await knownProgress(this.layout, this.client, this.session, this.list),
      );
      if (missing) throw missing;
    });
    this.journal = new JournalAppender(this.lease, journal.lastSeq);
    return {
      index,
      state,
      eventIds: journal.eventIds,
      notes: journal.notes,
      earlierSittings: await this.earlierSittings(journal.accepted),
    };
  }

  /**
   * The sitting-start files of earlier sittings in the part of the journal recovery read: a sitting
   * that ended without its statistics record started after the newest snapshot, because every
   * opening records the sittings before it before it writes any snapshot of its own.
   */
  private async earlierSittings(accepted: AcceptedJournal): Promise<RecoveredList['earlierSittings']> {
    const starts: SittingStart[] = [];
    for (const name of accepted.snapshots.filter((n) => n.endsWith(`.${SITTING_START}.json`))) {
      const text = await readIfExists(path.join(this.journalDir, name));
      const parsed = text === null ? null : parseJsonText(text, SittingStartSchema);
      // A torn or damaged start file: that sitting's figures cannot be told apart from the next one's;
      // they stay in the list's totals.
      if (parsed?.ok && parsed.value.epoch < this.epoch) starts.push(parsed.value);
    }
    starts.sort((a, b) => a.epoch - b.epoch);
    return starts.map((start) => ({ start, lastEventAt: lastEventAt(accepted.entries, start.epoch) }));
  }

  /** Appends one event; resolves with its record number once it is durable and still this station's. */
  async append(event: ScanEvent): Promise<number> {
    const { id, at, station, worker, ...body } = event;
    const record = await this.appender().append({ epoch: this.epoch, id, at, station, worker, event: body });
    return record.seq;
  }

  /**
   * Writes a snapshot of `state`, which must reflect every event appended so far and no other.
   * Serialised before it returns, so the caller may go on changing the state at once.
   */
  snapshot(state: ScanState, writtenAt: string, options: { sync?: boolean } = {}): Promise<string> {
    return this.appender().snapshot(snapshotScanState(state), writtenAt, options);
  }

  /** Records the list's totals as this sitting found them (its statistics record is the difference at its end). */
  async writeSittingStart(start: SittingStart): Promise<void> {
    await this.lease.writeSnapshotFenced(SITTING_START, JSON.stringify(start));
  }

  private appender(): JournalAppender {
    if (!this.journal) throw new Error('recover() the list before writing to its journal');
    return this.journal;
  }

  lostError(): LeaseLostError {
    return this.lease.lostError();
  }

  /** Stops holding the list for a station that is gone (see ListLease.abandon). */
  abandon(silentMs: number): void {
    this.lease.abandon(silentMs);
  }

  /** Lets go of the list (completed: the list was ended). Does nothing to a lease already lost. */
  release(options: { completed?: boolean } = {}): Promise<void> {
    return this.lease.release(options);
  }
}

function lastEventAt(entries: { epoch: number; line: string }[], epoch: number): string | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i]!.epoch !== epoch) continue;
    const match = /"at":"([^"]+)"/.exec(entries[i]!.line);
    return match ? match[1]! : null;
  }
  return null;
}

/** The error that says who holds the list, since when and how long since its last heartbeat. */
export function heldByError(
  layout: Layout,
  ids: ListIds,
  observed: LeaseObservation,
  ownTtlMs: number,
  extra = '',
): Promise<SessionLockedError> {
  return lockedError(
    layout.listLeasesDir(ids.client, ids.session, ids.list),
    observed.snapshot,
    ids.list,
    ownTtlMs,
    extra,
  );
}

/**
 * A shift lead's release of the lease `observed`: a lease epoch of its own that names who released
 * whom and why, announced in the session index, and the released holder's journal sealed now (not by
 * whoever opens the list next): the released holder waits for this seal to tell which of its last
 * scans count, so what it answered and what the journal holds agree. Returns the new epoch.
 */
export async function forceReleaseList(
  layout: Layout,
  ids: ListIds,
  observed: LeaseObservation,
  by: Claimant,
  reason: string,
  /** Told before the wait for the released station to see the release. */
  onWait?: (ms: number) => void,
): Promise<{ epoch: number; waited_ms: number }> {
  const { snapshot } = observed;
  const epoch = snapshot.epoch + 1;
  await appendIndexEvents(layout, ids.client, [
    { type: 'intent', session: ids.session, list: ids.list, epoch },
  ]);
  const record = await forceRelease(
    layout.listLeasesDir(ids.client, ids.session, ids.list),
    snapshot.epoch,
    snapshot.record,
    by,
    reason,
  );
  if (!record)
    throw new ConflictError(
      `Packing list ${ids.list} changed hands while releasing it; look at it again before releasing.`,
      { epoch: snapshot.epoch },
    );
  // Sealed here, not by whoever opens the list next: the released holder waits for this seal to tell
  // which of its last scans count, so what it answered and what the journal holds agree. Only after
  // the name-cache margin: until then the holder may not see the release and still acknowledge scans.
  const [seal] = await sealEpochsBefore(layout.listJournalDir(ids.client, ids.session, ids.list), epoch, {
    marginMs: sealMarginMs(snapshot.record?.ttl_ms ?? NAME_CACHE_MARGIN_MS * 2),
    onWait,
  });
  await appendIndexEvents(layout, ids.client, [
    { type: 'finished', session: ids.session, list: ids.list, epoch, kind: 'force_released' },
  ]).catch(() => {});
  return { epoch, waited_ms: seal?.waited_ms ?? 0 };
}
