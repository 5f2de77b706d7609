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
import { promises as fs } from 'node:fs';
import { TextDecoder } from 'node:util';
import { crc32 } from 'node:zlib';
import { ValidationError } from '../domain/errors.js';
import { storageErrorFor } from './atomic-file.js';
import type { BytesSeen } from './checked-copy.js';
import { csvLineBreak } from './csv-records.js';
import { CSV_HEAD_CHARS, CsvPieceReader, sniffDelimiter } from './tabular-csv.js';
import type { CsvDelimiter, CsvEncoding } from './tabular-csv.js';

/** Bytes read at a time: their text stays below V8's large-object size, so it dies young. */
const CHUNK_BYTES = 64 * 1024;
const BOM = [0xef, 0xbb, 0xbf];

async function eachChunk(
  file: string,
  fileName: string,
  from: number,
  each: (chunk: Uint8Array) => void,
): Promise<void> {
  const handle = await fs.open(file, 'r').catch((err: unknown) => {
    throw storageErrorFor(err, `read ${fileName}`, file);
  });
  try {
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    let position = from;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position).catch((err: unknown) => {
        throw storageErrorFor(err, `read ${fileName}`, file);
      });
      if (bytesRead === 0) return;
      position += bytesRead;
      each(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

const hasBom = (head: Uint8Array) => BOM.every((b, i) => head[i] === b);

/**
 * Whether the file is UTF-8 text the reader takes in pieces, and what its bytes are. `plainText`
 * judges the first chunk (not a workbook or a binary file). Null: read it whole.
 */
async function checkedUtf8(
  file: string,
  fileName: string,
  plainText: (head: Uint8Array) => boolean,
): Promise<{ encoding: CsvEncoding; seen: BytesSeen } | null> {
  // Filled in as the chunks go by (a closure's writes are not seen by the checks after it).
  const read = { decoder: null as TextDecoder | null, size: 0, crc: 0, readable: true };
  await eachChunk(file, fileName, 0, (chunk) => {
    if (!read.readable) return;
    if (read.decoder === null) {
      if (!plainText(chunk) || chunk[0] === 0xff || chunk[0] === 0xfe) return void (read.readable = false);
      // With a BOM the file is read as UTF-8 whatever it holds, as the whole-file reader reads it.
      read.decoder = new TextDecoder('utf-8', { fatal: !hasBom(chunk) });
    }
    read.size += chunk.length;
    read.crc = crc32(chunk, read.crc);
    try {
      read.decoder.decode(chunk, { stream: true });
    } catch {
      read.readable = false;
    }
  });
  if (!read.readable || read.decoder === null) return null;
  try {
    read.decoder.decode();
  } catch {
    return null;
  }
  return { encoding: read.decoder.fatal ? 'utf-8' : 'utf-8-bom', seen: { size: read.size, crc32: read.crc } };
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
  const skip = checked.encoding === 'utf-8-bom' ? BOM.length : 0;
  const decoder = new TextDecoder('utf-8');
  const read = {
    size: skip,
    crc: skip > 0 ? crc32(Buffer.from(BOM)) : 0,
    head: '',
    reader: null as CsvPieceReader | null,
    delimiter: ',' as CsvDelimiter,
  };
  const startReading = (text: string): CsvPieceReader => {
    read.delimiter = sniffDelimiter(text);
    return (read.reader = new CsvPieceReader(read.delimiter, csvLineBreak(text), fileName, onRecord));
  };
  await eachChunk(file, fileName, skip, (chunk) => {
    read.size += chunk.length;
    read.crc = crc32(chunk, read.crc);
    const text = decoder.decode(chunk, { stream: true });
    if (read.reader !== null) return read.reader.piece(text);
    // The delimiter and line break are judged from the start of the text, as when it is read whole.
    read.head += text;
    if (read.head.length < CSV_HEAD_CHARS) return;
    startReading(read.head).piece(read.head);
    read.head = '';
  });
  if (read.size !== checked.seen.size || read.crc !== checked.seen.crc32)
    throw new ValidationError(`${fileName} changed while it was being read; run again.`, { file: fileName });
  const rest = decoder.decode();
  if (read.reader === null) {
    const text = read.head + rest;
    if (text.trim() === '')
      throw new ValidationError(`${fileName} is empty. Export the list again.`, { file: fileName });
    startReading(text).last(text);
  } else read.reader.last(rest);
  return { encoding: checked.encoding, delimiter: read.delimiter, seen: checked.seen };
}
