// Order labels: one page per order, the size of the client's label roll. From the top:
//   #12  DHL                     16/02/26
//   Items 3 · BG                 M Cosmetics   (client name only with show_client_name)
//   Tags VIP | Priority
//   2× CR-00012-M, 1× SET-WINTER               (only with show_quantity)
//   ▌▌▌ ▌▌ ▌▌▌▌ ▌ ▌▌▌ (bars, quiet zones on both sides)
//               10 01                          (last three characters bold)
// Every text line is cut with "…" to its width and sits above the bars, so nothing is ever drawn
// over them. Layout details: docs/labels.md.
import type { BarcodeLabel } from '../../domain/client-config.js';
import type { OrderLabelFields } from '../../domain/label-fields.js';
import { ValidationError } from '../../domain/errors.js';
import { code128Modules, code128Problem, drawCode128 } from './code128.js';
import { BOLD, fitText, line, MM, newPdf, pdfBytes, REGULAR } from './pdf-document.js';

export interface PrintedLabel extends OrderLabelFields {
  /** The number printed: the recorded one for this order (see label-numbering.ts). */
  number: number;
  /** The barcode's bars and spaces in modules (labelBarcode), encoded once per print. */
  modules: number[];
}

const MARGIN = 1.5 * MM;
/** 3 dots = 0.375 mm at 203 dpi: wide bars scan from further away and survive a worn print head. */
const LABEL_MAX_DOTS = 3;
/** Bars shorter than this are hard to hit with a hand scanner. */
const MIN_BAR_HEIGHT = 6 * MM;

interface Geometry {
  width: number;
  height: number;
  dot: number;
  size: number;
  rowHeight: number;
  headSize: number;
  humanSize: number;
  barTop: number;
  barHeight: number;
}

// The bars sit at the same place on every label of a client, whether or not a label has tags: a
// fixed scanner over the packing table finds them, and a label never runs out of room on its own.
function geometry(config: BarcodeLabel): Geometry {
  const size = config.font_size;
  const height = config.height_mm * MM;
  const headSize = size * 1.3;
  const rowHeight = size * 1.2;
  const humanSize = size * 1.1;
  const rows = 2 + (config.show_quantity ? 1 : 0);
  const barTop = MARGIN + headSize * 1.2 + rows * rowHeight + 0.8 * MM;
  const barHeight = height - MARGIN - humanSize * 1.15 - barTop;
  if (barHeight < MIN_BAR_HEIGHT)
    throw new ValidationError(
      `A ${config.width_mm} × ${config.height_mm} mm label at font size ${config.font_size} leaves no room for the barcode; ` +
        'use a taller label or a smaller font size in the client settings.',
      { field: 'barcode_label' },
    );
  return {
    width: config.width_mm * MM,
    height,
    dot: 72 / config.dpi,
    size,
    rowHeight,
    headSize,
    humanSize,
    barTop,
    barHeight,
  };
}

function drawLabel(
  doc: PDFKit.PDFDocument,
  g: Geometry,
  config: BarcodeLabel,
  label: PrintedLabel,
  clientName: string,
): void {
  doc.addPage({ size: [g.width, g.height], margin: 0 });
  const inner = g.width - 2 * MARGIN;
  const regular = { name: REGULAR, size: g.size };
  let y = MARGIN;

  // Row 1: number (big, bold), courier, date at the right.
  doc.font(REGULAR, g.size);
  const date = label.date ?? '';
  const dateWidth = date ? doc.widthOfString(date) : 0;
  if (date) line(doc, date, g.width - MARGIN - dateWidth, y + (g.headSize - g.size) * 0.8);
  doc.font(BOLD, g.headSize);
  const number = `#${label.number}`;
  line(doc, number, MARGIN, y);
  const numberWidth = doc.widthOfString(number) + 2 * MM;
  line(
    doc,
    fitText(doc, regular, label.courier, inner - numberWidth - dateWidth - 2 * MM),
    MARGIN + numberWidth,
    y + (g.headSize - g.size) * 0.8,
  );
  y += g.headSize * 1.2;

  // Row 2: item count and country; the client's name at the right when asked for.
  const counts = `Items ${label.items}${label.country ? ` · ${label.country}` : ''}`;
  let countsWidth = inner;
  if (config.show_client_name && clientName) {
    const name = fitText(doc, regular, clientName, inner / 2);
    const w = doc.widthOfString(name);
    line(doc, name, g.width - MARGIN - w, y);
    countsWidth = inner - w - 2 * MM;
  }
  line(doc, fitText(doc, regular, counts, countsWidth), MARGIN, y);
  y += g.rowHeight;

  if (label.tags.length > 0)
    line(doc, fitText(doc, regular, `Tags ${label.tags.join(' | ')}`, inner), MARGIN, y);
  y += g.rowHeight;
  if (config.show_quantity) {
    const quantities = label.lines.map((l) => `${l.quantity}× ${l.sku}`).join(', ');
    line(doc, fitText(doc, regular, quantities, inner), MARGIN, y);
  }

  // Bars, then the number as a person reads it, its last three characters bold. The label's edges
  // are blank paper, so the quiet zones may reach them.
  const { barTop, barHeight } = g;
  drawCode128(
    doc,
    label.barcode,
    { x: 0, y: barTop, width: g.width, height: barHeight, dot: g.dot, maxDots: LABEL_MAX_DOTS },
    label.modules,
  );
  const text = label.barcode;
  const head = text.slice(0, Math.max(0, text.length - 3));
  const tail = text.slice(head.length);
  let humanSize = g.humanSize;
  const widthAt = (s: number) => {
    doc.font(REGULAR, s);
    const w1 = doc.widthOfString(head);
    doc.font(BOLD, s);
    return { w1, total: w1 + doc.widthOfString(tail) };
  };
  let w = widthAt(humanSize);
  // A long order number gets a smaller size rather than a cut: a packer may have to type it.
  while (w.total > inner && humanSize > 5) w = widthAt((humanSize -= 0.5));
  const left = (g.width - w.total) / 2;
  const textTop = barTop + barHeight + 0.3 * MM;
  doc.font(REGULAR, humanSize);
  line(doc, head, left, textTop);
  doc.font(BOLD, humanSize);
  line(doc, tail, left + w.w1, textTop);
}

/** Refuses a label configuration that leaves the bars no room, before any order is looked at. */
export function assertLabelLayout(config: BarcodeLabel): void {
  geometry(config);
}

/** The order's bars, or why they cannot go on the client's label (too long for its width). */
export function labelBarcode(
  barcode: string,
  config: BarcodeLabel,
): { modules: number[] } | { problem: string } {
  const g = geometry(config);
  const modules = code128Modules(barcode);
  const problem = code128Problem(barcode, modules, { width: g.width, dot: g.dot, maxDots: LABEL_MAX_DOTS });
  return problem === null ? { modules } : { problem };
}

/** One PDF, one page per label, in the order given. */
export async function orderLabelsPdf(
  labels: PrintedLabel[],
  config: BarcodeLabel,
  meta: { title: string; clientName: string },
): Promise<Buffer> {
  const doc = newPdf(meta.title);
  const g = geometry(config);
  for (const label of labels) drawLabel(doc, g, config, label, meta.clientName);
  return pdfBytes(doc);
}
