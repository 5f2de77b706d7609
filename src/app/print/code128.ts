// Code 128 bars drawn as vector rectangles, each bar a whole number of printer dots wide: a thermal
// printer cannot print 2.6 dots, and bars rounded differently from one another are what makes a
// scanner misread. bwip-js encodes (code-set choice, check digit); packdesk only draws.
import bwipjs from 'bwip-js';
import { ValidationError } from '../../domain/errors.js';

/** The light margin a scanner needs on each side of the bars, in modules (ISO/IEC 15417: 10). */
export const QUIET_ZONE_MODULES = 10;

/** Bar and space widths in modules, starting with a bar; quiet zones not included. */
export function code128Modules(text: string): number[] {
  const [symbol] = bwipjs.raw('code128', text, {}) as Array<{ sbs: number[] }>;
  if (!symbol?.sbs) throw new ValidationError(`"${text}" cannot be encoded as Code 128.`, { text });
  return symbol.sbs;
}

export interface BarcodeBox {
  /** Left and top of the area, and its size, in points. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** One printer dot in points (72 / dpi). */
  dot: number;
  /** Widest module to use, in dots. */
  maxDots: number;
}

export interface PlacedBarcode {
  /** Module width in dots. */
  dots: number;
  /** Left edge of the first bar and width of the bars, in points (quiet zones outside). */
  left: number;
  barsWidth: number;
}

/**
 * Draws `text` centred in `box` with the widest whole-dot module (up to maxDots) for which bars and
 * both quiet zones fit. Refuses when even one dot per module is too wide, rather than squeeze bars
 * no scanner can read.
 */
export function drawCode128(doc: PDFKit.PDFDocument, text: string, box: BarcodeBox): PlacedBarcode {
  const modules = code128Modules(text);
  const total = modules.reduce((a, b) => a + b, 0);
  let dots = box.maxDots;
  while (dots > 1 && (total + 2 * QUIET_ZONE_MODULES) * dots * box.dot > box.width) dots--;
  const module = dots * box.dot;
  if ((total + 2 * QUIET_ZONE_MODULES) * module > box.width)
    throw new ValidationError(
      `"${text}" is too long for a barcode ${(box.width / (72 / 25.4)).toFixed(0)} mm wide; use a wider label.`,
      { text },
    );
  const barsWidth = total * module;
  // Snap the start to the dot grid, so every bar edge falls on a dot edge.
  const left = Math.round((box.x + (box.width - barsWidth) / 2) / box.dot) * box.dot;
  let x = left;
  modules.forEach((w, i) => {
    if (i % 2 === 0) doc.rect(x, box.y, w * module, box.height);
    x += w * module;
  });
  doc.fillColor('black').fill();
  return { dots, left, barsWidth };
}
