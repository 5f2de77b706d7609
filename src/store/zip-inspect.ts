// Looks inside a zip (an .xlsx is one) without inflating anything: the central directory at the end
// of the file lists every entry with its compressed and uncompressed size. A decompression bomb is
// refused from those numbers alone, in microseconds, before any byte is inflated.
import { inflateRawSync } from 'node:zlib';
import { ValidationError } from '../domain/errors.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipLimits {
  /** Refuse when all entries together would inflate to more than this many bytes. */
  maxUncompressedBytes: number;
  /** Refuse when an entry (or the whole archive) claims to inflate more than this many times its size. */
  maxRatio: number;
  /** Ratios are only judged above this size: tiny files compress oddly and harm nobody. */
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const U32_MAX = 0xffffffff;

export function looksLikeZip(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && (buf[2] === 0x03 || buf[2] === 0x05);
}

function readU64(buf: Buffer, at: number): number {
  return Number(buf.readBigUInt64LE(at));
}

/** Reads the central directory. Throws a ValidationError naming `fileName` when the zip is damaged. */
export function readZipDirectory(buf: Buffer, fileName: string): ZipEntry[] {
  const damaged = (why: string) =>
    new ValidationError(
      `${fileName} is damaged or not a complete file (${why}). Save it again from Excel and retry.`,
      {
        file: fileName,
      },
    );
  // The end record sits in the last 22 bytes plus an optional comment of up to 64 KB.
  const searchFrom = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= searchFrom; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged('no zip directory at the end');
  let count = buf.readUInt16LE(eocd + 10);
  let dirSize = buf.readUInt32LE(eocd + 12);
  let dirOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirSize === U32_MAX || dirOffset === U32_MAX) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR_SIG)
      throw damaged('zip64 locator missing');
    const z64 = readU64(buf, locator + 8);
    if (z64 + 56 > buf.length || buf.readUInt32LE(z64) !== ZIP64_EOCD_SIG)
      throw damaged('zip64 directory missing');
    count = readU64(buf, z64 + 32);
    dirSize = readU64(buf, z64 + 40);
    dirOffset = readU64(buf, z64 + 48);
  }
  if (dirOffset + dirSize > buf.length) throw damaged('directory points past the end of the file');
  const entries: ZipEntry[] = [];
  let at = dirOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL_SIG) throw damaged('broken directory entry');
    const method = buf.readUInt16LE(at + 10);
    let compressedSize = buf.readUInt32LE(at + 20);
    let uncompressedSize = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    let localHeaderOffset = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    // Zip64 sizes live in extra field 0x0001, in this order, only for the fields that overflowed.
    let extra = at + 46 + nameLen;
    const extraEnd = extra + extraLen;
    while (extra + 4 <= extraEnd) {
      const id = buf.readUInt16LE(extra);
      const size = buf.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let p = extra + 4;
        if (uncompressedSize === U32_MAX) {
          uncompressedSize = readU64(buf, p);
          p += 8;
        }
        if (compressedSize === U32_MAX) {
          compressedSize = readU64(buf, p);
          p += 8;
        }
        if (localHeaderOffset === U32_MAX) localHeaderOffset = readU64(buf, p);
      }
      extra += 4 + size;
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    at = extraEnd + commentLen;
  }
  return entries;
}

function bombError(fileName: string, why: string, details: Record<string, unknown>): ValidationError {
  return new ValidationError(
    `${fileName} was refused: ${why}. This is not a normal spreadsheet (it may be damaged or malicious); export the list again or save it as CSV.`,
    { file: fileName, ...details },
  );
}

/** Refuses archives whose declared sizes are too big or too compressed. Nothing is inflated. */
export function assertNotZipBomb(
  entries: ZipEntry[],
  fileSize: number,
  fileName: string,
  limits = DEFAULT_ZIP_LIMITS,
): void {
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (
      e.uncompressedSize > limits.ratioFloorBytes &&
      e.uncompressedSize > limits.maxRatio * Math.max(1, e.compressedSize)
    ) {
      throw bombError(
        fileName,
        `the part "${e.name}" would expand ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))} times`,
        {
          entry: e.name,
          uncompressed_bytes: e.uncompressedSize,
          compressed_bytes: e.compressedSize,
        },
      );
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw bombError(
      fileName,
      `it would expand to ${Math.round(total / 1024 / 1024)} MB (the limit is ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MB)`,
      {
        uncompressed_bytes: total,
      },
    );
  }
  if (total > limits.ratioFloorBytes && total > limits.maxRatio * Math.max(1, fileSize)) {
    throw bombError(fileName, `it would expand ${Math.round(total / fileSize)} times its size`, {
      uncompressed_bytes: total,
    });
  }
}

/**
 * The directory's sizes are only claims. Inflates each entry with a hard output cap equal to its
 * claimed size, so an archive that lies about its sizes is caught with bounded memory before the
 * spreadsheet library (which trusts the stream) sees it.
 */
export function assertSizesHonest(buf: Buffer, entries: ZipEntry[], fileName: string): void {
  for (const e of entries) {
    const at = e.localHeaderOffset;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL_SIG) {
      throw new ValidationError(
        `${fileName} is damaged (part "${e.name}" is missing). Save it again from Excel and retry.`,
        { file: fileName },
      );
    }
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    const data = buf.subarray(start, start + e.compressedSize);
    if (e.method === 0) {
      if (e.compressedSize !== e.uncompressedSize)
        throw bombError(fileName, `the part "${e.name}" has inconsistent sizes`, { entry: e.name });
      continue;
    }
    if (e.method !== 8) {
      throw new ValidationError(
        `${fileName} uses a compression method packdesk cannot read; save it again from Excel as .xlsx.`,
        {
          file: fileName,
          entry: e.name,
        },
      );
    }
    let out: Buffer;
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw bombError(fileName, `the part "${e.name}" expands to more than it declares`, { entry: e.name });
      }
      throw new ValidationError(
        `${fileName} is damaged (part "${e.name}" cannot be read). Save it again from Excel and retry.`,
        {
          file: fileName,
          entry: e.name,
        },
      );
    }
    if (out.length !== e.uncompressedSize) {
      throw new ValidationError(
        `${fileName} is damaged (part "${e.name}" has the wrong size). Save it again from Excel and retry.`,
        {
          file: fileName,
          entry: e.name,
        },
      );
    }
  }
}
