// A4 sheets for the packing desk: the station's commands as barcodes (scan instead of pressing a
// key), and a client's open packing lists (scan one to open it at the station's list picker). Bars
// are sized for an office printer at 300 dpi.
import type { StationCommandKey } from '../../domain/station-keys.js';
import { drawCode128 } from './code128.js';
import { BOLD, fitText, line, MM, newPdf, pdfBytes, REGULAR } from './pdf-document.js';

const A4: [number, number] = [210 * MM, 297 * MM];
const MARGIN = 15 * MM;
const SHEET_DOT = 72 / 300;
/** 4 dots at 300 dpi: 0.34 mm modules, read by any hand scanner from a laser or inkjet print. */
const SHEET_MAX_DOTS = 4;
const ROW = 34 * MM;
const BAR_HEIGHT = 14 * MM;

function page(doc: PDFKit.PDFDocument, title: string, subtitle: string): number {
  doc.addPage({ size: A4, margin: 0 });
  doc.font(BOLD, 18);
  line(doc, fitText(doc, { name: BOLD, size: 18 }, title, A4[0] - 2 * MARGIN), MARGIN, MARGIN);
  line(doc, fitText(doc, { name: REGULAR, size: 10 }, subtitle, A4[0] - 2 * MARGIN), MARGIN, MARGIN + 26);
  return MARGIN + 48;
}

/** A code with its text under the bars, in the box (x, y, width). */
function codeWithText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number): void {
  const placed = drawCode128(doc, text, {
    x,
    y,
    width,
    height: BAR_HEIGHT,
    dot: SHEET_DOT,
    maxDots: SHEET_MAX_DOTS,
  });
  doc.font(REGULAR, 9);
  const w = doc.widthOfString(text);
  line(doc, text, placed.left + (placed.barsWidth - w) / 2, y + BAR_HEIGHT + 1 * MM);
}

export async function commandSheetPdf(commands: readonly StationCommandKey[]): Promise<Buffer> {
  const doc = newPdf('packdesk station commands');
  const title = 'Station commands';
  const subtitle = 'Scan a code instead of pressing its key. Keep this sheet at the packing desk.';
  let y = page(doc, title, subtitle);
  const textWidth = 80 * MM;
  for (const c of commands) {
    if (y + ROW > A4[1] - MARGIN) y = page(doc, title, subtitle);
    line(doc, fitText(doc, { name: BOLD, size: 15 }, c.label, textWidth), MARGIN, y);
    const key = c.key ? `Key ${c.key}` : 'Button on the station screen';
    line(doc, fitText(doc, { name: REGULAR, size: 11 }, key, textWidth), MARGIN, y + 20);
    doc.font(REGULAR, 9).text(c.does, MARGIN, y + 36, { width: textWidth, height: 24, ellipsis: true });
    const codeX = MARGIN + textWidth + 5 * MM;
    if (c.needsOrder) {
      doc.font(REGULAR, 10).text('No code: this command needs the order number.', codeX, y + 10, {
        width: A4[0] - MARGIN - codeX,
      });
    } else codeWithText(doc, c.word, codeX, y, A4[0] - MARGIN - codeX);
    y += ROW;
  }
  return pdfBytes(doc);
}

export interface SheetList {
  code: string;
  list: string;
  session: string;
  progress: string;
}

export async function listSheetPdf(
  client: { id: string; name: string },
  lists: SheetList[],
): Promise<Buffer> {
  const doc = newPdf(`packdesk packing lists of ${client.id}`);
  const title = `Packing lists — ${client.name} (${client.id})`;
  const subtitle = 'At the station, scan a list to open it. Print a new sheet when lists are added.';
  let y = page(doc, title, subtitle);
  if (lists.length === 0) line(doc, 'No open packing lists.', MARGIN, y);
  const textWidth = 55 * MM;
  for (const l of lists) {
    if (y + ROW > A4[1] - MARGIN) y = page(doc, title, subtitle);
    line(doc, fitText(doc, { name: BOLD, size: 15 }, l.list, textWidth), MARGIN, y);
    line(doc, fitText(doc, { name: REGULAR, size: 10 }, l.session, textWidth), MARGIN, y + 20);
    line(doc, fitText(doc, { name: REGULAR, size: 10 }, l.progress, textWidth), MARGIN, y + 34);
    const codeX = MARGIN + textWidth + 5 * MM;
    codeWithText(doc, l.code, codeX, y, A4[0] - MARGIN - codeX);
    y += ROW;
  }
  return pdfBytes(doc);
}
