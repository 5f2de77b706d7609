// Code 128 bars drawn as vector rectangles, each bar a whole number of printer dots wide: a thermal
// printer cannot print 2.6 dots, and bars rounded differently from one another are what makes a
// scanner misread. jsbarcode's encoder does the encoding (code-set choice, check symbol); packdesk
// only draws. (bwip-js gives the same symbols but took ~0.3 ms per code, a third of the label
// budget; this encoder takes ~10 µs.)
import { CODE128 } from 'jsbarcode/bin/barcodes/CODE128/index.js';
import { ValidationError } from '../../domain/errors.js';

/** The light margin a scanner needs on each side of the bars, in modules (ISO/IEC 15417: 10). */
export const QUIET_ZONE_MODULES = 10;

/** The widest whole-dot module (up to maxDots) at which bars and quiet zones fit `width`, or null. */
function moduleDots(modules: number[], box: Pick<BarcodeBox, 'width' | 'dot' | 'maxDots'>): number | null {
  const total = modules.reduce((a, b) => a + b, 0) + 2 * QUIET_ZONE_MODULES;
  for (let dots = box.maxDots; dots >= 1; dots--) if (total * dots * box.dot <= box.width) return dots;
  return null;
}

function tooLong(text: string, width: number): string {
  return `"${text}" is too long for a barcode ${(width / (72 / 25.4)).toFixed(0)} mm wide; use a wider label.`;
}

/** Why `text` (encoded as `modules`) cannot be drawn in a box of `width` points, or null when it can. */
export function code128Problem(
  text: string,
  modules: number[],
  box: Pick<BarcodeBox, 'width' | 'dot' | 'maxDots'>,
): string | null {
  return moduleDots(modules, box) === null ? tooLong(text, box.width) : null;
}

/** Bar and space widths in modules, starting with a bar; quiet zones not included. */
export function code128Modules(text: string): number[] {
  const symbol = new CODE128(text, {});
  if (!symbol.valid()) throw new ValidationError(`"${text}" cannot be encoded as Code 128.`, { text });
  const { data } = symbol.encode();
  const runs: number[] = [];
  let run = 1;
  for (let i = 1; i <= data.length; i++) {
    if (i < data.length && data[i] === data[i - 1]) run++;
    else {
      runs.push(run);
      run = 1;
    }
  }
  return runs;
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
export function drawCode128(
  doc: PDFKit.PDFDocument,
  text: string,
  box: BarcodeBox,
  modules: number[] = code128Modules(text),
): PlacedBarcode {
  const dots = moduleDots(modules, box);
  if (dots === null) throw new ValidationError(tooLong(text, box.width), { text });
  const module = dots * box.dot;
  const total = modules.reduce((a, b) => a + b, 0);
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
