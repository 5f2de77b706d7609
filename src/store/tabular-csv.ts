// Turning the bytes of a CSV export into text records: which encoding (UTF-8 with or without BOM,
// UTF-16 from Excel's "Unicode text", else windows-1251 as Cyrillic Excel saves it) and which
// delimiter (`,` `;` tab `|`), both detected from the file itself so nobody has to configure them.
import { FIELD_LIMITS } from '../domain/field-limits.js';
import { ValidationError } from '../domain/errors.js';
import { csvLineBreak, readCsvPiece, type CsvPieceState, type CsvQuoteProblem } from './csv-records.js';

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1251';
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/** The encoding a file's byte-order mark names, and the mark's length; null when it has none. */
export function byteOrderMark(
  buf: Uint8Array,
): { encoding: 'utf-8-bom' | 'utf-16le' | 'utf-16be'; length: number } | null {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { encoding: 'utf-8-bom', length: 3 };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

export function decodeCsvBytes(buf: Uint8Array): {
  text: string;
  encoding: CsvEncoding;
  /** Lines (1-based) with bytes that were not UTF-8 in a file that otherwise is. */
  badLines?: number[];
} {
  const bom = byteOrderMark(buf);
  if (bom !== null) {
    const label = bom.encoding === 'utf-8-bom' ? 'utf-8' : bom.encoding;
    return { text: new TextDecoder(label).decode(buf.subarray(bom.length)), encoding: bom.encoding };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    // A file with proper UTF-8 letters in it and a few bad bytes is still UTF-8 (one bad byte must
    // not turn every "Ä" of the file into "Д"): the bad bytes become "�" and the rows holding
    // them are reported. With no UTF-8 letters at all it is a Cyrillic Excel/1C export.
    if (hasUtf8Letters(buf)) {
      const text = new TextDecoder('utf-8').decode(buf);
      return { text, encoding: 'utf-8', badLines: linesWith(text, '\uFFFD') };
    }
    return { text: new TextDecoder('windows-1251').decode(buf), encoding: 'windows-1251' };
  }
}

/** Whether `buf` holds at least one well-formed multi-byte UTF-8 sequence. */
function hasUtf8Letters(buf: Uint8Array): boolean {
  for (let i = 0; i < buf.length - 1; i++) {
    const b = buf[i]!;
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (n === 0) continue;
    let ok = i + n < buf.length;
    for (let k = 1; ok && k <= n; k++) ok = (buf[i + k]! & 0xc0) === 0x80;
    if (ok) return true;
  }
  return false;
}

/** 1-based line numbers of the lines that contain `ch`. */
function linesWith(text: string, ch: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let marked = false;
  for (const c of text) {
    if (c === '\n') {
      line++;
      marked = false;
    } else if (c === ch && !marked) {
      lines.push(line);
      marked = true;
    }
  }
  return lines;
}

/** Delimiter counts per record over the first records, outside quotes (quoted fields may hold newlines). */
function countPerRecord(text: string, maxRecords: number): Map<CsvDelimiter, number[]> {
  const counts = new Map<CsvDelimiter, number[]>(CSV_DELIMITERS.map((d) => [d, []]));
  let current = new Map<CsvDelimiter, number>(CSV_DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  let blank = true;
  let records = 0;
  const limit = Math.min(text.length, 256 * 1024);
  const finish = () => {
    if (!blank) {
      for (const d of CSV_DELIMITERS) counts.get(d)!.push(current.get(d)!);
      records++;
    }
    current = new Map(CSV_DELIMITERS.map((d) => [d, 0]));
    blank = true;
  };
  for (let i = 0; i < limit && records < maxRecords; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) finish();
    else if (!inQuotes && current.has(ch as CsvDelimiter))
      current.set(ch as CsvDelimiter, current.get(ch as CsvDelimiter)! + 1);
    if (ch !== '\n' && ch !== '\r' && ch.trim() !== '') blank = false;
  }
  if (records < maxRecords) finish();
  return counts;
}

/**
 * Picks the delimiter that splits the header and the following records into the same number of
 * fields most often (ties: more fields wins, then the order , ; tab |). A file with one column
 * has none of them; `,` is then as good as any.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  const counts = countPerRecord(text, 20);
  let best: CsvDelimiter = ',';
  let bestScore = [-1, -1];
  for (const d of CSV_DELIMITERS) {
    const perRecord = counts.get(d)!;
    const header = perRecord[0] ?? 0;
    if (header === 0) continue;
    const consistent = perRecord.filter((c) => c === header).length;
    const score = [consistent, header];
    if (score[0]! > bestScore[0]! || (score[0] === bestScore[0] && score[1]! > bestScore[1]!)) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Reads decoded CSV text record by record (record n is Excel's row n, blank lines included) without
 * keeping them; quotes are read as Excel writes them (see csv-records.ts).
 */
export function forEachCsvRecord(
  text: string,
  delimiter: CsvDelimiter,
  fileName: string,
  onRecord: (record: string[]) => void,
): void {
  const reader = new CsvPieceReader(delimiter, csvLineBreak(text), fileName, onRecord);
  reader.last(text);
}

/** Text a CSV reader judges the delimiter and line break from: the start of the file, this long. */
export const CSV_HEAD_CHARS = 1024 * 1024;

/**
 * CSV text read record by record as it arrives in pieces (a file read from disk a chunk at a time),
 * exactly as forEachCsvRecord reads it whole: neither the file's bytes nor its whole text are ever
 * held, only the record that goes on past the piece. The delimiter and line break are judged from
 * the start of the text (its first CSV_HEAD_CHARS characters), before the first piece is given.
 */
export class CsvPieceReader {
  private readonly state: CsvPieceState = { records: 0 };
  private carry = '';
  // A file ending in a line break gives one last empty record, which is no row of the file: each
  // record is passed on once the next one is read, and that one is left out.
  private pending: string[] | null = null;
  /** The last two characters of the text so far ('' before any). */
  private tail = '';

  constructor(
    private readonly delimiter: CsvDelimiter,
    private readonly lineBreak: string,
    private readonly fileName: string,
    private readonly onRecord: (record: string[]) => void,
  ) {}

  /** The next piece of the text. */
  piece(text: string): void {
    this.tail = (this.tail + text.slice(-2)).slice(-2);
    const joined = this.carry + text;
    const { problem, rest } = readCsvPiece(
      joined,
      this.delimiter,
      this.lineBreak,
      this.take,
      this.state,
      false,
    );
    if (problem) this.refuse(problem);
    this.carry = joined.slice(rest);
    // A record this long is refused when read whole (take); waiting for its end would read the
    // rest of the file again with every piece.
    if (this.carry.length > FIELD_LIMITS.csvRecordBytes) this.tooLong(this.state.records + 1);
  }

  /** The last piece of the text (the whole text, when it comes in one). */
  last(text: string): void {
    this.tail = (this.tail + text.slice(-2)).slice(-2);
    const joined = this.carry + text;
    this.carry = '';
    const { problem } = readCsvPiece(joined, this.delimiter, this.lineBreak, this.take, this.state, true);
    if (problem) this.refuse(problem);
    // A text that ends in a line break ends with one empty record. Read whole, the last piece gives
    // it; read in pieces, the last piece may be empty, the break having ended the piece before.
    if (joined === '' && this.tail !== '') this.take([''], 0);
    const last = this.pending;
    this.pending = null;
    // That empty record is no row of the file when the break is a "\n" (papaparse's rule, kept).
    if (last && !(last.length === 1 && last[0] === '' && /\r?\n$/.test(this.tail))) this.onRecord(last);
  }

  private readonly take = (record: string[], textLength: number) => {
    // The cells are no longer than the text they were read from: only a long one needs counting.
    let bytes = 0;
    if (textLength > FIELD_LIMITS.csvRecordBytes) for (const cell of record) bytes += cell.length;
    if (bytes > FIELD_LIMITS.csvRecordBytes) this.tooLong(this.state.records);
    if (this.pending) this.onRecord(this.pending);
    this.pending = record;
  };

  private tooLong(row: number): never {
    // A row this long is no packing list or export: stop at it instead of carrying a 100 MB cell.
    throw new ValidationError(
      `${this.fileName} near row ${row}: a row is longer than ${FIELD_LIMITS.csvRecordBytes / 1024} KB, which no packing list or export row needs (or a quote (") is never closed). Check that the right file was exported.`,
      { file: this.fileName, row },
    );
  }

  private refuse(problem: CsvQuoteProblem): never {
    throw new ValidationError(
      `${this.fileName} could not be read as CSV near row ${problem.record}: ${problem.message}. Check for an unclosed quote (") in that row.`,
      { file: this.fileName, row: problem.record },
    );
  }
}
