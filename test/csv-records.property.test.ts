// packdesk splits CSV text into records itself (src/store/csv-records.ts) and promises to read it
// exactly as papaparse 5, which it used before, did: the same records and cells, the same line-break
// guess, and the same quote problems at the same record. Generated text full of quotes, delimiters,
// spaces and mixed line breaks is read both ways and compared.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvLineBreak, readCsvRecords } from '../src/store/csv-records.js';

/** What papaparse gave packdesk: records until the first quote problem, and that problem's message. */
function papaparsed(text: string, delimiter: string): { records: string[][]; problem: string | null } {
  const records: string[][] = [];
  let problem: string | null = null;
  Papa.parse<string[]>(text, {
    delimiter,
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
    step: (result, parser) => {
      const quote = result.errors.find((e) => e.type === 'Quotes');
      if (quote) {
        problem = quote.message;
        parser.abort();
        return;
      }
      records.push(result.data);
    },
  });
  return { records, problem };
}

function read(text: string, delimiter: string): { records: string[][]; problem: string | null } {
  const records: string[][] = [];
  let read = 0;
  const problem = readCsvRecords(text, delimiter, csvLineBreak(text), (cells, textLength) => {
    // Each record comes with the length of the text it was read from, at least its cells' lengths.
    expect(textLength).toBeGreaterThanOrEqual(cells.reduce((sum, c) => sum + c.length, 0));
    read += textLength;
    records.push(cells);
  });
  // The problem names the record it is in: the one after those read; else every character was read.
  if (problem) expect(problem.record).toBe(records.length + 1);
  else expect(read).toBe(text.length);
  return { records, problem: problem?.message ?? null };
}

const DELIMITERS = [',', ';', '\t', '|'] as const;
const piece = fc.constantFrom(
  'a',
  'bc',
  'Ж',
  ' ',
  '  ',
  ',',
  ';',
  '\t',
  '|',
  '"',
  '""',
  '\n',
  '\r\n',
  '\r',
  '5" screen',
);
const csvText = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
/** Text shaped like an export: fields, some quoted as Excel quotes them, in records. */
const excelText = fc
  .tuple(
    fc.constantFrom(...DELIMITERS),
    fc.constantFrom('\n', '\r\n'),
    fc.array(fc.array(fc.oneof(fc.string({ maxLength: 6 }), piece), { maxLength: 5 }), { maxLength: 6 }),
    fc.boolean(),
  )
  .map(([d, br, rows, endBreak]) => {
    const quoted = (v: string) =>
      /[",;\t|\r\n]/.test(v) || v.startsWith(' ') ? `"${v.replaceAll('"', '""')}"` : v;
    return { d, text: rows.map((r) => r.map(quoted).join(d)).join(br) + (endBreak ? br : '') };
  });

describe('CSV records', () => {
  it('reads any text as papaparse did, quote problems included', () => {
    fc.assert(
      fc.property(csvText, fc.constantFrom(...DELIMITERS), (text, d) => {
        expect(read(text, d), JSON.stringify(text)).toEqual(papaparsed(text, d));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads Excel-quoted exports as papaparse did', () => {
    fc.assert(
      fc.property(excelText, ({ d, text }) => {
        expect(read(text, d), JSON.stringify(text)).toEqual(papaparsed(text, d));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads a quoted note over several lines, "" inside quotes and a quote inside a field', () => {
    const text = 'Name,Notes,Size\r\n#1,"Leave at the door,\r\nring ""twice""",5" screen\r\n#2,,\r\n';
    expect(read(text, ',').records).toEqual([
      ['Name', 'Notes', 'Size'],
      ['#1', 'Leave at the door,\r\nring "twice"', '5" screen'],
      ['#2', '', ''],
      [''],
    ]);
    expect(read('a,"b\nc', ',').problem).toBe('Quoted field unterminated');
    expect(read('a,"b"c,d', ',').problem).toBe('Trailing quote on quoted field is malformed');
  });
});
