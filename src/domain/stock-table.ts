// The warehouse's stock file (and an optional sets file) read into what the allocation needs: SKU key
// → stock on hand and the warehouse's product name (the name packers know). SKUs compare as the scan
// engine compares them, after dropping a spreadsheet's ".0"; leading zeros are kept.
import { normalizeCode } from './normalize.js';
import { FIELD_LIMITS } from './field-limits.js';
import { setCycle, type SetDefinition, type StockColumns } from './preparation-settings.js';
import { fromSpreadsheetText } from './spreadsheet-text.js';
import { headerIndex, ProblemList, type InputTable } from './input-problems.js';
import { cleanExportSku, clip, isStockSku, parseWholeNumber, TEXT_LIMITS } from './shopify-orders.js';

export interface StockEntry {
  sku: string;
  product_name: string;
  stock: number;
  row: number;
}

export interface StockTable {
  file: string;
  bySku: Map<string, StockEntry>;
  warnings: string[];
}

/**
 * Reads the stock file. The same SKU on two rows is refused (naming both rows): summing could ship
 * goods the warehouse does not have, and picking one would be a guess.
 */
export function readStockTable(table: InputTable, columns: StockColumns): StockTable {
  const problems = new ProblemList();
  const at = headerIndex(table.headers);
  const skuI = at(columns.sku);
  const stockI = at(columns.stock);
  const nameI = at(columns.product_name);
  if (skuI === null || stockI === null) {
    const missing = [skuI === null ? columns.sku : null, stockI === null ? columns.stock : null].filter(
      Boolean,
    );
    problems.add(
      table.file,
      table.headerRow,
      null,
      `the stock file has no column ${missing.map((m) => `"${m}"`).join(', ')} (the client's stock column mapping). Its columns are: ${table.headers.join(', ')}`,
    );
    problems.throwIfAny('The stock file was not read');
  }
  const skuH = table.headers[skuI!]!;
  const stockH = table.headers[stockI!]!;
  const bySku = new Map<string, StockEntry>();
  let noSku = 0;
  for (const r of table.rows) {
    const sku = cleanExportSku(r.cells[skuI!] ?? '');
    if (!isStockSku(sku)) {
      noSku++;
      continue;
    }
    if (sku.length > TEXT_LIMITS.sku) {
      problems.add(table.file, r.row, skuH, `the SKU is longer than ${TEXT_LIMITS.sku} characters`);
      continue;
    }
    const raw = r.cells[stockI!] ?? '';
    const stock = parseWholeNumber(raw);
    if (stock === null) {
      problems.add(
        table.file,
        r.row,
        stockH,
        raw.trim() === '' ? 'the stock is empty' : `"${raw}" is not a whole number`,
      );
      continue;
    }
    const key = normalizeCode(sku);
    const first = bySku.get(key);
    if (first) {
      problems.add(
        table.file,
        r.row,
        skuH,
        `SKU ${sku} is listed twice (rows ${first.row} and ${r.row}); keep one row per SKU`,
      );
      continue;
    }
    bySku.set(key, {
      sku,
      product_name: nameI !== null ? clip(r.cells[nameI] ?? '', TEXT_LIMITS.name) : '',
      stock,
      row: r.row,
    });
  }
  problems.throwIfAny('The stock file was not read');
  const warnings = noSku > 0 ? [`${table.file}: ${noSku} row(s) without a SKU were left out.`] : [];
  return { file: table.file, bySku, warnings };
}

/** As the settings allow (SetDefinitionSchema). */
const MAX_SET_COMPONENTS = 200;

/** What is wrong with a set or component SKU of a sets file, or null. */
function setSkuProblem(sku: string, what: 'set' | 'component'): string | null {
  if (!isStockSku(sku)) return `the ${what} SKU is empty`;
  if (sku.length > FIELD_LIMITS.skuChars)
    return `the ${what} SKU is longer than ${FIELD_LIMITS.skuChars} characters`;
  return null;
}

const SET_COLUMNS = { set: 'set_sku', component: 'component_sku', quantity: 'component_quantity' };

/** A sets file: `Set_SKU,Component_SKU,Component_Quantity`, one row per component. */
export function readSetsTable(table: InputTable): SetDefinition[] {
  const problems = new ProblemList();
  const at = headerIndex(table.headers);
  const idx = {
    set: at(SET_COLUMNS.set),
    component: at(SET_COLUMNS.component),
    quantity: at(SET_COLUMNS.quantity),
  };
  if (idx.set === null || idx.component === null || idx.quantity === null) {
    problems.add(
      table.file,
      table.headerRow,
      null,
      `a sets file has the columns Set_SKU, Component_SKU, Component_Quantity. Its columns are: ${table.headers.join(', ')}`,
    );
    problems.throwIfAny('The sets file was not read');
  }
  const cols = {
    set: table.headers[idx.set!]!,
    component: table.headers[idx.component!]!,
    quantity: table.headers[idx.quantity!]!,
  };
  const sets = new Map<string, SetDefinition>();
  /** Where each set starts, to name the row of a set in a cycle. */
  const firstRow = new Map<string, number>();
  // A file packdesk exported marks formula-like text with an apostrophe; it reads back as the value.
  const cell = (r: { cells: string[] }, i: number) => cleanExportSku(fromSpreadsheetText(r.cells[i] ?? ''));
  for (const r of table.rows) {
    const set = cell(r, idx.set!);
    const component = cell(r, idx.component!);
    const qtyRaw = r.cells[idx.quantity!] ?? '';
    const quantity = parseWholeNumber(qtyRaw);
    const setProblem = setSkuProblem(set, 'set');
    const componentProblem = setSkuProblem(component, 'component');
    if (setProblem) problems.add(table.file, r.row, cols.set, setProblem);
    else if (componentProblem) problems.add(table.file, r.row, cols.component, componentProblem);
    else if (quantity === null || quantity < 1 || quantity > 10_000)
      problems.add(table.file, r.row, cols.quantity, `"${qtyRaw}" is not a whole number of at least 1`);
    else {
      const key = normalizeCode(set);
      const def = sets.get(key) ?? { sku: set, components: [] };
      if (def.components.length >= MAX_SET_COMPONENTS)
        problems.add(table.file, r.row, cols.component, `a set has at most ${MAX_SET_COMPONENTS} components`);
      def.components.push({ sku: component, quantity });
      sets.set(key, def);
      if (!firstRow.has(key)) firstRow.set(key, r.row);
    }
  }
  // Sets may nest (a set of sets), but a cycle never ends: named at the row where its first set starts.
  const cycle = problems.count === 0 ? setCycle([...sets.values()]) : null;
  if (cycle)
    problems.add(
      table.file,
      firstRow.get(normalizeCode(cycle[0]!))!,
      cols.set,
      `the sets contain a cycle (${cycle.join(' → ')}), so they never end`,
    );
  problems.throwIfAny('The sets file was not read');
  return [...sets.values()];
}
