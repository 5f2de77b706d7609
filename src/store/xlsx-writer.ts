// A small, fast writer of plain .xlsx workbooks (rows of text and numbers, a bold header, a few row
// fills, frozen header, column widths) for the large files a preparation writes. Hand-written on
// purpose: exceljs, which packdesk uses for its smaller reports, took 12 s for a 50,000-row sheet on
// this machine (the budget for a whole 50,000-order preparation is 2 s), and SheetJS's community
// build writes no fills. The format written here is the minimal SpreadsheetML subset (inline
// strings, a shared-strings table for columns whose texts repeat, one style sheet) that Excel,
// LibreOffice and exceljs read; zip-writer.ts makes the zip with Node's own zlib and CRC-32 (a
// pure-JS deflate took 1.3 s of the 2 s budget on a 50,000-row sheet). Deflating runs on libuv's
// thread pool while the next rows' XML is made. Making the XML in a worker thread too was measured
// and dropped: on the 2-core machine it added ~0.7 s of CPU (copying the rows across, the worker's
// own start-up and collector) and ~20 MB of peak memory at 50,000 orders for no gain in wall time.
import { zipDeflated, zipDeflatedStream, type ZipEntry } from './zip-writer.js';
import { columnLetter, spreadsheetSafeText } from '../domain/spreadsheet-text.js';

export type CellValue = string | number | boolean | null | undefined;

/** Row fills: what a person should notice (refused, warning, good). */
export type RowMark = 'none' | 'bad' | 'warn' | 'good';

export interface SheetSpec {
  name: string;
  columns: Array<{
    header: string;
    width?: number;
    /** The column's texts repeat (a status, a courier): they go to the shared-strings table. */
    shared?: boolean;
  }>;
  rows: Iterable<CellValue[]>;
  /** Fill of a data row (0-based index into rows). */
  mark?: (row: CellValue[], index: number) => RowMark;
}

/**
 * Characters of sheet XML made into one buffer. Far under V8's large-object size (128 KB): such
 * strings die young in the cheap scavenges, where a few thousand rows made ~600 KB strings that only
 * a full collection frees, so a 200,000-order workbook left ~100 MB of dead text in the old
 * generation before one came. (A fixed 256 rows were ~140 KB with the orders sheet's rows.)
 */
const CHUNK_CHARS = 32 * 1024;

/** Level 1: the sheets are repetitive XML, so even the fastest level shrinks them ~10x. */
const WORKBOOK_LEVEL = 1;

const STYLE_INDEX: Record<RowMark | 'header', number> = { none: 0, header: 1, bad: 2, warn: 3, good: 4 };

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFFFEB9C"/><bgColor indexed="64"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFC6EFCE"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>
<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/>
<xf numFmtId="0" fontId="0" fillId="4" borderId="0" xfId="0" applyFill="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`;

// Characters XML 1.0 cannot carry at all (a hostile or broken export may contain them).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const XML_SPECIAL = /[&<>"]/g;
// eslint-disable-next-line no-control-regex -- one test for "anything to escape", most cells have nothing
const NEEDS_WORK = /[&<>"\u0000-\u001f\ufffe\uffff]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function xmlText(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  return s.replace(XML_INVALID, '').replace(XML_SPECIAL, (c) => ESCAPES[c]!);
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[:\\/?*[\]]/g, '_').slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let i = 2; used.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 28)}(${i})`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/**
 * The shared-strings table (xl/sharedStrings.xml): a text of a column that repeats (a status, a
 * courier, a shipping method) is written once and each cell names it by number, which keeps a
 * 50,000-row sheet's XML a fifth smaller and cheaper to make and to deflate. Texts of columns that are
 * mostly unique (order numbers, items) stay inline: the table is held until the workbook ends, so it
 * only takes what pays, and at most MAX_SHARED texts (a later new text is written inline).
 */
const MAX_SHARED = 65_536;

class SharedStrings {
  /** Each text as given → its number; what is written is made once, when the text is first seen. */
  private readonly index = new Map<string, number>();
  private readonly texts: string[] = [];
  private uses = 0;

  /** The text's number in the table, or -1 when the table is full and the text new. */
  add(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      if (this.texts.length >= MAX_SHARED) return -1;
      i = this.texts.length;
      this.index.set(value, i);
      this.texts.push(cellText(value));
    }
    this.uses++;
    return i;
  }

  *xml(): Generator<Buffer> {
    let parts: string[] = [
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${this.uses}" uniqueCount="${this.texts.length}">`,
    ];
    let chars = 0;
    for (const text of this.texts) {
      const xml = `<si>${textElement(text)}</si>`;
      parts.push(xml);
      chars += xml.length;
      if (chars >= CHUNK_CHARS) {
        yield Buffer.from(parts.join(''), 'utf8');
        parts = [];
        chars = 0;
      }
    }
    parts.push('</sst>');
    yield Buffer.from(parts.join(''), 'utf8');
  }
}

