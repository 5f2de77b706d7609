// Bounds on what an imported file may put into packdesk (issue of a 100 MB cell and a 20 MB product
// name): every field that reaches a file on the share, a scan's answer or a live event is bounded,
// and so is the number of rows one import may hold. Far above any real warehouse's values, far
// below what stops a station.
export const FIELD_LIMITS = {
  /** Characters in one spreadsheet cell. */
  cellChars: 4_000,
  /** Bytes of one CSV record (a row), checked while parsing so a huge cell is never held whole. */
  csvRecordBytes: 64 * 1024,
  /** Data rows in one imported file (a 50,000-order list has about 150,000 lines). */
  tableRows: 500_000,
  orderNumberChars: 100,
  skuChars: 200,
  productNameChars: 500,
  courierChars: 100,
  /** A metadata value written as text. */
  metadataChars: 2_000,
} as const;
