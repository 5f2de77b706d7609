// The files of a prepared session beside its packing lists: the inputs as given, analysis.json and
// analysis.xlsx, the stock write-off exports, the settings the analysis used, and the edit ledger.
// Inputs and settings are written once; analysis, exports and lists are derived from them plus the
// ledger and replaced whole (atomically) when an edit regenerates them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { CorruptFileError } from '../domain/errors.js';
import type { AnalysisResult, StockExport } from '../domain/fulfilment-analysis.js';
import { PreparationEditSchema, type PreparationEdit } from '../domain/preparation-edits.js';
import { PreparedSessionRecordSchema, type PreparedSessionRecord } from '../domain/prepared-session.js';
import { SessionInfo } from '../domain/session.js';
import { spreadsheetSafeText } from '../domain/spreadsheet-text.js';
import { replaceFileAtomic, storageErrorFor, writeNewFile } from './atomic-file.js';
import { readJsonFile } from './json-file.js';
import type { Layout } from './layout.js';
import { listOrEmpty } from './lease/fs-util.js';
import { buildXlsx, xlsxStream, type CellValue } from './xlsx-writer.js';
import { discardContent, readAhead, type FileContent } from './file-content.js';

export const ANALYSIS_JSON = 'analysis/analysis.json';
export const ANALYSIS_XLSX = 'analysis/analysis.xlsx';
export const PREPARATION_RECORD = 'analysis/preparation.json';

/** An input file's name inside input/: its kind and position first, so two exports never collide. */
export function storedInputName(kind: 'orders' | 'stock' | 'sets', index: number, fileName: string): string {
  const safe = path
    .basename(fileName)
    .replace(/[^A-Za-z0-9_.() -]+/g, '_')
    .slice(0, 100);
  return `${kind}_${index + 1}__${safe}`;
}

/**
 * How far analysis.xlsx may be made ahead of its file's writing (compressed bytes, ~10x as much XML):
 * enough to keep the pool deflating while the files before it are written, far below the whole
 * workbook (tens of MB at 200,000 orders).
 */
const WORKBOOK_AHEAD_BYTES = 4 * 1024 * 1024;

/**
 * analysis.xlsx, being made from now on: the caller starts it before writing the session's other
 * files, so making and deflating it (on libuv's thread pool) overlaps that writing, and its file takes
 * the chunks as they come. Content the caller must write or discard (discardContent).
 */
export function analysisWorkbook(result: AnalysisResult, settingsJson: string): AsyncIterable<Uint8Array> {
  function* orderRows(): Generator<CellValue[]> {
    for (const o of result.orders) {
      yield [
        o.order_number,
        statusText(o.status),
        o.reasons.join('; '),
        o.courier,
        o.country,
        o.list ?? '',
        o.sequence,
        o.order_type,
        o.item_count,
        itemsText(o),
        o.tags.join(', '),
        o.repeat ? 'repeat' : '',
        o.shipping_method,
        o.created_at,
        o.total,
        o.notes,
      ];
    }
  }
  const workbook = xlsxStream([
    {
      name: 'Orders',
      columns: [
        { header: 'Order', width: 14 },
        { header: 'Status', width: 16, shared: true },
        { header: 'Reasons', width: 48, shared: true },
        { header: 'Courier', width: 12, shared: true },
        { header: 'Country', width: 9, shared: true },
        { header: 'List', width: 14, shared: true },
        { header: 'Sequence', width: 9 },
        { header: 'Type', width: 8, shared: true },
        { header: 'Units', width: 7 },
        { header: 'Items (sets as their components; lines without a SKU in brackets)', width: 48 },
        { header: 'Tags', width: 24, shared: true },
        { header: 'Repeat', width: 8, shared: true },
        { header: 'Shipping method', width: 26, shared: true },
        { header: 'Created at', width: 24 },
        { header: 'Total', width: 9 },
        { header: 'Notes', width: 30 },
      ],
      rows: orderRows(),
      mark: (row) => (row[1] === 'Not fulfillable' ? 'bad' : row[1] === 'Held' ? 'warn' : 'none'),
    },
    {
      name: 'SKUs',
      columns: [
        { header: 'SKU', width: 18 },
        { header: 'Product', width: 36 },
        { header: 'In stock file', width: 12, shared: true },
        { header: 'Stock before', width: 12 },
        { header: 'Shipped', width: 10 },
        { header: 'Missing', width: 10 },
        { header: 'Stock after', width: 12 },
        { header: 'Low stock', width: 10, shared: true },
      ],
      rows: result.skus
        .filter((s) => s.allocated > 0 || s.missing > 0 || !s.in_stock_file)
        .map((s) => [
          s.sku,
          s.product_name,
          s.in_stock_file ? 'yes' : 'no',
          s.stock_before,
          s.allocated,
          s.missing,
          s.stock_after,
          s.low ? 'low' : '',
        ]),
      mark: (row) => (Number(row[5]) > 0 ? 'bad' : row[7] === 'low' ? 'warn' : 'none'),
    },
    {
      name: 'Couriers',
      columns: [
        { header: 'Courier', width: 14 },
        { header: 'Orders', width: 9 },
        { header: 'Fulfillable', width: 11 },
        { header: 'Items', width: 9 },
        { header: 'Repeats', width: 9 },
      ],
      rows: result.couriers.map((c) => [c.courier, c.orders, c.fulfillable, c.items, c.repeats]),
    },
    {
      name: 'Settings used',
      columns: [{ header: 'Settings (JSON)', width: 120 }],
      rows: settingsJson.split('\n').map((line) => [line]),
    },
  ]);
  return readAhead(workbook, WORKBOOK_AHEAD_BYTES);
}

