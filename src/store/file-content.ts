// What packdesk writes into a file: text, bytes, a sequence of byte chunks made while writing, so a
// large file (a 200,000-order analysis) is never built whole in memory first, chunks that arrive
// while writing (a workbook being deflated, an input file copied from disk), or bytes still being
// made meanwhile, awaited only when their file is written.
import type { FileHandle } from 'node:fs/promises';

/** A piece of a file made while writing: bytes, or text written as UTF-8. */
export type FileChunk = Uint8Array | string;

export type FileContent =
  string | Uint8Array | Iterable<FileChunk> | AsyncIterable<FileChunk> | Promise<Uint8Array>;

// Text chunks are encoded into one buffer per file being written, reused for every chunk. A Buffer
// made per chunk (Buffer.from) outlives its write by a young collection or two, gets promoted, and
// its bytes then wait outside the heap for the next full collection: ~60 MB at a time while a
// 200,000-order session was written. Small, because each file's buffer is itself freed only by a
// full collection: filled buffers of 1 MB were ~10 MB more peak memory at 200,000 orders.
const SCRATCH_BYTES = 128 * 1024;

/**
 * Writes all of `content` at the handle's position (writeFile continues where the last write ended).
 * Text chunks are gathered in the scratch buffer and written when it is full: a file made of many
 * small pieces (JSON of ~32 K characters, and the commas between) is one write per 128 KB or so.
 */
export async function writeContent(handle: FileHandle, given: FileContent): Promise<void> {
  const content = given instanceof Promise ? await given : given;
  if (typeof content === 'string' || content instanceof Uint8Array) {
    await handle.writeFile(content);
    return;
  }
  let scratch: Buffer | null = null;
  let used = 0;
  const flush = async () => {
    if (scratch !== null && used > 0) await handle.writeFile(scratch.subarray(0, used));
    used = 0;
  };
  for await (const chunk of content) {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8, so a text this short always fits.
    if (typeof chunk === 'string' && chunk.length * 3 <= SCRATCH_BYTES) {
      if (used + chunk.length * 3 > SCRATCH_BYTES) await flush();
      scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
      used += scratch.write(chunk, used);
    } else {
      await flush();
      await handle.writeFile(chunk);
    }
  }
  await flush();
}

/** All of `content` as bytes, as writeContent would write them (for a caller that needs them whole). */
export async function contentBytes(given: FileContent): Promise<Buffer> {
  const content = given instanceof Promise ? await given : given;
  if (typeof content === 'string') return Buffer.from(content);
  if (content instanceof Uint8Array)
    return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const parts: Buffer[] = [];
  for await (const chunk of content)
    parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(parts);
}

type ItemOf<A> = A extends ReadonlyArray<infer I> ? I : never;

/**
 * Characters of JSON made at a time: far under V8's large-object size (128 KB, which two-byte text
 * reaches at 64 K characters), so a piece dies young in the cheap scavenges even when it waits for a
 * write. A piece in the large-object space waits there for a full collection: with pieces of 250
 * orders (often over 128 KB) a 200,000-order session left ~12 MB of dead JSON there at its peak.
 */
const JSON_PIECE_CHARS = 32 * 1024;

/** Arrays of the document besides `key` longer than this are made a piece at a time as well. */
const LONG_ARRAY = 256;

/**
 * `JSON.stringify(doc)` as chunks, with its array field `key` written last and serialised a few
 * hundred items at a time while the file is written: a 200,000-order analysis is tens of MB of JSON
 * that is never held as one string. Its other long arrays (the analysis' SKUs and products, tens of
 * thousands each: one 7 MB string made whole) are made in pieces too. `encode` gives what is stored
 * for an item of `key`, from the item and its place (by default the item itself).
 */