/** What a text cell holds: formula-looking text made text, XML-invalid characters dropped, escaped. */
const cellText = (value: string) => xmlText(spreadsheetSafeText(value));

/** `<t>` of a cell's text: leading or trailing white space is kept. */
function textElement(text: string): string {
  const c0 = text.charCodeAt(0);
  const cn = text.charCodeAt(text.length - 1);
  return c0 <= 32 || cn <= 32 ? `<t xml:space="preserve">${text}</t>` : `<t>${text}</t>`;
}

const styleAttr = (index: number) => (index === 0 ? '' : ` s="${index}"`);

/**
 * One sheet's rows as XML. Every cell carries its reference (r="B7") and every row its number: the
 * format allows leaving them out for cells written in order, but exceljs (which reads these files
 * back) refuses such a sheet. A blank cell is left out unless it carries a fill. A few hundred
 * thousand cells make a large sheet, so the cell XML is built from pieces made once per column and
 * style (`<c r="B`, `" s="2" t="s"><v>`), not from fresh template strings per cell.
 */
class SheetRows {
  private readonly open: string[];
  private readonly shared: Array<SharedStrings | null>;
  /** By style index: the attributes after the reference, blank, and the openings of each kind. */
  private readonly tails: Array<{ blank: string; num: string; bool: string; str: string; inline: string }>;
  private r = 1;

  constructor(
    private readonly head: Pick<SheetSpec, 'columns'>,
    strings: SharedStrings,
  ) {
    this.open = head.columns.map((_, i) => `<c r="${columnLetter(i)}`);
    this.shared = head.columns.map((c) => (c.shared ? strings : null));
    this.tails = [0, 1, 2, 3, 4].map((index) => {
      const style = styleAttr(index);
      return {
        blank: `"${style}/>`,
        num: `"${style}><v>`,
        bool: `"${style} t="b"><v>`,
        str: `"${style} t="s"><v>`,
        inline: `"${style} t="inlineStr"><is>`,
      };
    });
  }

  /** The header row: bold, texts inline. */
  header(): string {
    const tail = this.tails[STYLE_INDEX.header]!;
    let xml = '<row r="1">';
    for (let i = 0; i < this.head.columns.length; i++)
      xml += `${this.open[i]!}1${tail.inline}${textElement(cellText(this.head.columns[i]!.header))}</is></c>`;
    return `${xml}</row>`;
  }

