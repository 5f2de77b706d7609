// A packing list's journal (DESIGN §5) on top of the lease's fenced writes: every event is one
// checksummed line, durable before the station answers; snapshots of the state go to new names.
// Recovery = the newest readable snapshot + replay of the records after it. A damaged last record
// is a write cut short by a crash and is dropped; damage anywhere before it stops the list with an
// error, because skipping it silently would lose scans.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CorruptFileError } from '../domain/errors.js';
import { PackingSnapshot, type JournalPosition } from '../domain/journal-files.js';
import {
  checkJournalRecord,
  decodeJournalRecord,
  encodeJournalRecord,
  type JournalRecord,
} from '../domain/journal-record.js';
import {
  compareSnapshotNames,
  journalNames,
  readAccepted,
  snapshotAccepted,
  snapshotEpoch,
  type AcceptedJournal,
} from './lease/fenced-writes.js';
import { parseJsonText } from './json-file.js';

export interface RecoveredJournal<S> {
  /** The snapshot the state starts from, or null when replay starts from the empty list. */
  snapshot: { file: string; lastSeq: number; state: S } | null;
  /** Records after the snapshot, in order. */
  records: JournalRecord[];
  /** Event ids of the records read: a retried event is recognised and not applied twice. */
  eventIds: Map<string, number>;
  lastSeq: number;
  /** The part of the journal that was read (since the snapshot, or all of it). */
  accepted: AcceptedJournal;
  /** What recovery dropped and why (a torn tail, a superseded holder's late writes, unreadable snapshots). */
  notes: string[];
}

const PACKING_STATE = 'packing_state';

/** What the journal writes through: the lease's fenced writes (ListLease or FencedWriter). */
export interface FencedTarget {
  readonly epoch: number;
  /** Bytes of this epoch's segment written and confirmed so far. */
  readonly segmentBytes: number;
  appendFenced(line: string): Promise<void>;
  writeSnapshotFenced(name: string, data: string, options?: { sync?: boolean }): Promise<string>;
}

/** A snapshot as written; `position` says where in the journal it leaves off, so recovery reads only what came after it. */
type SnapshotFile<S> = Omit<PackingSnapshot, 'state' | 'position'> & { position: JournalPosition; state: S };

interface Replay {
  records: JournalRecord[];
  eventIds: Map<string, number>;
  lastSeq: number;
}

/**
 * Checks every record's checksum, sequence and id, and decodes those after `decodeAfter`.
 * `startAfter` is the sequence number the first record must follow.
 */
function replayRecords(
  journalDir: string,
  accepted: AcceptedJournal,
  startAfter: number,
  decodeAfter: number,
  notes: string[],
): Replay {
  const lastIndexOfEpoch = new Map<number, number>();
  accepted.entries.forEach((entry, i) => lastIndexOfEpoch.set(entry.epoch, i));
  const damaged = (i: number, epoch: number, problem: string): void => {
    if (lastIndexOfEpoch.get(epoch) === i) {
      notes.push(
        `the last record of epoch ${epoch} was incomplete (${problem}) and was dropped: it was never confirmed`,
      );
      return;
    }
    throw new CorruptFileError(
      `The packing journal is damaged at record ${i + 1} (epoch ${epoch}: ${problem}). ` +
        'Scans after it cannot be trusted; ask a shift lead to check the list before packing continues.',
      { journal: journalDir, record: i + 1, epoch },
    );
  };
  const replay: Replay = { records: [], eventIds: new Map(), lastSeq: startAfter };
  accepted.entries.forEach((entry, i) => {
    const check = checkJournalRecord(entry.line);
    if (!check.ok) return damaged(i, entry.epoch, check.problem);
    if (check.seq !== replay.lastSeq + 1) {
      throw new CorruptFileError(
        `The packing journal skips from record ${replay.lastSeq} to ${check.seq}; a part of it is missing. Ask a shift lead to check the list.`,
        { journal: journalDir, after: replay.lastSeq, found: check.seq },
      );
    }
    replay.lastSeq = check.seq;
    replay.eventIds.set(check.id, check.seq);
    if (check.seq <= decodeAfter) return;
    const decoded = decodeJournalRecord(entry.line);
    if (decoded.ok) replay.records.push(decoded.record);
    else if (decoded.whole)
      // Written whole (its checksum matches) yet not a record: damage even as the last line.
      throw new CorruptFileError(
        `The packing journal is damaged at record ${i + 1} (epoch ${entry.epoch}: ${decoded.problem}). ` +
          'Scans after it cannot be trusted; ask a shift lead to check the list before packing continues.',
        { journal: journalDir, record: i + 1, epoch: entry.epoch },
      );
    else damaged(i, entry.epoch, decoded.problem);
  });
  return replay;
}

