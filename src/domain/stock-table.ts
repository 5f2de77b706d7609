// The warehouse's stock file (and an optional sets file) read into what the allocation needs: SKU key
// → stock on hand and the warehouse's product name (the name packers know). SKUs compare as the scan
// engine compares them, after dropping a spreadsheet's ".0"; leading zeros are kept.
import { normalizeCode } from './normalize.js';
import type { SetDefinition, StockColumns } from './preparation-settings.js';
import { ProblemList, type InputTable } from './input-problems.js';
import { cleanExportSku, isStockSku, parseWholeNumber } from './shopify-orders.js';

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
  const lookup = new Map(table.headers.map((h) => [h.toLowerCase(), h]));
  const skuH = lookup.get(columns.sku.toLowerCase());
  const stockH = lookup.get(columns.stock.toLowerCase());
  const nameH = lookup.get(columns.product_name.toLowerCase()) ?? null;
  if (!skuH || !stockH) {
    const missing = [!skuH ? columns.sku : null, !stockH ? columns.stock : null].filter(Boolean);
    problems.add(
      table.file,
      table.headerRow,
      null,
      `the stock file has no column ${missing.map((m) => `"${m}"`).join(', ')} (the client's stock column mapping). Its columns are: ${table.headers.join(', ')}`,
    );
    problems.throwIfAny('The stock file was not read');
  }
  const bySku = new Map<string, StockEntry>();
  let noSku = 0;
  for (const r of table.rows) {
    const sku = cleanExportSku(r.values[skuH!] ?? '');
    if (!isStockSku(sku)) {
      noSku++;
      continue;
    }
    const raw = r.values[stockH!] ?? '';
    const stock = parseWholeNumber(raw);
    if (stock === null) {
      problems.add(
        table.file,
        r.row,
        stockH!,
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
        skuH!,
        `SKU ${sku} is listed twice (rows ${first.row} and ${r.row}); keep one row per SKU`,
      );
      continue;
    }
    bySku.set(key, { sku, product_name: nameH ? (r.values[nameH] ?? '').trim() : '', stock, row: r.row });
  }
  problems.throwIfAny('The stock file was not read');
  const warnings = noSku > 0 ? [`${table.file}: ${noSku} row(s) without a SKU were left out.`] : [];
  return { file: table.file, bySku, warnings };
}

const SET_COLUMNS = { set: 'set_sku', component: 'component_sku', quantity: 'component_quantity' };

/** A sets file: `Set_SKU,Component_SKU,Component_Quantity`, one row per component. */
export function readSetsTable(table: InputTable): SetDefinition[] {
  const problems = new ProblemList();
  const lookup = new Map(table.headers.map((h) => [h.toLowerCase(), h]));
  const cols = Object.fromEntries(
    Object.entries(SET_COLUMNS).map(([k, name]) => [k, lookup.get(name) ?? null]),
  ) as Record<keyof typeof SET_COLUMNS, string | null>;
  if (!cols.set || !cols.component || !cols.quantity) {
    problems.add(
      table.file,
      table.headerRow,
      null,
      `a sets file has the columns Set_SKU, Component_SKU, Component_Quantity. Its columns are: ${table.headers.join(', ')}`,
    );
    problems.throwIfAny('The sets file was not read');
  }
  const sets = new Map<string, SetDefinition>();
  for (const r of table.rows) {
    const set = cleanExportSku(r.values[cols.set!] ?? '');
    const component = cleanExportSku(r.values[cols.component!] ?? '');
    const qtyRaw = r.values[cols.quantity!] ?? '';
    const quantity = parseWholeNumber(qtyRaw);
    if (!isStockSku(set)) problems.add(table.file, r.row, cols.set!, 'the set SKU is empty');
    else if (!isStockSku(component))
      problems.add(table.file, r.row, cols.component!, 'the component SKU is empty');
    else if (quantity === null || quantity < 1 || quantity > 10_000)
      problems.add(table.file, r.row, cols.quantity!, `"${qtyRaw}" is not a whole number of at least 1`);
    else {
      const key = normalizeCode(set);
      const def = sets.get(key) ?? { sku: set, components: [] };
      def.components.push({ sku: component, quantity });
      sets.set(key, def);
    }
  }
  problems.throwIfAny('The sets file was not read');
  return [...sets.values()];
}
