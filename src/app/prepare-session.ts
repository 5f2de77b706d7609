// Use case: a shift lead prepares the day. The morning's Shopify orders export(s) and the warehouse's
// stock file (and optionally a sets file) become a packdesk session: the fulfilment analysis, one
// packing list per definition (default: per courier), and the stock write-off export. Nothing is
// written while any input is refused, and the session appears whole under a new id or not at all.
import { ValidationError } from '../domain/errors.js';
import { assertClientId } from '../domain/ids.js';
import {
  analyseFulfilment,
  type AnalysisResult,
  type OrdersHandedOver,
  type PreparedList,
  type RepeatHistory,
} from '../domain/fulfilment-analysis.js';
import { packingListOrder } from '../domain/prepared-list.js';
import { storedAnalysisFile, type AnalysisInputFile } from '../domain/analysis-file.js';
import type { InputTable } from '../domain/input-problems.js';
import { PACKING_LIST_FORMAT_VERSION, type PackingList } from '../domain/packing-list.js';
import type { PreparationEdit } from '../domain/preparation-edits.js';
import { setCycle, type PreparationSettings, type SetDefinition } from '../domain/preparation-settings.js';
import { PreparedSessionRecordSchema, type PreparedSessionRecord } from '../domain/prepared-session.js';
import { ShopifyOrdersReader, type ShopifyOrder } from '../domain/shopify-orders.js';
import { readSetsTable, readStockTable, type StockTable } from '../domain/stock-table.js';
import { mergeSets } from '../domain/sets-file.js';
import { openDataRoot } from '../store/data-root.js';
import { wallNowIso } from '../store/lease/clock.js';
import { loadClientConfig } from '../store/profiles.js';
import {
  ANALYSIS_JSON,
  ANALYSIS_XLSX,
  PREPARATION_RECORD,
  analysisWorkbook,
  storedInputName,
  writeOffFiles,
} from '../store/prepared-session-files.js';
import { appendIndexEvents, sessionEntry } from '../store/session-index.js';
import { createSessionFolder, type StoredList } from '../store/sessions.js';
import { preparedSummaryOf } from '../domain/session.js';
import { jsonChunks, type FileContent } from '../store/file-content.js';
import { bytesSeen, checkedCopy, type BytesSeen } from '../store/checked-copy.js';
import { parseCellTable, readImportFile, scanTabular, type TabularAbout } from '../store/tabular-file.js';
import type { Deps, StationIdentity } from './open-list.js';
import type { PreparationMemo } from './preparation-memo.js';
import { packedBefore } from './repeat-history.js';

/** An input file given as its bytes (an upload). */
export interface InputBytes {
  /** The file's name as the person chose it (messages, and the copy kept in the session). */
  name: string;
  data: Buffer;
}

/**
 * An input file on disk (named on the command line). Preparing reads it once and keeps no reference
 * to its bytes; the session's copy is streamed from disk when the session is written, checked to be
 * the bytes that were analysed.
 */
export interface InputOnDisk {
  /** The file's name as the person knows it (messages, and the copy kept in the session). */
  name: string;
  path: string;
}

export type InputFile = InputBytes | InputOnDisk;

export interface PrepareInputs {
  orders: InputFile[];
  stock: InputFile;
  sets?: InputFile;
}

export type PreparePhase = 'read' | 'analyse' | 'write';
export type PrepareProgress = (phase: PreparePhase, detail: string) => void;

export interface PrepareOptions {
  dryRun?: boolean;
  onProgress?: PrepareProgress;
  /** Keeps the inputs as read and the analysis, so the session's first edit need not read them again. */
  memo?: PreparationMemo;
}

export interface PreparedFiles {
  analysis_json: string;
  analysis_xlsx: string;
  writeoff: string[];
  lists: string[];
}

export interface PrepareResult {
  session: string | null;
  dry_run: boolean;
  result: AnalysisResult;
  inputs: AnalysisInputFile[];
  files: PreparedFiles | null;
}

const MAX_INPUT_BYTES = 200 * 1024 * 1024;

interface ReadInputs {
  orders: ShopifyOrder[];
  stock: StockTable;
  sets: SetDefinition[];
  inputs: AnalysisInputFile[];
  warnings: string[];
  /** What was read of each input given on disk: its copy in the session must be those bytes. */
  fromDisk: Map<InputOnDisk, BytesSeen>;
}

