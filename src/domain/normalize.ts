// How scanned text is compared with what a list says (DESIGN §6). A scanner, a keyboard and an
// Excel export rarely agree on case, spaces or punctuation, so comparisons use keys, never raw text.
// Raw text is still kept everywhere for display and audit.

const NOT_ORDER_CHAR = /[^\p{L}\p{N}_-]/gu;

/**
 * Order-number key: letters, digits, "-" and "_" kept, everything else dropped, case folded.
 * So "#1001", " 1001 " and "1001" are one order, and "ORD-1" equals "ord-1".
 */
export function normalizeOrderNumber(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(NOT_ORDER_CHAR, '');
}

// SKU / barcode key: letters and digits only, case folded ("SKU-1A", "sku 1a", "SKU_1A" are one
// code). One definition serves the barcode mappings and the scan engine, so they can never disagree.
export { normalizeCode } from './sku-mapping.js';
