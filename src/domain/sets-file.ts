// A sets file as packdesk reads and writes it: `Set_SKU,Component_SKU,Component_Quantity`, one row per
// component, the same format `packdesk prepare --sets` and the Prepare page read. Writing is here so
// the browser's export and any other writer make the same file; reading is readSetsTable
// (stock-table.ts), which the preparation uses too, so an import is checked by the very same rules.
import { z } from 'zod';
import { normalizeCode } from './normalize.js';
import { SetDefinitionSchema, type SetDefinition } from './preparation-settings.js';
import { spreadsheetSafeText } from './spreadsheet-text.js';

export const SETS_FILE_HEADERS = ['Set_SKU', 'Component_SKU', 'Component_Quantity'] as const;

/** One CSV field: quoted when it holds a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The sets as a CSV file (UTF-8, comma, CRLF as spreadsheets write it). A SKU that a spreadsheet
 * would take for a formula is written as text (`'=…`); reading the file back takes that mark off.
 */
export function setsCsvText(sets: readonly SetDefinition[]): string {
  const lines = [SETS_FILE_HEADERS.join(',')];
  for (const set of sets)
    for (const c of set.components)
      lines.push(
        [spreadsheetSafeText(set.sku), spreadsheetSafeText(c.sku), String(c.quantity)]
          .map(csvField)
          .join(','),
      );
  return `${lines.join('\r\n')}\r\n`;
}

/** What importing a sets file answers (`POST /api/clients/:client/preparation/sets`). */
export const SetsImportAnswer = z.object({
  file: z.string(),
  /** Data rows read. */
  rows: z.number().int().nonnegative(),
  sets: z.array(SetDefinitionSchema),
  warnings: z.array(z.string()),
});
export type SetsImportAnswer = z.infer<typeof SetsImportAnswer>;

/**
 * The sets after taking a sets file, as a preparation takes one: the file's definition of a set
 * replaces the one of the same SKU (compared as the scanner compares), the others are added.
 */
export function mergeSets(
  base: readonly SetDefinition[],
  fromFile: readonly SetDefinition[],
): { sets: SetDefinition[]; replaced: number } {
  const inFile = new Set(fromFile.map((s) => normalizeCode(s.sku)));
  const kept = base.filter((s) => !inFile.has(normalizeCode(s.sku)));
  return { sets: [...kept, ...fromFile], replaced: base.length - kept.length };
}
