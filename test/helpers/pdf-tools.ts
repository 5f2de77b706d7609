// Reading generated PDFs the way a printer and a scanner would: poppler-utils rasterises pages
// (pdftoppm) and reports page sizes, text and fonts (pdfinfo, pdftotext, pdffonts); zbar-tools
// decodes the barcodes in the raster (zbarimg). .ci/run installs both.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TOOLS = [
  '/usr/bin/pdftoppm',
  '/usr/bin/pdfinfo',
  '/usr/bin/pdftotext',
  '/usr/bin/pdffonts',
  '/usr/bin/zbarimg',
];

/** Locally the PDF tests need the tools; CI installs them, so there a missing one fails. */
export function pdfToolsMissing(): boolean {
  const missing = TOOLS.filter((t) => !existsSync(t));
  if (missing.length === 0) return false;
  if (process.env.CI === 'true')
    throw new Error(`${missing.join(', ')} missing: .ci/run installs poppler-utils and zbar-tools.`);
  return true;
}

/** The barcodes zbarimg finds on each page rasterised at `dpi`, one array per page (sorted). */
export async function decodePages(pdf: string, dpi: number): Promise<string[][]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'packdesk-raster-'));
  try {
    await run('pdftoppm', ['-r', String(dpi), '-gray', '-png', pdf, path.join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    const decoded: string[][] = [];
    for (const page of pages) {
      // zbarimg exits 4 when a page has no barcode it can read: that is an answer, not a failure.
      const out = await run('zbarimg', [
        '--quiet',
        '-Sdisable',
        '-Scode128.enable',
        '--raw',
        path.join(dir, page),
      ]).catch((err: { code?: number; stdout?: string }) => {
        if (err.code === 4) return { stdout: '' };
        throw err;
      });
      decoded.push(
        out.stdout
          .split('\n')
          .filter((l) => l.length > 0)
          .sort(),
      );
    }
    return decoded;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Width and height of every page in millimetres. */
export async function pageSizesMm(pdf: string): Promise<Array<{ width: number; height: number }>> {
  const info = (await run('pdfinfo', [pdf])).stdout;
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
  const sized = (await run('pdfinfo', ['-f', '1', '-l', String(pages), pdf])).stdout;
  return [...sized.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({
    width: (Number(m[1]) * 25.4) / 72,
    height: (Number(m[2]) * 25.4) / 72,
  }));
}

/** The text of each page, as a reader copying it out would get it. */
export async function pageTexts(pdf: string): Promise<string[]> {
  const out = (await run('pdftotext', ['-layout', pdf, '-'])).stdout;
  return out.split('\f').slice(0, -1);
}

/** Fonts the PDF uses, with whether each is embedded. */
export async function fonts(pdf: string): Promise<Array<{ name: string; embedded: boolean }>> {
  const out = (await run('pdffonts', [pdf])).stdout
    .split('\n')
    .slice(2)
    .filter((l) => l.trim());
  return out.map((l) => {
    const cols = l.trim().split(/\s+/);
    return { name: cols[0]!, embedded: cols[cols.length - 5] === 'yes' };
  });
}
