// Use case: a shift lead imports a packing list file (XLSX, CSV, packdesk JSON, or the Shopify
// Tool's JSON) and gets packdesk's normalised list back, or one error that lists every problem.
// The format is told from the file's content (a zip is a workbook, "{" is JSON) with the extension
// as a hint, because warehouse files are often misnamed.
import path from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { assertSafeName, safeNameProblem } from '../domain/ids.js';
import {
  packingListFromPackdeskJson,
  packingListFromShopifyJson,
  packingListFromTable,
  type ColumnMapping,
  type ImportedList,
  type ImportMeta,
} from '../domain/packing-list-import.js';
import { parseTabular, readImportFile } from '../store/tabular-file.js';
import { looksLikeZip } from '../store/zip-inspect.js';

/** The top of a JSON packing list: an object; what it holds is read by the format's own schema. */
const JsonObject = z.record(z.string(), z.unknown());

export interface ImportPackingListOptions {
  /** The client's required_columns (only used for CSV/XLSX). */
  columns: ColumnMapping;
  /** Name of the list; defaults to the file name without extension, made safe. */
  listName?: string;
  now: Date;
  /** Largest file accepted, in bytes (default 200 MB). */
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024;

/** A list name from a file name: unsafe characters become "_" (names become folder names on the share). */
export function listNameFromFile(fileName: string): string {
  const stem = path.basename(fileName, path.extname(fileName));
  const cleaned = stem
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 74)
    .replace(/[._-]+$/, '');
  const name = cleaned || 'list';
  return safeNameProblem(name, 'Packing list name') ? `list_${name}` : name;
}

function looksLikeJson(buf: Buffer, ext: string): boolean {
  if (looksLikeZip(buf)) return false; // a workbook saved as .json is still a workbook
  if (ext === '.json') return true;
  const head = buf
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('{');
}

export async function importPackingListBytes(
  buf: Buffer,
  fileName: string,
  options: ImportPackingListOptions,
): Promise<ImportedList> {
  const listName =
    options.listName !== undefined
      ? assertSafeName(options.listName, 'Packing list name')
      : listNameFromFile(fileName);
  const now = options.now.toISOString();
  const ext = path.extname(fileName).toLowerCase();
  if (buf.length > 0 && looksLikeJson(buf, ext)) {
    let raw: unknown;
    try {
      raw = JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new ValidationError(
        `${fileName} is not valid JSON (${(err as Error).message}). Export the list again.`,
        { file: fileName },
      );
    }
    const object = JsonObject.safeParse(raw);
    if (!object.success) {
      throw new ValidationError(`${fileName} is not a packing list: expected an object with "orders".`, {
        file: fileName,
      });
    }
    const obj = object.data;
    if ('format_version' in obj) {
      const meta: ImportMeta = {
        fileName,
        listName,
        now,
        source: { format: 'packdesk-json', file: fileName, imported_at: now },
      };
      return packingListFromPackdeskJson(raw, meta);
    }
    if ('orders' in obj) {
      const meta: ImportMeta = {
        fileName,
        listName,
        now,
        source: { format: 'shopify-json', file: fileName, imported_at: now },
      };
      return packingListFromShopifyJson(obj, meta);
    }
    throw new ValidationError(`${fileName} is not a packing list: it has no "orders".`, { file: fileName });
  }
  if (buf.length === 0)
    throw new ValidationError(`${fileName} is empty. Export the list again.`, { file: fileName });
  const table = await parseTabular(buf, fileName);
  const meta: ImportMeta = {
    fileName,
    listName,
    now,
    source: {
      format: table.format,
      file: fileName,
      imported_at: now,
      ...(table.encoding ? { encoding: table.encoding } : {}),
      ...(table.delimiter ? { delimiter: table.delimiter } : {}),
      ...(table.sheet ? { sheet: table.sheet } : {}),
    },
  };
  const imported = packingListFromTable(table, options.columns, meta);
  return { ...imported, warnings: [...(table.warnings ?? []), ...imported.warnings] };
}

/** Reads and converts a packing list file. Throws ValidationError (with every row problem) or StorageError. */
export async function importPackingList(
  file: string,
  options: ImportPackingListOptions,
): Promise<ImportedList> {
  const fileName = path.basename(file);
  const buf = await readImportFile(file, fileName, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  return importPackingListBytes(buf, fileName, options);
}
