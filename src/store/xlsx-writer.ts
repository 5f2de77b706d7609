// A small, fast writer of plain .xlsx workbooks (rows of text and numbers, a bold header, a few row
// fills, frozen header, column widths) for the large files a preparation writes. Hand-written on
// purpose: exceljs, which packdesk uses for its smaller reports, took 12 s for a 50,000-row sheet on
// this machine (the budget for a whole 50,000-order preparation is 2 s), and SheetJS's community
// build writes no fills. The format written here is the minimal SpreadsheetML subset (inline
// strings, one style sheet) that Excel, LibreOffice and exceljs read; zip-writer.ts makes the zip with
// Node's own zlib and CRC-32 (a pure-JS deflate took 1.3 s of the 2 s budget on a 50,000-row sheet).
import { zipDeflated } from './zip-writer.js';
import { columnLetter, spreadsheetSafeText } from '../domain/spreadsheet-text.js';

export type CellValue = string | number | boolean | null | undefined;

/** Row fills: what a person should notice (refused, warning, good). */
export type RowMark = 'none' | 'bad' | 'warn' | 'good';

export interface SheetSpec {
  name: string;
  columns: Array<{ header: string; width?: number }>;
  rows: Iterable<CellValue[]>;
  /** Fill of a data row (0-based index into rows). */
  mark?: (row: CellValue[], index: number) => RowMark;
}

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

// Cells carry their column reference: a blank cell is left out, so positions cannot be implied.
function cellXml(ref: string, value: CellValue, style: string): string {
  if (value === null || value === undefined || value === '')
    return style === '' ? '' : `<c r="${ref}"${style}/>`;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? `<c r="${ref}"${style}><v>${value}</v></c>` : `<c r="${ref}"${style}/>`;
  }
  if (typeof value === 'boolean') return `<c r="${ref}"${style} t="b"><v>${value ? 1 : 0}</v></c>`;
  const text = xmlText(spreadsheetSafeText(value));
  const c0 = text.charCodeAt(0);
  const cn = text.charCodeAt(text.length - 1);
  const space = c0 <= 32 || cn <= 32 ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${style} t="inlineStr"><is><t${space}>${text}</t></is></c>`;
}

const styleAttr = (index: number) => (index === 0 ? '' : ` s="${index}"`);

/**
 * Rows of sheet XML made into one buffer. A few hundred rows keep each piece's string under V8's
 * large-object size (128 KB): such strings die young in the cheap scavenges, where a few thousand
 * rows made ~600 KB strings that only a full collection frees, so a 200,000-order workbook left
 * ~100 MB of dead text in the old generation before one came.
 */
const SHEET_ROWS_PER_CHUNK = 256;

/** The sheet's XML as buffers of a few hundred rows each, made as the zip reads them: neither the
 * rows nor the XML of a large sheet are ever held whole. */
function* sheetXml(spec: SheetSpec): Generator<Buffer> {
  const names = spec.columns.map((_, i) => columnLetter(i));
  let parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>',
    '<cols>',
    ...spec.columns.map(
      (c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 14}" customWidth="1"/>`,
    ),
    '</cols><sheetData>',
    `<row r="1">${spec.columns.map((c, i) => cellXml(`${names[i]}1`, c.header, styleAttr(STYLE_INDEX.header))).join('')}</row>`,
  ];
  let r = 1;
  let index = 0;
  for (const row of spec.rows) {
    r++;
    const style = styleAttr(STYLE_INDEX[spec.mark?.(row, index) ?? 'none']);
    index++;
    let cells = `<row r="${r}">`;
    for (let i = 0; i < row.length && i < names.length; i++)
      cells += cellXml(`${names[i]}${r}`, row[i], style);
    parts.push(`${cells}</row>`);
    if (parts.length >= SHEET_ROWS_PER_CHUNK) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
    }
  }
  parts.push('</sheetData>');
  if (r > 1) parts.push(`<autoFilter ref="A1:${names[names.length - 1]}${r}"/>`);
  parts.push('</worksheet>');
  yield Buffer.from(parts.join(''), 'utf8');
}

/** The workbook's bytes. Text cells that would read as formulas are written as text. */
export async function buildXlsx(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const used = new Set<string>();
  const names = sheets.map((s) => sheetName(s.name, used));
  const strToU8 = (text: string) => Buffer.from(text, 'utf8');
  const files: Record<string, Buffer> = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sheets
        .map(
          (_, i) =>
            `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
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
        )}<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    ),
    'xl/styles.xml': strToU8(STYLES),
  };
  // Level 1: the sheets are repetitive XML, so even the fastest level shrinks them ~10x.
  return zipDeflated(
    [
      ...Object.entries(files).map(([name, data]) => ({ name, data })),
      ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: sheetXml(s) })),
    ],
    1,
  );
}
