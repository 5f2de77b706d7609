// Problems found in the files a shift lead brings to a preparation (orders exports, stock, sets).
// Every problem names file, row and column; all of them are collected and reported together, so one
// run shows everything to fix, and nothing is written while any remain.
import { ValidationError } from './errors.js';
import type { RowProblem } from './packing-list-import.js';

/** A spreadsheet as read from a file: header plus rows numbered as Excel shows them, cells in header order. */
export interface InputTable {
  file: string;
  headers: string[];
  headerRow: number;
  rows: Array<{ row: number; cells: string[] }>;
}

/** Column positions by header, compared case-insensitively (people retype headers). */
export function headerIndex(headers: readonly string[]): (header: string) => number | null {
  const lookup = new Map(headers.map((h, i) => [h.toLowerCase(), i]));
  return (header) => lookup.get(header.toLowerCase()) ?? null;
}

const MAX_PROBLEMS = 200;
const SHOWN_PROBLEMS = 8;

export class ProblemList {
  readonly list: RowProblem[] = [];
  private total = 0;

  add(file: string, row: number | string, column: string | null, message: string): void {
    this.total++;
    if (this.list.length < MAX_PROBLEMS) this.list.push({ file, row, column, message });
  }

  get count(): number {
    return this.total;
  }

  /** Throws one ValidationError listing the problems (the first few in the message, all in details). */
  throwIfAny(headline: string): void {
    if (this.total === 0) return;
    const shown = this.list.slice(0, SHOWN_PROBLEMS).map((p) => `  ${describeProblemPlace(p)}: ${p.message}`);
    const more = this.total > SHOWN_PROBLEMS ? `\n  … and ${this.total - SHOWN_PROBLEMS} more` : '';
    throw new ValidationError(
      `${headline}: ${this.total === 1 ? 'one problem' : `${this.total} problems`}. Fix the file and run again; nothing was written.\n${shown.join('\n')}${more}`,
      { problems: this.list, problems_total: this.total },
    );
  }
}

export function describeProblemPlace(p: RowProblem): string {
  const row = typeof p.row === 'number' ? `row ${p.row}` : p.row;
  return p.column ? `${p.file}, ${row}, column "${p.column}"` : `${p.file}, ${row}`;
}
