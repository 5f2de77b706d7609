// The list's reports in the session's output folder: packing_completed.xlsx and session_summary.json.
// Both are derived from the journal and can be rewritten at any time (`packdesk report`), so they are
// replaced whole, never edited in place.
import type { CompletedReportRow, SessionSummary } from '../domain/session-summary.js';
import { spreadsheetSafeText } from '../domain/spreadsheet-text.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { replaceFileAtomic } from './atomic-file.js';
import type { Layout } from './layout.js';

export interface ReportFiles {
  dir: string;
  xlsx: string;
  summary: string;
}

/** Where a list's reports are: the session's output/<list>/ folder. */
export function listReportFiles(
  layout: Layout,
  ids: { client: string; session: string; list: string },
): ReportFiles {
  const dir = path.join(layout.sessionDir(ids.client, ids.session), 'output', ids.list);
  return {
    dir,
    xlsx: path.join(dir, 'packing_completed.xlsx'),
    summary: path.join(dir, 'session_summary.json'),
  };
}

/**
 * A written report's bytes, or null when there is none to read (not written yet, or unreadable): the
 * caller builds it again from the journal, which is where it came from.
 */
export async function readListReport(file: string): Promise<Buffer | null> {
  return fs.readFile(file).catch(() => null);
}

const STATUS_FILL: Partial<Record<CompletedReportRow['status'], string>> = {
  Completed: 'FFC6EFCE',
  'Completed (forced)': 'FFFFEB9C',
  'Completed (confirmed by hand)': 'FFDDD0F0',
  Skipped: 'FFFFC7CE',
};

export async function completedWorkbook(rows: CompletedReportRow[]): Promise<Buffer> {
  // Loaded when a report is written, not when a station starts: exceljs alone is a large share of start-up.
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Packing');
  const metadataKeys = [...new Set(rows.flatMap((r) => Object.keys(r.metadata)))];
  sheet.columns = [
    { header: 'Order', key: 'order_number', width: 16 },
    { header: 'Courier', key: 'courier', width: 12 },
    { header: 'Status', key: 'status', width: 18 },
    { header: 'Items packed', key: 'items_packed', width: 13 },
    { header: 'Items required', key: 'items_required', width: 14 },
    {
      header: 'Completed at',
      key: 'completed_at',
      width: 20,
      style: { numFmt: 'yyyy-mm-dd hh:mm:ss' },
    },
    { header: 'Worker', key: 'worker', width: 16 },
    ...metadataKeys.map((k) => ({ header: spreadsheetSafeText(k), key: `meta:${k}`, width: 14 })),
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) {
    const row = sheet.addRow({
      order_number: spreadsheetSafeText(r.order_number),
      courier: spreadsheetSafeText(r.courier),
      status: r.status,
      items_packed: r.items_packed,
      items_required: r.items_required,
      completed_at: r.completed_at ? excelLocalDate(r.completed_at) : '',
      worker: spreadsheetSafeText(r.worker ?? ''),
      ...Object.fromEntries(metadataKeys.map((k) => [`meta:${k}`, cellText(r.metadata[k])])),
    });
    const fill = STATUS_FILL[r.status];
    if (fill) row.getCell('status').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * An Excel date showing the local time of the PC that writes the report (Excel dates have no time
 * zone: a shift lead reads the clock time of the warehouse, not UTC). Text that is no time stays text.
 */
function excelLocalDate(iso: string): Date | string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
}

function cellText(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return spreadsheetSafeText(typeof value === 'string' ? value : JSON.stringify(value));
}

/** `xlsx` is completedWorkbook's result, built where it does not hold up scans (app/report-off-thread.ts). */
export async function writeListReports(
  files: ReportFiles,
  xlsx: Uint8Array,
  summary: SessionSummary,
): Promise<void> {
  await replaceFileAtomic(files.xlsx, xlsx);
  await replaceFileAtomic(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
}
