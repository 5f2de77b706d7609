// How scanned text is compared with what a list says (DESIGN §6). A scanner, a keyboard and an
// Excel export rarely agree on case, spaces or punctuation, so comparisons use keys, never raw text.
// Raw text is still kept everywhere for display and audit.

const NOT_ORDER_CHAR = /[^\p{L}\p{N}_-]/gu;
// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ASCII = /^[\x00-\x7f]*$/;
const NOT_ASCII_ORDER_CHAR = /[^a-z0-9_-]/g;

/**
 * Order-number key: letters, digits, "-" and "_" kept, everything else dropped, case folded.
 * So "#1001", " 1001 " and "1001" are one order, and "ORD-1" equals "ord-1".
 */
export function normalizeOrderNumber(text: string): string {
  // Plain-ASCII fast path (NFKC changes nothing there, and the only ASCII letters and digits are
  // a-z, 0-9): an export has one order number per order, 200,000 of them.
  if (ASCII.test(text)) return text.toLowerCase().replace(NOT_ASCII_ORDER_CHAR, '');
  return text.normalize('NFKC').toLowerCase().replace(NOT_ORDER_CHAR, '');
}

// SKU / barcode key: letters and digits only, case folded ("SKU-1A", "sku 1a", "SKU_1A" are one
// code). One definition serves the barcode mappings and the scan engine, so they can never disagree.
export { normalizeCode } from './sku-mapping.js';
