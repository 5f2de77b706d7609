// Use case: read a sets file a shift lead brings to the settings editor (CSV with any common delimiter
// and encoding, or XLSX), checked by the same rules as a preparation's sets file: every problem named
// by file, row and column, nested sets allowed, a cycle refused. Nothing is saved: the editor shows
// the sets, and saving goes through the client's settings like any other change.
import type { SetsImportAnswer } from '../domain/sets-file.js';
import { readSetsTable } from '../domain/stock-table.js';
import { parseCellTable } from '../store/tabular-file.js';

export async function readSetsFile(data: Buffer, fileName: string): Promise<SetsImportAnswer> {
  const table = await parseCellTable(data, fileName);
  const sets = readSetsTable({
    file: fileName,
    headers: table.headers,
    headerRow: table.headerRow,
    rows: table.rows,
  });
  return { file: fileName, rows: table.rows.length, sets, warnings: table.warnings ?? [] };
}
