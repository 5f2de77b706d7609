// The PDF side of labels and sheets: a pdfkit document with packdesk's embedded fonts, and text that
// is shortened visibly ("…") instead of running into something else. The fonts ship inside the
// dejavu-fonts-ttf package (Bitstream Vera licence: free to embed and redistribute), so a label looks
// the same on every PC whatever fonts it has, and Cyrillic and Latin both render.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export const MM = 72 / 25.4;

export const REGULAR = 'packdesk-regular';
export const BOLD = 'packdesk-bold';

let fonts: { regular: Buffer; bold: Buffer } | undefined;

function fontFiles(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const file = (name: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}`));
    // The condensed cut fits a courier name and tags on a 68 mm label at a readable size.
    fonts = { regular: file('DejaVuSansCondensed.ttf'), bold: file('DejaVuSansCondensed-Bold.ttf') };
  }
  return fonts;
}

/** A document with no automatic first page; pages are added with their own size. */
export function newPdf(title: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    info: { Title: title, Creator: 'packdesk' },
  });
  const { regular, bold } = fontFiles();
  doc.registerFont(REGULAR, regular);
  doc.registerFont(BOLD, bold);
  return doc;
}

/** The finished document as bytes. */
export function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

// Labels of one list repeat the same courier, tags and client name on every page; measuring them
// once per font, size and width keeps 1,000 labels well under a second.
const fitted = new WeakMap<PDFKit.PDFDocument, Map<string, string>>();

/**
 * `text` as it fits in `width` points in `font` (which it sets on the document): whole, or cut with "…" so the
 * reader sees that something is missing.
 */
export function fitText(
  doc: PDFKit.PDFDocument,
  font: { name: string; size: number },
  text: string,
  width: number,
): string {
  doc.font(font.name, font.size);
  let cache = fitted.get(doc);
  if (!cache) fitted.set(doc, (cache = new Map()));
  const key = `${font.name}\u0000${font.size}\u0000${width}\u0000${text}`;
  let result = cache.get(key);
  if (result === undefined) {
    result = cut(doc, text, width);
    cache.set(key, result);
  }
  return result;
}

function cut(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${text.slice(0, mid).trimEnd()}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${text.slice(0, lo).trimEnd()}…`;
}

/** Draws one line of text at (x, y) top-left, never wrapping. */
export function line(doc: PDFKit.PDFDocument, text: string, x: number, y: number): void {
  if (text !== '') doc.text(text, x, y, { lineBreak: false });
}
