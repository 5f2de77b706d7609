// A CSV file on disk read record by record, a chunk at a time: neither its bytes nor its decoded text
// are ever held whole. Read whole, a 200,000-order export (48 MB) was held twice while it was read,
// as bytes and as text, and the bytes were kept alive by the collections their own size set off:
// ~100 MB that a preparation's peak memory carried well into the analysis.
//
// Only a file that is plainly UTF-8 text (with or without a BOM) is read this way; anything else (a
// workbook, UTF-16, windows-1251, UTF-8 with broken bytes, a binary file) is left to the whole-file
// reader, which detects and reports it. Deciding needs the whole file, so it is read twice: once to
// check it is UTF-8 (and note its size and CRC-32), once to read its records; a file that changes
// in between is refused.
import { TextDecoder } from 'node:util';
import { crc32 } from 'node:zlib';
import { ValidationError } from '../domain/errors.js';
import { fileChunks } from './file-chunks.js';
import type { BytesSeen } from './checked-copy.js';
import { csvLineBreak } from './csv-records.js';
import { byteOrderMark, CSV_HEAD_CHARS, CsvPieceReader, sniffDelimiter, UTF8_BOM } from './tabular-csv.js';
import type { CsvDelimiter, CsvEncoding } from './tabular-csv.js';

/** Bytes read at a time: their text stays below V8's large-object size, so it dies young. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Whether the file is UTF-8 text the reader takes in pieces, and what its bytes are. `plainText`
 * judges the first chunk (not a workbook or a binary file). Null: read it whole.
 */
async function checkedUtf8(
  file: string,
  fileName: string,
  plainText: (head: Uint8Array) => boolean,
): Promise<{ encoding: CsvEncoding; seen: BytesSeen } | null> {
  let decoder: TextDecoder | null = null;
  let size = 0;
  let crc = 0;
  for await (const chunk of fileChunks(file, fileName, CHUNK_BYTES)) {
    if (decoder === null) {
      const bom = byteOrderMark(chunk);
      if (!plainText(chunk) || (bom !== null && bom.encoding !== 'utf-8-bom')) return null;
      // With a BOM the file is read as UTF-8 whatever it holds, as the whole-file reader reads it.
      decoder = new TextDecoder('utf-8', { fatal: bom === null });
    }
    size += chunk.length;
    crc = crc32(chunk, crc);
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      return null;
    }
  }
  if (decoder === null) return null;
  try {
    decoder.decode();
  } catch {
    return null;
  }
  return { encoding: decoder.fatal ? 'utf-8' : 'utf-8-bom', seen: { size, crc32: crc } };
}

/**
 * Reads the records of a plainly UTF-8 CSV file on disk into `onRecord`, a chunk at a time, and
 * returns how it was read; null when the file must be read whole instead (see the file comment).
 */
export async function readCsvFileInPieces(
  file: string,
  fileName: string,
  plainText: (head: Uint8Array) => boolean,
  onRecord: (record: string[]) => void,
): Promise<{ encoding: CsvEncoding; delimiter: CsvDelimiter; seen: BytesSeen } | null> {
  const checked = await checkedUtf8(file, fileName, plainText);
  if (checked === null) return null;
  const skip = checked.encoding === 'utf-8-bom' ? UTF8_BOM.length : 0;
  const decoder = new TextDecoder('utf-8');
  let size = skip;
  let crc = skip > 0 ? crc32(UTF8_BOM) : 0;
  // The delimiter and line break are judged from the start of the text, as when it is read whole.
  let head = '';
  let reader: CsvPieceReader | null = null;
  let delimiter: CsvDelimiter = ',';
  const startReading = (text: string): CsvPieceReader => {
    delimiter = sniffDelimiter(text);
    return new CsvPieceReader(delimiter, csvLineBreak(text), fileName, onRecord);
  };
  for await (const chunk of fileChunks(file, fileName, CHUNK_BYTES, { from: skip })) {
    size += chunk.length;
    crc = crc32(chunk, crc);
    const text = decoder.decode(chunk, { stream: true });
    if (reader !== null) reader.piece(text);
    else if ((head += text).length >= CSV_HEAD_CHARS) {
      reader = startReading(head);
      reader.piece(head);
      head = '';
    }
  }
  if (size !== checked.seen.size || crc !== checked.seen.crc32)
    throw new ValidationError(`${fileName} changed while it was being read; run again.`, { file: fileName });
  const rest = decoder.decode();
  if (reader === null) {
    const text = head + rest;
    if (text.trim() === '')
      throw new ValidationError(`${fileName} is empty. Export the list again.`, { file: fileName });
    startReading(text).last(text);
  } else reader.last(rest);
  return { encoding: checked.encoding, delimiter, seen: checked.seen };
}
