// Splitting decoded CSV text into records of cells, quotes read as Excel writes them: a field that
// starts with a quote runs to the closing quote ("" inside it is one quote, and it may hold
// delimiters and line breaks); a quote anywhere else in a field is kept as it is.
//
// Why not papaparse, which packdesk used before: this reads exactly as papaparse 5 did (the same
// line-break guess, the same spaces allowed after a closing quote, the same two quote errors;
// test/csv-records.property.test.ts compares the two on generated text), but papaparse's
// record-at-a-time mode builds a result object, a meta object, an errors array and a one-row data
// array for every record and grows each record's cell array by push. On a 50,000-order export
// (90,000 records, fresh process) papaparse took a median 190 ms of CPU where this takes 120 ms,
// and made about 65 MB more garbage.

/** A quote that is never closed, or text after a closing quote: the file is not CSV as Excel writes it. */
export interface CsvQuoteProblem {
  message: 'Quoted field unterminated' | 'Trailing quote on quoted field is malformed';
  /** The record (1-based) in which the quoted field starts. */
  record: number;
}

const QUOTE = 34; // "
const ESCAPED_QUOTES = /""/g;

/**
 * The line break that ends records: "\r\n", "\n" or "\r", whichever the first megabyte uses
 * outside quotes (papaparse's guess, so files read as they did).
 */
export function csvLineBreak(text: string): '\r\n' | '\n' | '\r' {
  const head = text.substring(0, 1024 * 1024).replace(/"([^]*?)"/gm, '');
  let carriageReturns = 0;
  // Parts after a "\r" that start with "\n" (and the head itself, when it starts with "\n").
  let followedByNewline = head.charCodeAt(0) === 10 ? 1 : 0;
  for (let i = head.indexOf('\r'); i !== -1; i = head.indexOf('\r', i + 1)) {
    carriageReturns++;
    if (head.charCodeAt(i + 1) === 10) followedByNewline++;
  }
  const firstNewline = head.indexOf('\n');
  if (carriageReturns === 0 || (firstNewline !== -1 && firstNewline < head.indexOf('\r'))) return '\n';
  return followedByNewline >= (carriageReturns + 1) / 2 ? '\r\n' : '\r';
}

/**
 * Calls `onRecord` with each record's cells, in order, the last one included (a text ending in a
 * line break ends with one empty record), and the length of the text it was read from (never less
 * than its cells' lengths together). Returns the quote problem that stopped it, or null. An
 * exception from `onRecord` stops reading and goes to the caller.
 */
export function readCsvRecords(
  text: string,
  delimiter: string,
  lineBreak: string,
  onRecord: (cells: string[], textLength: number) => void,
): CsvQuoteProblem | null {
  return readCsvPiece(text, delimiter, lineBreak, onRecord, { records: 0 }, true).problem;
}

/** What reading a text in pieces carries from one piece to the next. */
export interface CsvPieceState {
  /** Records read so far (a quote problem names the record after them). */
  records: number;
}

/**
 * Reads the records of one piece of a text that arrives in pieces (a file read a chunk at a time),
 * as readCsvRecords reads the whole text. A record is read only once the line break that ends it is
 * in the piece: reading stops at the first record that may go on past the piece, and `rest` says
 * where it starts (the caller puts that part in front of the next piece). The last piece is read
 * with `last`, where the end of the piece is the end of the text.
 */
