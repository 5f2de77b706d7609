// What a printed barcode says. An order label carries the order number exactly as a station
// normalises a scan (normalizeOrderNumber), so whatever the scanner reads opens that order; command
// and list barcodes carry words starting with "!", which no order number can (see scan-commands.ts).
import { ValidationError } from './errors.js';
import { normalizeOrderNumber } from './normalize.js';

// Code 128 carries ASCII. The order-number key can hold letters of any script (an order "Заказ-7"),
// and those cannot be printed as bars a scanner reads back the same.
const CODE128_TEXT = /^[\x20-\x7e]+$/;

export function orderBarcodeText(orderNumber: string): string {
  const key = normalizeOrderNumber(orderNumber);
  if (key === '')
    throw new ValidationError(
      `Order number "${orderNumber}" has no letters or digits, so it cannot be printed as a barcode.`,
      { order: orderNumber },
    );
  if (!CODE128_TEXT.test(key))
    throw new ValidationError(
      `Order number "${orderNumber}" has letters outside A–Z, which a Code 128 barcode cannot carry; ` +
        'give the order a number in Latin letters and digits to print its label.',
      { order: orderNumber },
    );
  return key;
}

/** Printed text must be something Code 128 can carry; list and command codes are built from safe ids. */
export function assertBarcodeText(text: string): string {
  if (!CODE128_TEXT.test(text))
    throw new ValidationError(`"${text}" cannot be printed as a Code 128 barcode.`, { text });
  return text;
}

const LIST_CODE = /^!LIST ([A-Z0-9_]+)\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

export interface ListCode {
  client: string;
  session: string;
  list: string;
}

/** The barcode of a packing list on the station sheet: scanned at the list picker, it opens the list. */
export function listBarcodeText(ids: ListCode): string {
  return assertBarcodeText(`!LIST ${ids.client}/${ids.session}/${ids.list}`);
}

/** The list a scanned text names, or null when it is not a list code. Scanners may send any case for "!LIST". */
export function parseListBarcode(text: string): ListCode | null {
  const trimmed = text.trim();
  const m = LIST_CODE.exec(`${trimmed.slice(0, 5).toUpperCase()}${trimmed.slice(5)}`);
  return m ? { client: m[1]!, session: m[2]!, list: m[3]! } : null;
}
