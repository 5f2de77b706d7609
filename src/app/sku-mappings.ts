// Use cases for a client's barcode → SKU mappings: list, set, delete, bulk import, export.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { fromSpreadsheetText, spreadsheetSafeText } from '../domain/spreadsheet-text.js';
import { AlreadyExistsError, PackdeskError, ValidationError } from '../domain/errors.js';
import { assertClientId } from '../domain/ids.js';
import type { Settings } from '../domain/settings.js';
import {
  cleanBarcode,
  cleanSku,
  normalizeCode,
  sortedMappings,
  type MappingChange,
} from '../domain/sku-mapping.js';
import { replaceFileAtomic, storageErrorFor } from '../store/atomic-file.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import type { TabularData } from '../store/tabular-file.js';
import { changeMappings, loadMappings, type MappingChangeOutcome } from '../store/sku-mappings.js';

export interface MappingDeps {
  layout: Layout;
  settings: Settings;
  station: string;
}

function lockOptions(settings: Settings) {
  const { heartbeatMs, staleMs } = settings.locking;
  // Long enough to outwait a crashed holder (stale time) plus a queue of live ones on a slow share.
  return { heartbeatMs, staleMs, waitMs: Math.max(30_000, staleMs * 2 + 10_000) };
}

async function open(deps: MappingDeps, clientId: string): Promise<void> {
  assertClientId(clientId);
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
}

export interface MappingList {
  client_id: string;
  mappings: Record<string, string>;
  count: number;
  revision: number;
  last_updated: string | null;
  updated_by: string;
  warnings: string[];
}

export async function listMappings(deps: MappingDeps, clientId: string): Promise<MappingList> {
  await open(deps, clientId);
  const { value, warning } = await loadMappings(deps.layout, clientId, { fresh: true });
  const mappings = Object.fromEntries(sortedMappings(value.mappings).map((m) => [m.barcode, m.sku]));
  return {
    client_id: clientId,
    mappings,
    count: Object.keys(mappings).length,
    revision: value.revision,
    last_updated: value.last_updated,
    updated_by: value.updated_by,
    warnings: warning ? [warning] : [],
  };
}

export interface SingleChange {
  client_id: string;
  op: 'set' | 'delete';
  barcode: string;
  sku: string | null;
  previous: string | null;
  changed: boolean;
  revision: number;
  warnings: string[];
}

function single(clientId: string, outcome: MappingChangeOutcome): SingleChange {
  const r = outcome.results[0]!;
  return {
    client_id: clientId,
    op: r.op,
    barcode: r.barcode,
    sku: r.sku,
    previous: r.previous,
    changed: r.changed,
    revision: outcome.revision,
    warnings: outcome.warning ? [outcome.warning] : [],
  };
}

export async function setMapping(
  deps: MappingDeps,
  clientId: string,
  barcode: string,
  sku: string,
): Promise<SingleChange> {
  await open(deps, clientId);
  const change: MappingChange = { op: 'set', barcode, sku };
  const outcome = await changeMappings(deps.layout, clientId, [change], {
    station: deps.station,
    lock: lockOptions(deps.settings),
  });
  return single(clientId, outcome);
}

export async function deleteMapping(
  deps: MappingDeps,
  clientId: string,
  barcode: string,
): Promise<SingleChange> {
  await open(deps, clientId);
  const outcome = await changeMappings(deps.layout, clientId, [{ op: 'delete', barcode }], {
    station: deps.station,
    lock: lockOptions(deps.settings),
  });
  return single(clientId, outcome);
}

// Header spellings seen in supplier sheets and the Python tool's exports, compared without case,
// spaces or punctuation.
const BARCODE_HEADERS = [
  'barcode',
  'barcodes',
  'productbarcode',
  'barcodenumber',
  'ean',
  'ean13',
  'upc',
  'gtin',
  'code',
];
const SKU_HEADERS = ['sku', 'internalsku', 'productsku', 'itemsku', 'skucode', 'article', 'articlenumber'];

function findColumn(headers: string[], accepted: string[]): string | undefined {
  const matches = headers.filter((h) => accepted.includes(normalizeCode(h)));
  // Prefer the most common spelling when a sheet has several candidates (e.g. "SKU" and "Item SKU").
  return matches.sort((a, b) => accepted.indexOf(normalizeCode(a)) - accepted.indexOf(normalizeCode(b)))[0];
}

/**
 * A row of a mapping import that cannot be applied, as the error's details list it (`row`, `reason`).
 * Not the file/row/column problem of list and preparation imports (domain/packing-list-import.ts).
 */
interface MappingRowProblem {
  row: number;
  reason: string;
}

export interface ImportResult {
  client_id: string;
  file: string;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  revision: number;
  warnings: string[];
}

/** Imports barcode,sku rows from a CSV or XLSX file on disk (see importMappingContent). */
export async function importMappings(
  deps: MappingDeps,
  clientId: string,
  file: string,
): Promise<ImportResult> {
  await open(deps, clientId);
  // Loaded on demand: the spreadsheet libraries cost every other command half a second of start-up.
  const { readTabularFile } = await import('../store/tabular-file.js');
  return applyMappingTable(deps, clientId, await readTabularFile(file), path.basename(file));
}

/**
 * Imports barcode,sku rows from the content of a CSV or XLSX file (an upload), named `name` as the
 * shift lead knows it. Every bad row is reported with its row number and reason, and if any row is
 * bad nothing is applied. A good file is applied as one change with one revision, so other stations
 * never see half an import.
 */
