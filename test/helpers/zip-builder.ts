// Builds zip archives byte by byte for tests: ordinary ones, ones that are not workbooks, and
// decompression bombs (a real deflate stream of zeros, made without inflating or deflating it all).
import zlib from 'node:zlib';

export interface RawZipEntry {
  name: string;
  /** Deflated bytes as stored. */
  compressed: Buffer;
  /** What the directory claims the entry inflates to. */
  uncompressedSize: number;
  crc: number;
}

export function deflatedEntry(name: string, content: string | Buffer): RawZipEntry {
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  return {
    name,
    compressed: zlib.deflateRawSync(data),
    uncompressedSize: data.length,
    crc: zlib.crc32(data),
  };
}

export function buildZip(entries: RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.compressed.length, 18);
    local.writeUInt32LE(Math.min(e.uncompressedSize, 0xffffffff), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.compressed.length, 20);
    central.writeUInt32LE(Math.min(e.uncompressedSize, 0xffffffff), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.compressed);
    centrals.push(central, name);
    offset += 30 + name.length + e.compressed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/**
 * A genuine deflate stream of `megabytes` MB of zeros. After a full flush the compressor's output for
 * each further MB of zeros is the same bytes, so one MB is compressed and its block repeated.
 */
export async function zerosDeflated(megabytes: number): Promise<Buffer> {
  const chunk = Buffer.alloc(1 << 20);
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const pieces: Buffer[] = [];
  for (let i = 0; i < 2; i++) {
    const out: Buffer[] = [];
    const onData = (c: Buffer) => out.push(c);
    deflate.on('data', onData);
    deflate.write(chunk);
    await new Promise<void>((resolve) => deflate.flush(zlib.constants.Z_FULL_FLUSH, () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
    deflate.off('data', onData);
    pieces.push(Buffer.concat(out));
  }
  deflate.destroy();
  const block = pieces[1]!;
  // 0x03 0x00 is an empty final block with fixed codes: it ends the stream.
  return Buffer.concat([...Array.from({ length: megabytes }, () => block), Buffer.from([0x03, 0x00])]);
}
