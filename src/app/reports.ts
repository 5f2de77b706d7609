// A list's reports: packing_completed.xlsx and session_summary.json in the session's output folder,
// written when a list is ended and on demand (`packdesk report`) from the journal, without the lease.
import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { ScanState } from '../domain/scan-state.js';
import { completedReportRows, summarizeList, type SessionSummary } from '../domain/session-summary.js';
import type { Settings } from '../domain/settings.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { wallNowIso } from '../store/lease/clock.js';
import { readListState, type ListIds } from '../store/list-workspace.js';
import {
  completedWorkbook,
  listReportFiles,
  readListReport,
  writeListReports,
} from '../store/report-files.js';
import { buildReportOffThread } from './report-off-thread.js';
import { resolveList } from './open-list.js';

export type { ListIds };

export async function writeReports(
  layout: Layout,
  ids: ListIds,
  state: ScanState,
  generatedAt: string,
): Promise<SessionSummary> {
  const files = listReportFiles(layout, ids);
  await fs.mkdir(files.dir, { recursive: true });
  const summary = summarizeList(state, ids, generatedAt);
  const rows = completedReportRows(state);
  // A station ends its list on the thread that answers the hub's other stations: the workbook of
  // every order is built off it.
  const { xlsx } = await buildReportOffThread({ kind: 'workbook', rows }, async () => ({
    xlsx: await completedWorkbook(rows),
    summary: null,
  }));
  await writeListReports(files, xlsx, summary);
  return summary;
}

export async function regenerateReports(
  deps: { layout: Layout; settings: Settings },
  req: { client: string; session: string; list?: string },
): Promise<{ summary: SessionSummary; files: { xlsx: string; summary: string } }> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const list = await resolveList(deps.layout, req.client, req.session, req.list);
  const ids = { client: req.client, session: req.session, list };
  const state = await readListState(deps.layout, ids);
  const summary = await writeReports(deps.layout, ids, state, wallNowIso());
  const files = listReportFiles(deps.layout, ids);
  return { summary, files: { xlsx: files.xlsx, summary: files.summary } };
}

/**
 * One report of a list for download, named `<session>_<list>_<file>`: the file written when the list
 * was ended, or, for a list not ended yet, built in memory from its journal as it stands (no lease
 * needed; reading must not write to the share).
 */
export async function listReport(
  layout: Layout,
  ids: ListIds,
  which: 'xlsx' | 'summary',
): Promise<{ data: Buffer; fileName: string }> {
  const target = listReportFiles(layout, ids)[which];
  const fileName = `${ids.session}_${ids.list}_${path.basename(target)}`;
  const written = await readListReport(target);
  if (written) return { data: written, fileName };
  // Built off the thread that answers scans (a hub's download of a 20,000-order list).
  const built = await reportContentOffThread(layout, ids);
  return { data: which === 'summary' ? Buffer.from(built.summary) : Buffer.from(built.xlsx), fileName };
}

/** A list's reports built in memory from its journal as it stands (the report worker runs this). */
export async function reportContent(
  layout: Layout,
  ids: ListIds,
): Promise<{ xlsx: Uint8Array; summary: string }> {
  ids = { ...ids, list: await resolveList(layout, ids.client, ids.session, ids.list) };
  const state = await readListState(layout, ids);
  const summary = summarizeList(state, ids, wallNowIso());
  return {
    xlsx: await completedWorkbook(completedReportRows(state)),
    summary: `${JSON.stringify(summary, null, 2)}\n`,
  };
}

/** reportContent, off the thread that answers scans (a hub's report download). */
export async function reportContentOffThread(
  layout: Layout,
  ids: ListIds,
): Promise<{ xlsx: Uint8Array; summary: string }> {
  const built = await buildReportOffThread({ kind: 'list', root: layout.root, ids }, () =>
    reportContent(layout, ids),
  );
  return { xlsx: built.xlsx, summary: built.summary ?? '' };
}