/**
 * An input's bytes: as given, or read from disk (noting what was read in `fromDisk`). Called by the
 * function that parses the file, so the bytes are garbage once it returns.
 */
async function bytesOf(file: InputFile, fromDisk: ReadInputs['fromDisk']): Promise<Buffer> {
  if ('data' in file) return file.data;
  const data = await readImportFile(file.path, file.name, MAX_INPUT_BYTES);
  fromDisk.set(file, bytesSeen(data));
  return data;
}

/** What the session stores of an input: its bytes as given, or a checked copy of the file on disk. */
function storedCopy(file: InputFile, fromDisk: ReadInputs['fromDisk']): FileContent {
  if ('data' in file) return file.data;
  const seen = fromDisk.get(file);
  if (!seen) throw new Error(`${file.name} was not read before being copied`);
  return checkedCopy(file.path, file.name, seen);
}

function inputMeta(
  name: string,
  about: Pick<TabularAbout, 'format' | 'encoding' | 'delimiter'> & { rows: number },
): Omit<AnalysisInputFile, 'kind' | 'stored_as'> {
  return {
    file: name,
    rows: about.rows,
    format: about.format,
    ...(about.encoding ? { encoding: about.encoding } : {}),
    ...(about.delimiter ? { delimiter: about.delimiter } : {}),
  };
}

async function table(
  file: InputFile,
  fromDisk: ReadInputs['fromDisk'],
): Promise<{ table: InputTable; meta: Omit<AnalysisInputFile, 'kind' | 'stored_as'>; warnings: string[] }> {
  const data = await parseCellTable(await bytesOf(file, fromDisk), file.name);
  return {
    table: { file: file.name, headers: data.headers, headerRow: data.headerRow, rows: data.rows },
    meta: inputMeta(file.name, { ...data, rows: data.rows.length }),
    warnings: data.warnings ?? [],
  };
}

/** Reads and checks every input; throws one ValidationError listing every problem. */
export async function readPrepareInputs(
  inputs: PrepareInputs,
  settings: PreparationSettings,
): Promise<ReadInputs> {
  if (inputs.orders.length === 0)
    throw new ValidationError('Give at least one Shopify orders export.', { field: 'orders' });
  const metas: AnalysisInputFile[] = [];
  const fileWarnings: string[] = [];
  const fromDisk: ReadInputs['fromDisk'] = new Map();
  // Exports are read a row at a time into orders: the largest file is never held as a table.
  const reader = new ShopifyOrdersReader(settings.orders_columns);
  const scanOrders = async (f: InputFile) => {
    let readable = false;
    // An export on disk is read a chunk at a time (never held whole), noting the bytes it was read from.
    const source =
      'data' in f
        ? f.data
        : { path: f.path, maxBytes: MAX_INPUT_BYTES, onBytes: (seen: BytesSeen) => fromDisk.set(f, seen) };
    const about = await scanTabular(source, f.name, {
      header: (headers, headerRow) => {
        readable = reader.beginFile(f.name, headers, headerRow);
      },
      row: (row, cells) => {
        if (readable) reader.row(row, cells);
      },
    });
    reader.endFile();
    return about;
  };
  for (const [i, f] of inputs.orders.entries()) {
    const about = await scanOrders(f);
    metas.push({
      kind: 'orders',
      stored_as: storedInputName('orders', i, f.name),
      ...inputMeta(f.name, about),
    });
  }
  const orders = reader.finish();
  const stockT = await table(inputs.stock, fromDisk);
  metas.push({ kind: 'stock', stored_as: storedInputName('stock', 0, inputs.stock.name), ...stockT.meta });
  fileWarnings.push(...stockT.warnings);
  const stock = readStockTable(stockT.table, settings.stock_columns);
  let sets = settings.sets;
  if (inputs.sets) {
    const setsT = await table(inputs.sets, fromDisk);
    metas.push({ kind: 'sets', stored_as: storedInputName('sets', 0, inputs.sets.name), ...setsT.meta });
    fileWarnings.push(...setsT.warnings);
    // The file's definition of a set replaces the settings' one of the same SKU, as an import does.
    sets = mergeSets(settings.sets, readSetsTable(setsT.table)).sets;
    const cycle = setCycle(sets);
    if (cycle)
      throw new ValidationError(
        `${inputs.sets.name}: the sets contain a cycle (${cycle.join(' → ')}), so they never end. Fix the sets file.`,
        {
          file: inputs.sets.name,
        },
      );
  }
  if (orders.orders.length === 0)
    throw new ValidationError(`The orders export has no orders.`, { file: inputs.orders[0]!.name });
  return {
    orders: orders.orders,
    stock,
    sets,
    inputs: metas,
    warnings: [...fileWarnings, ...orders.warnings],
    fromDisk,
  };
}

