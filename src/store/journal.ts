// A packing list's journal (DESIGN §5) on top of the lease's fenced writes: every event is one
// checksummed line, durable before the station answers; snapshots of the state go to new names.
// Recovery = the newest readable snapshot + replay of the records after it. A damaged last record
// is a write cut short by a crash and is dropped; damage anywhere before it stops the list with an
// error, because skipping it silently would lose scans.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CorruptFileError } from '../domain/errors.js';
import { checkJournalRecord, decodeJournalRecord, encodeJournalRecord, type JournalRecord } from '../domain/journal-record.js';
import { readAccepted } from './lease/fenced-writes.js';

export interface RecoveredJournal<S> {
  /** The snapshot the state starts from, or null when replay starts from the empty list. */
  snapshot: { file: string; lastSeq: number; state: S } | null;
  /** Records after the snapshot, in order. */
  records: JournalRecord[];
  /** Every event id in the journal: a retried event is recognised and not applied twice. */
  eventIds: Map<string, number>;
  lastSeq: number;
  /** What recovery dropped and why (a torn tail, a superseded holder's late writes, unreadable snapshots). */
  notes: string[];
}

const PACKING_STATE = 'packing_state';

/** What the journal writes through: the lease's fenced writes (ListLease or FencedWriter). */
export interface FencedTarget {
  appendFenced(line: string): Promise<void>;
  writeSnapshotFenced(name: string, data: string): Promise<string>;
}

export interface SnapshotFile<S> {
  kind: 'packing_state';
  last_seq: number;
  epoch: number;
  written_at: string;
  state: S;
}

export async function recoverJournal<S>(
  journalDir: string,
  readSnapshot: (raw: unknown) => S,
): Promise<RecoveredJournal<S>> {
  const accepted = await readAccepted(journalDir);
  const notes: string[] = [];
  for (const late of accepted.ignored) {
    notes.push(`${late.lines} record(s) written by epoch ${late.epoch} after it lost the list were ignored`);
  }

  // First every record's checksum, sequence and id; the contents only of records after the snapshot.
  const checked: { seq: number; line: string; epoch: number; index: number }[] = [];
  const lastIndexOfEpoch = new Map<number, number>();
  accepted.entries.forEach((entry, i) => lastIndexOfEpoch.set(entry.epoch, i));
  const damaged = (i: number, epoch: number, problem: string): void => {
    if (lastIndexOfEpoch.get(epoch) === i) {
      notes.push(`the last record of epoch ${epoch} was incomplete (${problem}) and was dropped: it was never confirmed`);
      return;
    }
    throw new CorruptFileError(
      `The packing journal is damaged at record ${i + 1} (epoch ${epoch}: ${problem}). ` +
        'Scans after it cannot be trusted; ask a shift lead to check the list before packing continues.',
      { journal: journalDir, record: i + 1, epoch },
    );
  };

  const eventIds = new Map<string, number>();
  let previous = 0;
  accepted.entries.forEach((entry, i) => {
    const check = checkJournalRecord(entry.line);
    if (!check.ok) return damaged(i, entry.epoch, check.problem);
    if (check.seq !== previous + 1) {
      throw new CorruptFileError(
        `The packing journal skips from record ${previous} to ${check.seq}; a part of it is missing. Ask a shift lead to check the list.`,
        { journal: journalDir, after: previous, found: check.seq },
      );
    }
    previous = check.seq;
    eventIds.set(check.id, check.seq);
    checked.push({ seq: check.seq, line: entry.line, epoch: entry.epoch, index: i });
  });

  let snapshot: RecoveredJournal<S>['snapshot'] = null;
  for (const file of accepted.snapshots.filter((n) => n.endsWith(`.${PACKING_STATE}.json`)).reverse()) {
    try {
      const raw = JSON.parse(await fs.readFile(path.join(journalDir, file), 'utf8')) as SnapshotFile<unknown>;
      if (raw.kind !== 'packing_state' || typeof raw.last_seq !== 'number' || raw.last_seq > previous) {
        throw new Error('it does not match the journal');
      }
      snapshot = { file, lastSeq: raw.last_seq, state: readSnapshot(raw.state) };
      break;
    } catch (err) {
      notes.push(`snapshot ${file} could not be used (${(err as Error).message}); an older one or the journal was used`);
    }
  }
  const from = snapshot?.lastSeq ?? 0;
  const records: JournalRecord[] = [];
  for (const c of checked) {
    if (c.seq <= from) continue;
    const decoded = decodeJournalRecord(c.line);
    if (decoded.ok) records.push(decoded.record);
    else damaged(c.index, c.epoch, decoded.problem);
  }
  return { snapshot, records, eventIds, lastSeq: previous, notes };
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

  async snapshot<S>(epoch: number, state: S, writtenAt: string): Promise<string> {
    const body: SnapshotFile<S> = { kind: 'packing_state', last_seq: this.lastSeq, epoch, written_at: writtenAt, state };
    // Pretty enough to read, compact enough to write quickly for 50,000 orders.
    return this.writer.writeSnapshotFenced(PACKING_STATE, JSON.stringify(body, null, 1));
  }
}
