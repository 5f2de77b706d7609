// A file on disk read a chunk at a time into one buffer, reused for every chunk: a large file (a
// 48 MB export) is never held whole, and no Buffer is made per chunk (one made per chunk outlives its
// use by a young collection or two, gets promoted, and its bytes then wait for a full one).
import { promises as fs } from 'node:fs';
import { storageErrorFor } from './atomic-file.js';
import { errorCode } from './fs-retry.js';

/**
 * The file's bytes from `from` on, `chunkBytes` at a time. Each chunk is a view of the one buffer and
 * holds its bytes only until the next chunk is asked for. A file that is not there when opened gives
 * `missing()` when given, else a storage error naming the file as the person knows it (`name`).
 */
export async function* fileChunks(
  file: string,
  name: string,
  chunkBytes: number,
  options: { from?: number; missing?: () => Error } = {},
): AsyncGenerator<Uint8Array> {
  const handle = await fs.open(file, 'r').catch((err: unknown) => {
    throw errorCode(err) === 'ENOENT' && options.missing
      ? options.missing()
      : storageErrorFor(err, `read ${name}`, file);
  });
  try {
    const buffer = Buffer.allocUnsafeSlow(chunkBytes);
    let position = options.from ?? 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position).catch((err: unknown) => {
        throw storageErrorFor(err, `read ${name}`, file);
      });
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