/**
 * How many orders were read. A function of its own so the array never sits in a register of the
 * caller's frame: V8 keeps an interpreted frame's registers alive as they are, and a stale one kept
 * every order as read alive through the whole analysis after they were handed over.
 */
function orderCount(read: ReadInputs): number {
  return read.orders.length;
}

/** The orders as read, handed over to the analysis: `read` holds none of them after. */
function handOver(read: ReadInputs): OrdersHandedOver {
  return {
    take: () => {
      const orders = read.orders;
      read.orders = [];
      return orders;
    },
  };
}

export function repeatHistoryOf(record: PreparedSessionRecord['repeats']): RepeatHistory {
  return { orderKeys: new Set(record.order_keys), emails: new Set(record.emails) };
}

interface OutputMeta {
  client: string;
  session: string;
  now: string;
  settings: PreparationSettings;
  inputs: AnalysisInputFile[];
  edits: readonly PreparationEdit[];
}

/** The packing lists the analysis decided, as stored in the session. */
export function preparedLists(
  result: AnalysisResult,
  meta: Pick<OutputMeta, 'now' | 'inputs'>,
): StoredList[] {
  return result.lists.map((l) => {
    const list: Omit<PackingList, 'orders'> & { orders: PreparedList['orders'] } = {
      format_version: PACKING_LIST_FORMAT_VERSION,
      list_name: l.name,
      created_at: meta.now,
      source: {
        format: 'shopify-export',
        file: meta.inputs.find((i) => i.kind === 'orders')?.file ?? '',
        imported_at: meta.now,
      },
      orders: l.orders,
    };
    return {
      name: l.name,
      // Each order's stored form is made as its piece of the file is written.
      json: jsonChunks(list, 'orders', (_, i) => packingListOrder(l, i)),
      orders_total: l.orders_total,
      items_total: l.items_total,
    };
  });
}

const settingsJson = (settings: PreparationSettings) => JSON.stringify(settings, null, 2);

/**
 * The analysis files and write-off exports, as files to write (paths relative to the session). The
 * workbook is being made from the moment this returns: the caller writes or discards every file.
 */
export async function preparedFiles(
  result: AnalysisResult,
  meta: OutputMeta,
): Promise<{
  files: Array<{ path: string; data: FileContent }>;
  paths: Omit<PreparedFiles, 'lists'>;
}> {
  const exportFiles: Record<string, string[]> = {};
  const files: Array<{ path: string; data: FileContent }> = [];
  for (const exp of result.exports) {
    for (const f of await writeOffFiles(exp)) {
      const p = `exports/${f.name}`;
      (exportFiles[exp.name] ??= []).push(p);
      files.push({ path: p, data: f.data });
    }
  }
  const analysis = storedAnalysisFile(result, {
    client: meta.client,
    session: meta.session,
    generatedAt: meta.now,
    editsApplied: meta.edits.length,
    inputs: meta.inputs,
    exportFiles,
  });
  files.push({ path: ANALYSIS_JSON, data: jsonChunks(analysis.doc, 'orders', analysis.row) });
  // Started here, once nothing before the writing can fail, so it is never left half made; making and
  // deflating it overlaps writing the lists and the files before it.
  files.push({ path: ANALYSIS_XLSX, data: analysisWorkbook(result, settingsJson(meta.settings)) });
  return {
    files,
    paths: {
      analysis_json: ANALYSIS_JSON,
      analysis_xlsx: ANALYSIS_XLSX,
      writeoff: Object.values(exportFiles).flat(),
    },
  };
}

/**
 * Reads the inputs and analyses them. The orders as read are returned only when asked for (to keep
 * for later edits): otherwise they are garbage once the analysis is made, not held while the session
 * is written.
 */