export function readCsvPiece(
  text: string,
  delimiter: string,
  lineBreak: string,
  onRecord: (cells: string[], textLength: number) => void,
  state: CsvPieceState,
  last: boolean,
): { problem: CsvQuoteProblem | null; rest: number } {
  if (text === '') return { problem: null, rest: 0 };
  const length = text.length;
  const breakLength = lineBreak.length;
  const delimiterCode = delimiter.charCodeAt(0);
  // Cells of the record being read; each record gets an array of its exact length.
  const cells: string[] = [];
  let count = 0;
  let recordStart = 0;
  /** Passes on the record read so far, which ends where the next one starts. */
  const emit = (next: number) => {
    state.records++;
    const record = cells.slice(0, count);
    count = 0;
    const textLength = next - recordStart;
    recordStart = next;
    onRecord(record, textLength);
  };
  /** The record being read may go on in the next piece: stop before it. */
  const more = () => ({ problem: null, rest: recordStart });
  const problem = (message: CsvQuoteProblem['message']) => ({
    problem: { message, record: state.records + 1 },
    rest: recordStart,
  });
  /** Spaces between a closing quote and `end` (a delimiter or line break), when only spaces are there. */
  const spacesAfter = (quote: number, end: number) => {
    if (end === -1) return 0;
    const between = text.substring(quote + 1, end);
    return between !== '' && between.trim() === '' ? between.length : 0;
  };
  let cursor = 0;
  let nextDelimiter = text.indexOf(delimiter, 0);
  let nextBreak = text.indexOf(lineBreak, 0);
  for (;;) {
    // No line break after here: the record can only end where the whole text ends.
    if (nextBreak === -1 && !last) return more();
    if (text.charCodeAt(cursor) === QUOTE) {
      const start = cursor + 1;
      let quote = cursor;
      for (;;) {
        quote = text.indexOf('"', quote + 1);
        if (quote === -1) return last ? problem('Quoted field unterminated') : more();
        if (quote === length - 1) {
          // The next piece may begin with a quote ("" inside the field) or whatever ends it.
          if (!last) return more();
          cells[count++] = unquote(text, start, quote);
          emit(length);
          return { problem: null, rest: length };
        }
        // "" inside quotes is one quote of the text.
        if (text.charCodeAt(quote + 1) === QUOTE) {
          quote++;
          continue;
        }
        if (nextDelimiter !== -1 && nextDelimiter < quote + 1)
          nextDelimiter = text.indexOf(delimiter, quote + 1);
        if (nextBreak !== -1 && nextBreak < quote + 1) nextBreak = text.indexOf(lineBreak, quote + 1);
        // The field held the line breaks seen so far: none is left after it in this piece.
        if (nextBreak === -1 && !last) return more();
        const spaces = spacesAfter(
          quote,
          nextBreak === -1 ? nextDelimiter : Math.min(nextDelimiter, nextBreak),
        );
        if (text.charCodeAt(quote + 1 + spaces) === delimiterCode) {
          cells[count++] = unquote(text, start, quote);
          cursor = quote + 1 + spaces + 1;
          if (nextDelimiter !== -1 && nextDelimiter < cursor) nextDelimiter = text.indexOf(delimiter, cursor);
          if (nextBreak !== -1 && nextBreak < cursor) nextBreak = text.indexOf(lineBreak, cursor);
          break;
        }
        const spacesBeforeBreak = spacesAfter(quote, nextBreak);
        if (text.startsWith(lineBreak, quote + 1 + spacesBeforeBreak)) {
          cells[count++] = unquote(text, start, quote);
          cursor = quote + 1 + spacesBeforeBreak + breakLength;
          nextBreak = text.indexOf(lineBreak, cursor);
          if (nextDelimiter !== -1 && nextDelimiter < cursor) nextDelimiter = text.indexOf(delimiter, cursor);
          emit(cursor);
          break;
        }
        return problem('Trailing quote on quoted field is malformed');
      }
      continue;
    }
    if (nextDelimiter !== -1 && (nextDelimiter < nextBreak || nextBreak === -1)) {
      cells[count++] = text.substring(cursor, nextDelimiter);
      cursor = nextDelimiter + 1;
      nextDelimiter = text.indexOf(delimiter, cursor);
      continue;
    }
    if (nextBreak === -1) break;
    cells[count++] = text.substring(cursor, nextBreak);
    cursor = nextBreak + breakLength;
    nextBreak = text.indexOf(lineBreak, cursor);
    emit(cursor);
  }
  cells[count++] = text.substring(cursor);
  emit(length);
  return { problem: null, rest: length };
}

function unquote(text: string, from: number, to: number): string {
  const value = text.substring(from, to);
  return value.includes('"') ? value.replace(ESCAPED_QUOTES, '"') : value;
}
