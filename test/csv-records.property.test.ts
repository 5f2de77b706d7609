// packdesk splits CSV text into records itself (src/store/csv-records.ts) and promises to read it
// exactly as papaparse 5, which it used before, did: the same records and cells, the same line-break
// guess, and the same quote problems at the same record. Generated text full of quotes, delimiters,
// spaces and mixed line breaks is read both ways and compared. Text read in pieces (a file read from
// disk a chunk at a time) gives the same rows and the same refusals as the text read whole, wherever
// it is cut.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvLineBreak, readCsvRecords } from '../src/store/csv-records.js';
import { CsvPieceReader, forEachCsvRecord, type CsvDelimiter } from '../src/store/tabular-csv.js';

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

  it('reads text in pieces as it reads it whole, wherever it is cut', () => {
    const rows = (text: string, d: CsvDelimiter, cuts: number[] | null) => {
      const out: string[][] = [];
      try {
        if (cuts === null) forEachCsvRecord(text, d, 'orders.csv', (r) => out.push(r));
        else {
          const reader = new CsvPieceReader(d, csvLineBreak(text), 'orders.csv', (r) => out.push(r));
          let from = 0;
          for (const at of cuts) {
            reader.piece(text.slice(from, at));
            from = at;
          }
          reader.last(text.slice(from));
        }
        return { rows: out, error: null };
      } catch (err) {
        return { rows: out, error: (err as Error).message };
      }
    };
    const cutText = (text: fc.Arbitrary<{ d: CsvDelimiter; text: string }>) =>
      text.chain(({ d, text }) =>
        fc
          .uniqueArray(fc.integer({ min: 0, max: text.length }), { maxLength: 8 })
          .map((cuts) => ({ d, text, cuts: cuts.sort((a, b) => a - b) })),
      );
    const anyText = fc.tuple(csvText, fc.constantFrom(...DELIMITERS)).map(([text, d]) => ({ d, text }));
    for (const [arb, numRuns] of [
      [cutText(anyText), 20_000],
      [cutText(excelText), 5_000],
    ] as const) {
      fc.assert(
        fc.property(arb, ({ d, text, cuts }) => {
          expect(rows(text, d, cuts), JSON.stringify({ text, cuts })).toEqual(rows(text, d, null));
        }),
        { numRuns },
      );
    }
    // Cut inside "" in a quoted field, inside a \r\n line break, right after a closing quote.
    const text = 'Name,Notes\r\n#1,"ring ""twice"""\r\n#2,"a\r\nb"\r\n';
    for (let at = 0; at <= text.length; at++)
      expect(rows(text, ',', [at]), String(at)).toEqual({
        rows: [
          ['Name', 'Notes'],
          ['#1', 'ring "twice"'],
          ['#2', 'a\r\nb'],
        ],
        error: null,
      });
  });

  it('refuses a row that goes on past 64 KB when read in pieces as when read whole', () => {
    const text = `Name,Notes\n#1,"${'x'.repeat(70 * 1024)}"\n#2,b\n`;
    const whole = () => forEachCsvRecord(text, ',', 'orders.csv', () => {});
    expect(whole).toThrow(/near row 2: a row is longer than 64 KB/);
    const reader = new CsvPieceReader(',', '\n', 'orders.csv', () => {});
    expect(() => {
      for (let i = 0; i < text.length; i += 4096) reader.piece(text.slice(i, i + 4096));
    }).toThrow(/near row 2: a row is longer than 64 KB/);
  });
});
