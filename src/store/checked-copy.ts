// A file on disk that is read whole once (to be analysed) and copied somewhere later, streamed from
// disk, so its bytes need not be held in memory in between. The copy must hold exactly the bytes that
// were read: their size and CRC-32 are noted when read and checked while copying, which costs one
// pass over bytes already at hand instead of a second whole copy kept in memory.
import { createReadStream } from 'node:fs';
import { crc32 } from 'node:zlib';
import { ValidationError } from '../domain/errors.js';
import { storageErrorFor } from './atomic-file.js';
import { errorCode } from './fs-retry.js';

/** What was read of a file: enough to tell (cheaply, not cryptographically) that a copy is the same. */
export interface BytesSeen {
  size: number;
  crc32: number;
}

export function bytesSeen(data: Uint8Array): BytesSeen {
  return { size: data.length, crc32: crc32(data) };
}

/**
 * The file's bytes, read from disk in chunks as the copy is written. When they are not the bytes
 * `seen` (the file was changed, grown, shortened or removed since), the copy fails with a
 * ValidationError naming the file as the person knows it (`name`); the writer then drops the copy.
 */
export async function* checkedCopy(file: string, name: string, seen: BytesSeen): AsyncGenerator<Uint8Array> {
  const changed = () =>
    new ValidationError(`${name} changed while it was being prepared; run prepare again.`, { file: name });
  let size = 0;
  let crc = 0;
  try {
    // 1 MB reads: a 48 MB export is copied in 48 writes rather than 750.
    for await (const chunk of createReadStream(file, {
      highWaterMark: 1024 * 1024,
    }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > seen.size) throw changed();
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    if (errorCode(err) === 'ENOENT') throw changed();
    throw storageErrorFor(err, `read ${name}`, file);
  }
  if (size !== seen.size || crc !== seen.crc32) throw changed();
}