/** "2× CR-00012-M, 1× 5171 (SET-WINTER), [1× Tip]": what the order holds, in one cell. */
function itemsText(o: AnalysisResult['orders'][number]): string {
  const packed = o.pack.map((l) => `${l.quantity}× ${l.sku}${l.set_sku ? ` (${l.set_sku})` : ''}`);
  const other = o.lines
    .filter((l) => !l.stock_line)
    .map((l) => `[${l.quantity}× ${l.product_name || 'no SKU'}]`);
  return [...packed, ...other].join(', ');
}

function statusText(s: AnalysisResult['orders'][number]['status']): string {
  return s === 'fulfillable'
    ? 'Fulfillable'
    : s === 'not_fulfillable'
      ? 'Not fulfillable'
      : s === 'held'
        ? 'Held'
        : 'Removed';
}

/** The write-off files of one export definition: the warehouse system imports SKU and quantity. */
export async function writeOffFiles(
  exp: StockExport,
): Promise<Array<{ name: string; data: Uint8Array | string }>> {
  const out: Array<{ name: string; data: Uint8Array | string }> = [];
  if (exp.format === 'xlsx' || exp.format === 'both') {
    out.push({
      name: `${exp.name}.xlsx`,
      data: await buildXlsx([
        {
          name: 'Write-off',
          columns: [
            { header: 'SKU', width: 18 },
            { header: 'Quantity', width: 10 },
            { header: 'Product', width: 36 },
          ],
          rows: exp.rows.map((r) => [r.sku, r.quantity, r.product_name]),
        },
      ]),
    });
  }
  if (exp.format === 'csv' || exp.format === 'both') {
    out.push({
      name: `${exp.name}.csv`,
      data: stringify(
        [
          ['SKU', 'Quantity', 'Product'],
          ...exp.rows.map((r) => [
            spreadsheetSafeText(r.sku),
            String(r.quantity),
            spreadsheetSafeText(r.product_name),
          ]),
        ],
        { bom: true },
      ),
    });
  }
  return out;
}

export async function readPreparationRecord(
  layout: Layout,
  client: string,
  session: string,
): Promise<PreparedSessionRecord> {
  const file = path.join(layout.sessionDir(client, session), PREPARATION_RECORD);
  return (
    await readJsonFile(file, PreparedSessionRecordSchema, {
      what: `The preparation record of session ${session}`,
    })
  ).value;
}

export async function readStoredInput(
  layout: Layout,
  client: string,
  session: string,
  storedAs: string,
): Promise<Buffer> {
  const file = path.join(layout.sessionInputDir(client, session), path.basename(storedAs));
  try {
    return await fs.readFile(file);
  } catch (err) {
    throw storageErrorFor(err, `read the session's input ${storedAs}`, file);
  }
}

const EDIT_FILE = /^(\d{6})\.json$/;

/** The ledger in order. A damaged record stops the reading: edits are never silently dropped. */
export async function readEdits(layout: Layout, client: string, session: string): Promise<PreparationEdit[]> {
  const dir = layout.sessionEditsDir(client, session);
  const names = (await listOrEmpty(dir)).filter((n) => EDIT_FILE.test(n)).sort();
  const edits: PreparationEdit[] = [];
  for (const name of names) {
    const { value } = await readJsonFile(path.join(dir, name), PreparationEditSchema, {
      what: `Edit ${name} of session ${session}`,
    });
    if (value.seq !== Number(EDIT_FILE.exec(name)![1])) {
      throw new CorruptFileError(
        `Edit ${name} of session ${session} says it is edit ${value.seq}; the ledger is damaged.`,
        {
          file: name,
        },
      );
    }
    edits.push(value);
  }
  return edits;
}

/** Adds an edit under its seq; the file is new, written whole, never replaced. */
export async function appendEdit(
  layout: Layout,
  client: string,
  session: string,
  edit: PreparationEdit,
): Promise<void> {
  const dir = layout.sessionEditsDir(client, session);
  try {
    await fs.mkdir(dir, { recursive: true });
    await writeNewFile(
      path.join(dir, `${String(edit.seq).padStart(6, '0')}.json`),
      `${JSON.stringify(edit)}\n`,
    );
  } catch (err) {
    throw storageErrorFor(err, 'save the edit', dir);
  }
}

/** Regenerated outputs of a prepared session, each replaced whole. */
export async function replaceSessionFiles(
  layout: Layout,
  client: string,
  session: string,
  files: Array<{ path: string; data: FileContent }>,
): Promise<void> {
  const dir = layout.sessionDir(client, session);
  try {
    for (const f of files) {
      const target = path.join(dir, f.path);
      await fs.mkdir(path.dirname(target), { recursive: true }).catch((err) => {
        throw storageErrorFor(err, `save ${f.path}`, target);
      });
      await replaceFileAtomic(target, f.data);
    }
  } catch (err) {
    // The files not reached (a workbook made ahead of its writing) stop being made.
    await Promise.all(files.map((f) => discardContent(f.data)));
    throw err;
  }
}

/** session_info.json of a prepared session, rewritten with the regenerated lists (a new revision). */
export async function replaceSessionInfo(layout: Layout, info: SessionInfo): Promise<void> {
  const parsed = SessionInfo.parse(info);
  await replaceFileAtomic(
    layout.sessionInfoFile(parsed.client_id, parsed.session_id),
    `${JSON.stringify(parsed, null, 2)}\n`,
  );
}

/** The work folder of a list an edit added to a prepared session. */
export async function makeListWorkDir(
  layout: Layout,
  client: string,
  session: string,
  list: string,
): Promise<void> {
  const dir = layout.listLeasesDir(client, session, list);
  await fs.mkdir(dir, { recursive: true }).catch((err) => {
    throw storageErrorFor(err, 'create the list folder', dir);
  });
}
