// Text that packdesk writes into a CSV or XLSX cell. A cell that starts with = + - @ (or a tab or
// carriage return, which some spreadsheets skip before looking for a formula) is read as a formula
// when a person opens the file, so a hostile SKU or product name could run a command on the shift
// lead's PC. Prefixing an apostrophe is the form spreadsheets themselves use to mark "this is text",
// and it is visible, so nobody mistakes the cell for the original value silently.
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell text a spreadsheet shows as text, never evaluates. */
export function spreadsheetSafeText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * The value a cell packdesk wrote stands for: the apostrophe spreadsheetSafeText added is taken off
 * again, so a file packdesk exported imports back to the same values.
 */
export function fromSpreadsheetText(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** A spreadsheet's column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
