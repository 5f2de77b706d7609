// What a preparation worker keeps between the edits of the session it serves. A prepared session's
// inputs and settings are written once and never change, so once read they are kept, keyed by the
// session; the analysis of the ledger as it last stood is kept beside them, so an edit analyses once
// (the ledger with the new change) instead of reading the inputs again and analysing twice. The kept
// analysis is used only while the ledger is exactly the one it was made from: an edit made at another
// station changes the ledger, and that edit's "before" is then analysed again.
import type { AnalysisResult } from '../domain/fulfilment-analysis.js';
import type { PreparationEdit } from '../domain/preparation-edits.js';
import type { PreparationSettings } from '../domain/preparation-settings.js';
import type { PreparedSessionRecord } from '../domain/prepared-session.js';
import type { Layout } from '../store/layout.js';
import type { readPrepareInputs } from './prepare-session.js';

/** A prepared session's inputs as read, with what they were prepared with. */
export interface LoadedPreparation {
  record: PreparedSessionRecord;
  read: Awaited<ReturnType<typeof readPrepareInputs>>;
  /** The settings as they were when the session was prepared, sets included: a later change to the
   * client's settings does not silently re-decide a prepared day. */
  settings: PreparationSettings;
}

interface Kept {
  session: string;
  loaded: LoadedPreparation;
  /** The ledger `result` was analysed from (see ledgerOf). */
  ledger: string;
  result: AnalysisResult;
}

/** One session's inputs and latest analysis (a worker serves one session at a time). */
export class PreparationMemo {
  private kept: Kept | null = null;

  /** The session's inputs, when this memo holds that session. */
  inputs(layout: Layout, client: string, session: string): LoadedPreparation | null {
    const k = this.kept;
    return k !== null && k.session === sessionKey(layout, client, session) ? k.loaded : null;
  }

  /** The analysis of exactly this ledger, when it is the one last kept. */
  analysis(
    layout: Layout,
    client: string,
    session: string,
    edits: readonly PreparationEdit[],
  ): AnalysisResult | null {
    const k = this.kept;
    if (k === null || k.session !== sessionKey(layout, client, session)) return null;
    return k.ledger === ledgerOf(edits) ? k.result : null;
  }

  /** Keeps the session's inputs and the analysis of `edits` (what the session's files now show). */
  remember(
    layout: Layout,
    client: string,
    session: string,
    loaded: LoadedPreparation,
    edits: readonly PreparationEdit[],
    result: AnalysisResult,
  ): void {
    this.kept = { session: sessionKey(layout, client, session), loaded, ledger: ledgerOf(edits), result };
  }

  forget(): void {
    this.kept = null;
  }
}

function sessionKey(layout: Layout, client: string, session: string): string {
  return JSON.stringify([layout.root, client, session]);
}

/**
 * A ledger's identity: records are only ever appended, each under a new sequence number with its
 * time and author, so these name the ledger (the change itself may be written with its fields in
 * another order than it was made, which must not make the kept analysis look stale).
 */
function ledgerOf(edits: readonly PreparationEdit[]): string {
  return JSON.stringify(edits.map((e) => [e.seq, e.at, e.by.station, e.by.worker]));
}
