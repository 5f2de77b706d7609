// What packdesk writes into a file: text, bytes, or a sequence of byte chunks made while writing, so a
// large file (a 200,000-order analysis) is never built whole in memory first.
import type { FileHandle } from 'node:fs/promises';

export type FileContent = string | Uint8Array | Iterable<Uint8Array>;

/** Writes all of `content` at the handle's position (writeFile continues where the last write ended). */
export async function writeContent(handle: FileHandle, content: FileContent): Promise<void> {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    await handle.writeFile(content);
    return;
  }
  for (const chunk of content) await handle.writeFile(chunk);
}
