// A journal shorter than what is known to have been acknowledged is damage (DESIGN §4.11). The
// journal's own seals and snapshots are checked as it is read (store/lease/fenced-writes.ts,
// store/journal.ts); this adds the session index, whose progress facts carry the journal position a
// station had reached after an acknowledged scan. That covers the last sitting too, which ended
// (or crashed) before anyone sealed it.
import { CorruptFileError } from '../domain/errors.js';
import { leaseKey } from '../domain/session.js';
import type { Layout } from './layout.js';
import { recoverJournal } from './journal.js';
import { readSessionIndex } from './session-index.js';

export interface KnownProgress {
  /** The highest journal record number a station published after acknowledging it. */
  seq: number;
  orders_done: number;
  items_done: number;
}

export async function knownProgress(
  layout: Layout,
  client: string,
  session: string,
  list: string,
): Promise<KnownProgress | null> {
  const { index } = await readSessionIndex(layout, client);
  return index.progress[leaseKey(session, list)] ?? null;
}

/** The damage error when the journal ends before a record the index saw acknowledged, else null. */
export function missingRecordsError(
  journalDir: string,
  list: string,
  journalSeq: number,
  known: KnownProgress | null,
): CorruptFileError | null {
  if (!known || known.seq <= journalSeq) return null;
  return new CorruptFileError(
    `The packing journal of list ${list} ends at record ${journalSeq}, but the session index saw record ${known.seq} acknowledged ` +
      `(${known.orders_done} orders, ${known.items_done} items done then): records ${journalSeq + 1}–${known.seq} are missing. ` +
      "Restore the list's journal folder from a backup, or ask a shift lead to check the list before packing continues.",
    {
      journal: journalDir,
      journal_records: journalSeq,
      known_records: known.seq,
      known_from: 'session index',
    },
  );
}

/**
 * Reads a list's journal the way a station opening it would, without the lease, and says whether it
 * is damaged or shorter than the index knows. For `session show`: one session at a time.
 */
export async function journalDamage(
  layout: Layout,
  client: string,
  session: string,
  list: string,
  known: KnownProgress | null,
): Promise<CorruptFileError | null> {
  const journalDir = layout.listJournalDir(client, session, list);
  try {
    const recovered = await recoverJournal(journalDir, (raw) => raw);
    return missingRecordsError(journalDir, list, recovered.lastSeq, known);
  } catch (err) {
    if (err instanceof CorruptFileError) return err;
    throw err;
  }
}
