// The worker thread that makes a workbook (see xlsx-off-thread.ts): told the sheets at start, sent
// their rows in batches, sheet after sheet, it makes the XML and the zip as the batches come and
// answers the workbook's bytes, handed over without a copy. It says when it has taken a batch, so the
// main thread sends the next one only then.
import { parentPort, workerData } from 'node:worker_threads';
import {
  SheetHeadsSchema,
  ToXlsxWorkerSchema,
  type FromXlsxWorker,
  type ToXlsxWorker,
} from './xlsx-off-thread.js';
import { zipWorkbook, type RowBatch } from './xlsx-writer.js';

const port = parentPort!;
const answer = (message: FromXlsxWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const queue: ToXlsxWorker[] = [];
let arrived: (() => void) | null = null;
let refused: Error | null = null;

port.on('message', (raw: unknown) => {
  const message = ToXlsxWorkerSchema.safeParse(raw);
  if (message.success) queue.push(message.data);
  else refused = new Error(`the workbook's worker was sent ${message.error.message}`);
  arrived?.();
});

async function next(): Promise<ToXlsxWorker> {
  while (queue.length === 0 && !refused) await new Promise<void>((r) => (arrived = r));
  arrived = null;
  if (refused) throw refused;
  return queue[0]!;
}

/** The batches of one sheet: those sent for it, until the next sheet's or the end. */
async function* rowsOf(sheet: number): AsyncGenerator<RowBatch> {
  for (;;) {
    const message = await next();
    if (message.type === 'end' || message.sheet > sheet) return;
    if (message.sheet < sheet) throw new Error(`rows of sheet ${message.sheet} came after sheet ${sheet}`);
    queue.shift();
    answer({ type: 'taken' });
    yield { rows: message.rows, marks: message.marks };
  }
}

try {
  const heads = SheetHeadsSchema.parse(workerData);
  const bytes = await zipWorkbook(heads, rowsOf);
  if ((await next()).type !== 'end') throw new Error('rows came for a sheet the workbook does not have');
  // A small Buffer is a slice of a shared pool: only a buffer of its own can be handed over.
  const own =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer
      : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  if (!(own instanceof ArrayBuffer)) throw new Error('the workbook was made in shared memory');
  answer({ type: 'done', bytes: own }, [own]);
} catch (err) {
  answer({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
