// A small zip writer for the workbooks packdesk makes: every entry deflated, its bytes streamed through
// Node's zlib (which compresses on libuv's thread pool, beside the thread making the XML) and checked
// with zlib's native CRC-32. yazl did the same with a CRC written in JavaScript, which took a fifth of
// a 50,000-order workbook's time. Plain zip (no zip64): the whole archive must stay under 4 GB, far
// above any workbook a preparation writes, and is refused beyond that rather than written damaged.
import { once } from 'node:events';
import { crc32, createDeflateRaw } from 'node:zlib';
import { contentBytes } from './file-content.js';

export interface ZipEntry {
  /** Path inside the archive (ASCII). */
  name: string;
  data: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

const LIMIT = 0xffffffff;
/**
 * XML given to zlib and not yet compressed, at most: the next parts are made while the pool
 * compresses these. Kept small on purpose: a part that waits in zlib's queue while other files are
 * made outlives the young-generation collections, and its bytes (outside V8's heap) then wait for a
 * full collection. With 8 MB queued a 200,000-order preparation held ~50 MB more of such dead parts
 * at its peak (about 535 vs 502 MB peak RSS); 512 KB was no slower at 50,000 or 200,000 orders.
 */
const AHEAD_BYTES = 512 * 1024;
/** Compressed bytes handed on together. */
const PIECE_BYTES = 256 * 1024;

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** MS-DOS time and date, as zip headers carry them. */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** A local header: sizes and CRC follow the entry's data in a data descriptor (flag bit 3). */
function localHeader(name: Buffer, time: number, date: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4); // version needed: deflate
  header.writeUInt16LE(0x0008, 6); // CRC and sizes in the data descriptor
  header.writeUInt16LE(8, 8); // method: deflate
  header.writeUInt16LE(time, 10);
  header.writeUInt16LE(date, 12);
  // CRC, compressed and uncompressed size: 0 here
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, name]);
}

function dataDescriptor(w: Written): Buffer {
  const d = Buffer.alloc(16);
  d.writeUInt32LE(0x08074b50, 0);
  d.writeUInt32LE(w.crc, 4);
  d.writeUInt32LE(w.compressed, 8);
  d.writeUInt32LE(w.size, 12);
  return d;
}

/**
 * One entry's data deflated, yielded as zlib makes it; `into` gets its CRC and sizes once it ends.
 * The next parts are made while the pool compresses the last ones, never more than AHEAD_BYTES
 * ahead; what zlib made meanwhile waits only until the reader asks for more.
 */
async function* deflated(
  data: ZipEntry['data'],
  level: number,
  into: Pick<Written, 'crc' | 'size' | 'compressed'>,
): AsyncGenerator<Buffer> {
  const deflate = createDeflateRaw({ level });
  const made: Buffer[] = [];
  let madeBytes = 0;
  let failure: unknown = null;
  deflate.on('data', (c: Buffer) => {
    made.push(c);
    madeBytes += c.length;
    into.compressed += c.length;
  });
  deflate.on('error', (err) => (failure ??= err));
  // What zlib made, as one piece once there is enough (or all at the end): a file gets a few large
  // writes, not one per 16 KB zlib chunk.
  const takeMade = (least: number) => {
    if (failure) throw failure;
    if (madeBytes === 0 || madeBytes < least) return [];
    madeBytes = 0;
    return [Buffer.concat(made.splice(0))];
  };
  try {
    const parts = data instanceof Uint8Array ? [data] : data;
    for await (const part of parts) {
      into.crc = crc32(part, into.crc);
      into.size += part.length;
      deflate.write(part);
      if (deflate.writableLength > AHEAD_BYTES) await once(deflate, 'drain');
      yield* takeMade(PIECE_BYTES);
    }
    const ended = once(deflate, 'end');
    deflate.end();
    await ended;
    yield* takeMade(0);
  } finally {
    // Reached early when the reader stops or a part fails: the native stream is freed now, not at GC.
    deflate.destroy();
  }
}

/**
 * The archive's bytes as they are made: each entry's local header, its deflated data and a data
 * descriptor with its CRC and sizes, then the central directory. Nothing larger than a MB or so is held:
 * the reader (a file being written) sets the pace. An archive that would pass 4 GB fails (as soon as
 * an entry's end shows it), so the file being written fails too and is not kept.
 */
export async function* zipDeflatedStream(
  entries: Iterable<ZipEntry>,
  level = 1,
  at = new Date(),
): AsyncGenerator<Buffer> {
  const { time, date } = dosTime(at);
  const written: Written[] = [];
  let offset = 0;
  for (const e of entries) {
    const w: Written = { name: Buffer.from(e.name, 'utf8'), crc: 0, compressed: 0, size: 0, offset };
    const header = localHeader(w.name, time, date);
    yield header;
    yield* deflated(e.data, level, w);
    if (w.size > LIMIT || w.compressed > LIMIT || offset > LIMIT)
      throw new Error(`${e.name} is too large for a workbook (over 4 GB)`);
    const descriptor = dataDescriptor(w);
    yield descriptor;
    written.push(w);
    offset += header.length + w.compressed + descriptor.length;
  }
  const directoryStart = offset;
  const directory: Buffer[] = [];
  for (const w of written) {
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // made by
    entry.writeUInt16LE(20, 6); // needed
    entry.writeUInt16LE(0x0008, 8); // as in the local header
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(time, 12);
    entry.writeUInt16LE(date, 14);
    entry.writeUInt32LE(w.crc, 16);
    entry.writeUInt32LE(w.compressed, 20);
    entry.writeUInt32LE(w.size, 24);
    entry.writeUInt16LE(w.name.length, 28);
    // extra, comment, disk, internal and external attributes: 0
    entry.writeUInt32LE(w.offset, 42);
    directory.push(entry, w.name);
    offset += entry.length + w.name.length;
  }
  if (offset > LIMIT || written.length > 0xffff) throw new Error('the workbook is too large (over 4 GB)');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(written.length, 8);
  end.writeUInt16LE(written.length, 10);
  end.writeUInt32LE(offset - directoryStart, 12);
  end.writeUInt32LE(directoryStart, 16);
  yield Buffer.concat([...directory, end]);
}

/** The archive's bytes in one buffer, for the small workbooks that are sent or kept whole. */
export async function zipDeflated(entries: Iterable<ZipEntry>, level = 1, at = new Date()): Promise<Buffer> {
  return contentBytes(zipDeflatedStream(entries, level, at));
}