/** The newest snapshot that is accepted and readable, or null. */
async function newestSnapshot<S>(
  journalDir: string,
  names: string[],
  readSnapshot: (raw: unknown) => S,
  notes: string[],
): Promise<{ file: string; raw: PackingSnapshot; state: S } | null> {
  const candidates = names
    .filter((n) => n.endsWith(`.${PACKING_STATE}.json`) && snapshotEpoch(n) !== null)
    .sort(compareSnapshotNames)
    .reverse();
  for (const file of candidates) {
    try {
      if (!(await snapshotAccepted(journalDir, file))) continue;
      const parsed = parseJsonText(await fs.readFile(path.join(journalDir, file), 'utf8'), PackingSnapshot);
      if (!parsed.ok) throw new Error(`it is not a packing state: ${parsed.problem}`);
      return { file, raw: parsed.value, state: readSnapshot(parsed.value.state) };
    } catch (err) {
      notes.push(
        `snapshot ${file} could not be used (${(err as Error).message}); an older one or the journal was used`,
      );
    }
  }
  return null;
}

/**
 * Recovery: the newest usable snapshot, then only the journal after the position it records. Should
 * that part not continue the snapshot exactly, the whole journal is read and checked instead.
 * Event ids are those of the records read: enough to recognise a station retrying its last scans.
 */
export async function recoverJournal<S>(
  journalDir: string,
  readSnapshot: (raw: unknown) => S,
): Promise<RecoveredJournal<S>> {
  const notes: string[] = [];
  const names = await journalNames(journalDir);
  const snapshot = await newestSnapshot(journalDir, names, readSnapshot, notes);
  const lateNotes = (accepted: AcceptedJournal) => {
    for (const late of accepted.ignored)
      notes.push(
        `${late.lines} record(s) written by epoch ${late.epoch} after it lost the list were ignored`,
      );
  };
  if (snapshot?.raw.position) {
    const accepted = await readAccepted(journalDir, snapshot.raw.position, names);
    try {
      const replay = replayRecords(journalDir, accepted, snapshot.raw.last_seq, snapshot.raw.last_seq, notes);
      lateNotes(accepted);
      return {
        snapshot: { file: snapshot.file, lastSeq: snapshot.raw.last_seq, state: snapshot.state },
        ...replay,
        accepted,
        notes,
      };
    } catch (err) {
      if (!(err instanceof CorruptFileError)) throw err;
      notes.push(
        `the journal after snapshot ${snapshot.file} did not continue it (${err.message}); the whole journal was read`,
      );
    }
  }
  const accepted = await readAccepted(journalDir, undefined, names);
  lateNotes(accepted);
  const journalEnd = lastSeqOf(accepted);
  if (snapshot && snapshot.raw.last_seq > journalEnd)
    // A snapshot is only ever written after the records it covers were durable: a journal that ends
    // before it lost acknowledged scans.
    throw new CorruptFileError(
      `The packing journal ends at record ${journalEnd}, but snapshot ${snapshot.file} already covered record ${snapshot.raw.last_seq}: records ${journalEnd + 1}–${snapshot.raw.last_seq} are missing. ` +
        "Restore the list's journal folder from a backup, or ask a shift lead to check the list before packing continues.",
      {
        journal: journalDir,
        journal_records: journalEnd,
        known_records: snapshot.raw.last_seq,
        known_from: snapshot.file,
      },
    );
  const usable = snapshot;
  const from = usable?.raw.last_seq ?? 0;
  const replay = replayRecords(journalDir, accepted, 0, from, notes);
  return {
    snapshot: usable ? { file: usable.file, lastSeq: from, state: usable.state } : null,
    ...replay,
    accepted,
    notes,
  };
}

function lastSeqOf(accepted: AcceptedJournal): number {
  for (let i = accepted.entries.length - 1; i >= 0; i--) {
    const check = checkJournalRecord(accepted.entries[i]!.line);
    if (check.ok) return check.seq;
  }
  return 0;
}

/** Appends records after recovery; `append` resolves once the record is on disk and still ours. */
export class JournalAppender {
  constructor(
    private readonly writer: FencedTarget,
    private lastSeq: number,
  ) {}

  get seq(): number {
    return this.lastSeq;
  }

  async append(record: Omit<JournalRecord, 'seq'>): Promise<JournalRecord> {
    const full: JournalRecord = { ...record, seq: this.lastSeq + 1 };
    await this.writer.appendFenced(encodeJournalRecord(full));
    this.lastSeq = full.seq;
    return full;
  }

  /**
   * Writes a snapshot of `state`, which must reflect every record appended so far and no other; call
   * it between appends (the station does, inside its input queue). Serialised before the first await.
   */
  async snapshot<S>(state: S, writtenAt: string, options: { sync?: boolean } = {}): Promise<string> {
    const body: SnapshotFile<S> = {
      kind: 'packing_state',
      last_seq: this.lastSeq,
      epoch: this.writer.epoch,
      position: { epoch: this.writer.epoch, offset: this.writer.segmentBytes },
      written_at: writtenAt,
      state,
    };
    // Compact: at 50,000 orders indentation alone would add megabytes to write and read.
    return this.writer.writeSnapshotFenced(PACKING_STATE, JSON.stringify(body), options);
  }
}