export async function importMappingContent(
  deps: MappingDeps,
  clientId: string,
  data: Uint8Array,
  name: string,
): Promise<ImportResult> {
  await open(deps, clientId);
  const { parseTabular } = await import('../store/tabular-file.js');
  return applyMappingTable(deps, clientId, await parseTabular(Buffer.from(data), name), name);
}

async function applyMappingTable(
  deps: MappingDeps,
  clientId: string,
  table: TabularData,
  name: string,
): Promise<ImportResult> {
  const barcodeColumn = findColumn(table.headers, BARCODE_HEADERS);
  const skuColumn = findColumn(table.headers, SKU_HEADERS);
  if (!barcodeColumn || !skuColumn) {
    const missing = [!barcodeColumn && '"barcode"', !skuColumn && '"sku"'].filter(Boolean).join(' and ');
    throw new ValidationError(
      `${name} has no ${missing} column (found: ${table.headers.join(', ')}). The first row must name the columns barcode and sku.`,
      { file: name, headers: table.headers },
    );
  }
  const problems: MappingRowProblem[] = [];
  const changes: MappingChange[] = [];
  const seen = new Map<string, { row: number; sku: string }>();
  for (const { row, values } of table.rows) {
    let barcode: string;
    let sku: string;
    try {
      barcode = cleanBarcode(fromSpreadsheetText(values[barcodeColumn] ?? ''));
      sku = cleanSku(fromSpreadsheetText(values[skuColumn] ?? ''));
    } catch (err) {
      problems.push({ row, reason: (err as Error).message });
      continue;
    }
    const key = normalizeCode(barcode);
    const earlier = seen.get(key);
    if (earlier) {
      if (normalizeCode(earlier.sku) !== normalizeCode(sku)) {
        problems.push({
          row,
          reason: `Barcode "${barcode}" is also on row ${earlier.row} with a different SKU (${earlier.sku}).`,
        });
      }
      continue;
    }
    seen.set(key, { row, sku });
    changes.push({ op: 'set', barcode, sku });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((p) => `row ${p.row}: ${p.reason}`);
    const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
    throw new ValidationError(
      `${name}: ${problems.length} row(s) cannot be imported, so nothing was imported. Fix them and import again.\n  ${shown.join('\n  ')}${more}`,
      { file: name, problems },
    );
  }
  if (changes.length === 0) {
    throw new ValidationError(`${name} has a header row but no mappings under it. Nothing was imported.`, {
      file: name,
    });
  }
  const outcome = await changeMappings(deps.layout, clientId, changes, {
    station: deps.station,
    lock: lockOptions(deps.settings),
  });
  const counts = { added: 0, updated: 0, unchanged: 0 };
  for (const r of outcome.results) {
    if (!r.changed) counts.unchanged++;
    else if (r.previous === null) counts.added++;
    else counts.updated++;
  }
  return {
    client_id: clientId,
    file: name,
    rows: table.rows.length,
    ...counts,
    revision: outcome.revision,
    warnings: [...(table.warnings ?? []), ...(outcome.warning ? [outcome.warning] : [])],
  };
}

export interface ExportResult {
  client_id: string;
  file: string;
  format: 'csv' | 'xlsx';
  count: number;
  revision: number;
}

/** The mappings as a file's content: .xlsx gives a workbook, anything else CSV (UTF-8, comma). */
export async function mappingsFileContent(
  deps: MappingDeps,
  clientId: string,
  format: 'csv' | 'xlsx',
): Promise<{ data: string | Uint8Array; count: number; revision: number }> {
  await open(deps, clientId);
  const { value } = await loadMappings(deps.layout, clientId, { fresh: true });
  const rows = sortedMappings(value.mappings);
  if (format === 'csv') {
    const data = stringify([
      ['barcode', 'sku'],
      ...rows.map((r) => [spreadsheetSafeText(r.barcode), spreadsheetSafeText(r.sku)]),
    ]);
    return { data, count: rows.length, revision: value.revision };
  }
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Mappings');
  sheet.columns = [
    { header: 'barcode', key: 'barcode', width: 22 },
    { header: 'sku', key: 'sku', width: 22 },
  ];
  // Cells are text so barcodes keep their leading zeros in Excel.
  sheet.getColumn(1).numFmt = '@';
  sheet.getColumn(2).numFmt = '@';
  for (const r of rows)
    sheet.addRow({ barcode: spreadsheetSafeText(r.barcode), sku: spreadsheetSafeText(r.sku) });
  const data = new Uint8Array(await workbook.xlsx.writeBuffer());
  return { data, count: rows.length, revision: value.revision };
}

/** Writes the mappings to `file`: .xlsx gives a workbook, anything else CSV (UTF-8, comma). */
export async function exportMappings(
  deps: MappingDeps,
  clientId: string,
  file: string,
  options: { overwrite?: boolean } = {},
): Promise<ExportResult> {
  await open(deps, clientId);
  const target = path.resolve(file);
  const format = path.extname(target).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv';
  if (!options.overwrite) {
    const present = await fs.stat(target).then(
      () => true,
      () => false,
    );
    if (present) {
      throw new AlreadyExistsError(
        `${path.basename(target)} already exists. Choose another file name, or add --force to replace it.`,
        {
          file: target,
        },
      );
    }
  }
  const { data, count, revision } = await mappingsFileContent(deps, clientId, format);
  try {
    await replaceFileAtomic(target, data);
  } catch (err) {
    throw err instanceof PackdeskError ? err : storageErrorFor(err, `write ${path.basename(target)}`, target);
  }
  return { client_id: clientId, file: target, format, count, revision };
}
