// A file on disk that is read once (to be analysed) and copied somewhere later, streamed from
// disk, so its bytes need not be held in memory in between. The copy must hold exactly the bytes that
// were read: their size and CRC-32 are noted when read and checked while copying, which costs one
// pass over bytes already at hand instead of a second whole copy kept in memory.
import { crc32 } from 'node:zlib';
import { ValidationError } from '../domain/errors.js';
import { fileChunks } from './file-chunks.js';

/** What was read of a file: enough to tell (cheaply, not cryptographically) that a copy is the same. */
export interface BytesSeen {
  size: number;
  crc32: number;
}

export function bytesSeen(data: Uint8Array): BytesSeen {
  return { size: data.length, crc32: crc32(data) };
}

/** Bytes read from disk at a time: a 48 MB export is copied in 48 writes rather than 750. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The file's bytes, read from disk as the copy is written. Each chunk is a view of one buffer that is
 * read into again for the next (see file-chunks.ts): the writer (writeContent) has written a chunk
 * before it asks for the next. When the bytes are not
 * the bytes `seen` (the file was changed, grown, shortened or removed since), the copy fails with a
 * ValidationError naming the file as the person knows it (`name`), and the writer drops the copy.
 */
export async function* checkedCopy(file: string, name: string, seen: BytesSeen): AsyncGenerator<Uint8Array> {
  const changed = () =>
    new ValidationError(`${name} changed while it was being prepared; run prepare again.`, { file: name });
  let size = 0;
  let crc = 0;
  const chunkBytes = Math.min(CHUNK_BYTES, Math.max(seen.size, 1));
  for await (const chunk of fileChunks(file, name, chunkBytes, { missing: changed })) {
    size += chunk.length;
    if (size > seen.size) throw changed();
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (size !== seen.size || crc !== seen.crc32) throw changed();
}