export function* jsonChunks<T extends object, K extends keyof T & string>(
  doc: T,
  key: K,
  encode: (item: ItemOf<T[K]>, index: number) => unknown = (item) => item,
): Generator<string> {
  let separator = '{';
  for (const [name, value] of Object.entries(doc)) {
    if (name === key) continue;
    if (Array.isArray(value) && value.length > LONG_ARRAY) {
      yield `${separator}${JSON.stringify(name)}:[`;
      yield* jsonItems(value, (item) => item);
      yield ']';
    } else {
      const json = JSON.stringify(value);
      // undefined, a function or a symbol: JSON.stringify leaves such a field out.
      if (json === undefined) continue;
      yield `${separator}${JSON.stringify(name)}:${json}`;
    }
    separator = ',';
  }
  yield `${separator}${JSON.stringify(key)}:[`;
  yield* jsonItems(doc[key] as unknown as ReadonlyArray<ItemOf<T[K]>>, encode);
  yield ']}';
}

/** An array's items as JSON (no brackets), a piece of about JSON_PIECE_CHARS at a time. */
function* jsonItems<I>(
  items: ReadonlyArray<I>,
  encode: (item: I, index: number) => unknown,
): Generator<string> {
  let per = 64;
  for (let i = 0; i < items.length;) {
    // One stringify of the piece (brackets cut off) is cheaper than one per item plus a join.
    const piece = new Array<unknown>(Math.min(per, items.length - i));
    for (let j = 0; j < piece.length; j++) piece[j] = encode(items[i + j]!, i + j);
    const part = JSON.stringify(piece);
    // Yielded apart: the comma joined to the piece would make a copy of the whole piece.
    if (i > 0) yield ',';
    yield part.slice(1, -1);
    i += piece.length;
    // The next piece's items from the size of this one's: at least one, at most twice as many.
    per = Math.max(1, Math.min(per * 2, Math.floor((piece.length * JSON_PIECE_CHARS) / part.length)));
  }
}

/**
 * Chunks made ahead of their file's writing: reading `source` starts at once and pauses while `limit`
 * bytes wait, so making a large file (a workbook: XML on this thread, deflating on the pool) overlaps
 * writing the files before it without ever being held whole. A failure of the source is kept and
 * thrown to the writer when it comes to it. One reader; closing it (return, as `for await` does when a
 * write fails, or discardContent) stops the source and releases what it holds.
 */
export function readAhead(source: AsyncIterable<Uint8Array>, limit: number): AsyncIterable<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const ready: Uint8Array[] = [];
  let readyBytes = 0;
  let ended = false;
  let closed = false;
  let failure: { error: unknown } | null = null;
  // The pump waits for room, the reader for chunks: never both at once, each woken by the other.
  let roomMade: (() => void) | null = null;
  let chunkMade: (() => void) | null = null;
  const wake = (waiter: (() => void) | null) => waiter?.();

  const pump = (async () => {
    try {
      while (!closed) {
        if (readyBytes >= limit) {
          await new Promise<void>((resolve) => (roomMade = resolve));
          continue;
        }
        const next = await it.next();
        if (next.done) break;
        ready.push(next.value);
        readyBytes += next.value.length;
        wake(chunkMade);
      }
      // Closed before the end: the source's own cleanup (its finally) runs now.
      if (closed) await it.return?.();
    } catch (error) {
      failure = { error };
    }
    ended = true;
    wake(chunkMade);
  })();

  const reader: AsyncIterator<Uint8Array> = {
    async next() {
      while (ready.length === 0 && !ended) await new Promise<void>((resolve) => (chunkMade = resolve));
      const chunk = ready.shift();
      if (chunk) {
        readyBytes -= chunk.length;
        wake(roomMade);
        return { value: chunk, done: false };
      }
      if (failure) throw failure.error;
      return { value: undefined, done: true };
    },
    async return() {
      closed = true;
      ready.length = 0;
      wake(roomMade);
      await pump;
      return { value: undefined, done: true };
    },
  };
  return { [Symbol.asyncIterator]: () => reader };
}

/**
 * Releases content that will not be written (its file failed, or one before it): chunks still being
 * made are stopped, a promise's failure is not left unhandled. Content already written is untouched.
 */
export async function discardContent(content: FileContent): Promise<void> {
  if (content instanceof Promise) await content.catch(() => undefined);
  else if (typeof content === 'object' && Symbol.asyncIterator in content)
    await content[Symbol.asyncIterator]().return?.();
}