  /** The next data row. */
  row(cells: readonly CellValue[], mark: RowMark): string {
    const r = String(++this.r);
    const styled = mark !== 'none';
    const tail = this.tails[STYLE_INDEX[mark]]!;
    const n = Math.min(cells.length, this.open.length);
    let xml = `<row r="${r}">`;
    for (let i = 0; i < n; i++) {
      const value = cells[i];
      if (value === null || value === undefined || value === '') {
        if (styled) xml += this.open[i]! + r + tail.blank;
      } else if (typeof value === 'string') {
        const index = this.shared[i]?.add(value) ?? -1;
        xml +=
          index >= 0
            ? `${this.open[i]!}${r}${tail.str}${index}</v></c>`
            : `${this.open[i]!}${r}${tail.inline}${textElement(cellText(value))}</is></c>`;
      } else if (typeof value === 'number') {
        xml += Number.isFinite(value)
          ? `${this.open[i]!}${r}${tail.num}${value}</v></c>`
          : this.open[i]! + r + tail.blank;
      } else {
        xml += `${this.open[i]!}${r}${tail.bool}${value ? 1 : 0}</v></c>`;
      }
    }
    return `${xml}</row>`;
  }

  /** The last row's number (1 when there are only headers). */
  get last(): number {
    return this.r;
  }
}

/** The sheet's XML as buffers of a few hundred rows each, made as the zip reads them: neither the
 * rows nor the XML of a large sheet are ever held whole. */
function* sheetXml(spec: SheetSpec, strings: SharedStrings): Generator<Buffer> {
  const rows = new SheetRows(spec, strings);
  let parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>',
    '<cols>',
    ...spec.columns.map(
      (c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 14}" customWidth="1"/>`,
    ),
    '</cols><sheetData>',
    rows.header(),
  ];
  let index = 0;
  let chars = 0;
  for (const row of spec.rows) {
    const xml = rows.row(row, spec.mark?.(row, index++) ?? 'none');
    parts.push(xml);
    chars += xml.length;
    if (chars >= CHUNK_CHARS) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      chars = 0;
    }
  }
  parts.push('</sheetData>');
  if (rows.last > 1)
    parts.push(`<autoFilter ref="A1:${columnLetter(spec.columns.length - 1)}${rows.last}"/>`);
  parts.push('</worksheet>');
  yield Buffer.from(parts.join(''), 'utf8');
}

/**
 * The workbook's parts, each sheet's rows taken when the zip reaches it (in sheet order). Text cells
 * that would read as formulas are written as text.
 */
function workbookParts(sheets: readonly SheetSpec[]): ZipEntry[] {
  const used = new Set<string>();
  const names = sheets.map((s) => sheetName(s.name, used));
  const strings = new SharedStrings();
  const withStrings = sheets.some((h) => h.columns.some((c) => c.shared));
  const strToU8 = (text: string) => Buffer.from(text, 'utf8');
  const sheetParts = sheets.map((_, i) => `/xl/worksheets/sheet${i + 1}.xml`);
  const files: Record<string, Buffer> = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${
        withStrings
          ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
          : ''
      }${sheetParts
        .map(
          (part) =>
            `<Override PartName="${part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
        )
        .join('')}</Types>`,
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names
        .map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join('')}</sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
        .map(
          (_, i) =>
            `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
        )
        .join(
          '',
        )}<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>${
        withStrings
          ? `<Relationship Id="rId${sheets.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
          : ''
      }</Relationships>`,
    ),
    'xl/styles.xml': strToU8(STYLES),
  };
  // The shared strings come last: the table is complete only once every sheet has been written.
  return [
    ...Object.entries(files).map(([name, data]) => ({ name, data })),
    ...sheets.map((h, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: sheetXml(h, strings),
    })),
    ...(withStrings
      ? [{ name: 'xl/sharedStrings.xml', data: { [Symbol.iterator]: () => strings.xml() } }]
      : []),
  ];
}

/** The workbook's bytes as they are made: a large workbook goes to its file without being held whole. */
export function xlsxStream(sheets: readonly SheetSpec[]): AsyncGenerator<Buffer> {
  return zipDeflatedStream(workbookParts(sheets), WORKBOOK_LEVEL);
}

/** The workbook's bytes in one buffer, for the small workbooks that are sent or kept whole. */
export function buildXlsx(sheets: readonly SheetSpec[]): Promise<Buffer> {
  return zipDeflated(workbookParts(sheets), WORKBOOK_LEVEL);
}