async function readAndAnalyse(
  deps: Deps,
  client: string,
  inputs: PrepareInputs,
  settings: PreparationSettings,
  progress: PrepareProgress,
  keep: boolean,
): Promise<{
  result: AnalysisResult;
  sets: SetDefinition[];
  metas: AnalysisInputFile[];
  repeats: PreparedSessionRecord['repeats'];
  kept: ReadInputs | null;
  fromDisk: ReadInputs['fromDisk'];
}> {
  progress('read', `reading ${inputs.orders.length + 1 + (inputs.sets ? 1 : 0)} file(s)`);
  const read = await readPrepareInputs(inputs, settings);
  progress('read', `${orderCount(read)} orders, ${read.stock.bySku.size} stock SKUs`);
  const packed = await packedBefore(deps, client, settings.repeat_window_days, (n) =>
    progress('read', `looked at ${n} earlier list(s) for repeats`),
  );
  const repeats: PreparedSessionRecord['repeats'] = {
    window_days: settings.repeat_window_days,
    order_keys: [...packed.orderKeys],
    emails: [...packed.emails],
  };
  progress('analyse', `allocating stock to ${orderCount(read)} orders`);
  const result = analyseFulfilment({
    // Kept for later edits, or handed over so they are garbage as soon as the analysis has its own.
    orders: keep ? read.orders : handOver(read),
    stock: read.stock,
    sets: read.sets,
    settings,
    repeats: repeatHistoryOf(repeats),
    edits: [],
  });
  result.warnings.unshift(...read.warnings);
  return {
    result,
    sets: read.sets,
    metas: read.inputs,
    repeats,
    kept: keep ? read : null,
    fromDisk: read.fromDisk,
  };
}

/**
 * Prepares a session from the day's files. With dryRun the analysis is run and returned, and
 * nothing is written.
 */
export async function prepareSession(
  deps: Deps,
  client: string,
  inputs: PrepareInputs,
  by: StationIdentity,
  options: PrepareOptions = {},
): Promise<PrepareResult> {
  assertClientId(client);
  const progress = options.onProgress ?? (() => {});
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const config = (await loadClientConfig(deps.layout, client, { fresh: true })).value;
  const settings = config.preparation;

  const { result, sets, metas, repeats, kept, fromDisk } = await readAndAnalyse(
    deps,
    client,
    inputs,
    settings,
    progress,
    options.memo !== undefined,
  );
  if (options.dryRun) return { session: null, dry_run: true, result, inputs: metas, files: null };

  progress('write', `writing ${result.lists.length} list(s) and the analysis`);
  const now = wallNowIso();
  const lists = preparedLists(result, { now, inputs: metas });
  let paths: PreparedFiles | null = null;
  const copy = (f: InputFile) => storedCopy(f, fromDisk);
  const inputFiles = [
    ...inputs.orders.map((f, i) => ({
      path: `input/${storedInputName('orders', i, f.name)}`,
      data: copy(f),
    })),
    { path: `input/${storedInputName('stock', 0, inputs.stock.name)}`, data: copy(inputs.stock) },
    ...(inputs.sets
      ? [{ path: `input/${storedInputName('sets', 0, inputs.sets.name)}`, data: copy(inputs.sets) }]
      : []),
  ];
  const record = (session: string): PreparedSessionRecord => ({
    schema_version: 1,
    client,
    session,
    prepared_at: now,
    by,
    settings,
    sets,
    inputs: metas,
    repeats,
  });
  const info = await createSessionFolder(deps.layout, client, by, lists, {
    files: inputFiles,
    prepared: { analysis: ANALYSIS_JSON, revision: 0, summary: preparedSummaryOf(result.counts) },
    // The session id is known once its folder exists; the files that name it are made then.
    late: async (session) => {
      const out = await preparedFiles(result, {
        client,
        session,
        now,
        settings,
        inputs: metas,
        edits: [],
      });
      paths = { ...out.paths, lists: lists.map((l) => `packing_lists/${l.name}.json`) };
      return [...out.files, { path: PREPARATION_RECORD, data: `${JSON.stringify(record(session))}\n` }];
    },
  });
  await appendIndexEvents(deps.layout, client, [{ type: 'session', entry: sessionEntry(info) }]);
  if (options.memo && kept) {
    // As an edit would read it back: the record through its schema, the settings with the sets used.
    const stored = PreparedSessionRecordSchema.parse(JSON.parse(JSON.stringify(record(info.session_id))));
    const loaded = { record: stored, read: kept, settings: { ...stored.settings, sets: stored.sets } };
    options.memo.remember(deps.layout, client, info.session_id, loaded, [], result);
  }
  return { session: info.session_id, dry_run: false, result, inputs: metas, files: paths };
}
