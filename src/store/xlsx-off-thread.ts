// A large workbook made in a worker thread (xlsx-worker.ts) while the main thread writes the other
// files of a session: at 50,000 orders the analysis workbook is ~27 MB of sheet XML to make and
// deflate, which on the main thread came before every other file. The main thread keeps what only it
// has (the rows, made from the analysis it holds) and sends them a few thousand at a time; the worker
// makes the XML and the zip and hands back the bytes. At most ROWS_IN_FLIGHT batches are on their way
// or waiting in the worker, so neither thread ever holds a large sheet's rows or its XML whole.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { buildXlsx, rowBatches, type CellValue, type SheetHead, type SheetSpec } from './xlsx-writer.js';

/** Rows per message: ~1.5 MB of XML each in the worker, and the cost of a message is spread thin. */
export const ROWS_PER_MESSAGE = 2_000;
/** Batches sent and not yet taken by the worker: enough that it never waits for the next one. */
const ROWS_IN_FLIGHT = 2;
/** The worker's heap ceiling: it holds a few batches, the shared strings and the deflated bytes. */
const WORKER_HEAP_MB = 512;
/**
 * Its young generation: V8's default let a 50,000-order run's peak RSS grow by ~45 MB with the
 * worker; at 16 MB it grows by ~25 MB (at 4 MB by ~10, but with scavenges that cost more CPU).
 */
const WORKER_YOUNG_MB = 16;

const isCell = (v: unknown): boolean =>
  v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
/** Rows as sent, checked by one loop over the cells: a zod union per cell cost ~100 ms at 50,000 rows. */
const RowsSchema = z.custom<CellValue[][]>(
  (v) => Array.isArray(v) && v.every((row) => Array.isArray(row) && row.every(isCell)),
  'rows of cell values (text, number, true/false or blank)',
);

export const SheetHeadsSchema = z.array(
  z.object({
    name: z.string(),
    columns: z.array(
      z.object({ header: z.string(), width: z.number().optional(), shared: z.boolean().optional() }),
    ),
  }),
);

/** Main thread → worker: the rows of sheet `sheet` (sheets in order), then the end of all rows. */
export const ToXlsxWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('rows'),
    sheet: z.number().int().nonnegative(),
    rows: RowsSchema,
    marks: z.array(z.enum(['none', 'bad', 'warn', 'good'])),
  }),
  z.object({ type: z.literal('end') }),
]);
export type ToXlsxWorker = z.infer<typeof ToXlsxWorkerSchema>;

/** Worker → main thread: a batch was taken (send another), the workbook, or why there is none. */
export const FromXlsxWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('taken') }),
  z.object({ type: z.literal('done'), bytes: z.instanceof(ArrayBuffer) }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type FromXlsxWorker = z.infer<typeof FromXlsxWorkerSchema>;

/**
 * The workbook's bytes, made in a worker thread. Run from the TypeScript sources (the unit tests)
 * there is no compiled worker: then it is made in place, the same way. The promise is often awaited
 * only when its file is written, after other work: it is marked handled here so a failure before then
 * is not an unhandled rejection; whoever awaits it still gets the error.
 */
export function buildXlsxOffThread(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const entry = new URL('./xlsx-worker.js', import.meta.url);
  const bytes = existsSync(fileURLToPath(entry)) ? inWorker(entry, sheets) : buildXlsx(sheets);
  bytes.catch(() => {});
  return bytes;
}

function inWorker(entry: URL, sheets: readonly SheetSpec[]): Promise<Buffer> {
  const heads: SheetHead[] = sheets.map((s) => ({ name: s.name, columns: s.columns }));
  return new Promise<Buffer>((resolve, reject) => {
    const worker = new Worker(entry, {
      workerData: heads,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    let credit = ROWS_IN_FLIGHT;
    let wake: (() => void) | null = null;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      wake?.();
      fn();
    };
    worker.on('message', (raw: unknown) => {
      const message = FromXlsxWorkerSchema.safeParse(raw);
      if (!message.success) {
        finish(() => reject(new Error(`the workbook's worker answered ${message.error.message}`)));
      } else if (message.data.type === 'taken') {
        credit++;
        wake?.();
      } else if (message.data.type === 'done') {
        const done = Buffer.from(message.data.bytes);
        finish(() => resolve(done));
      } else {
        const why = message.data.message;
        finish(() => reject(new Error(why)));
      }
    });
    worker.once('error', (err: Error & { code?: string }) =>
      finish(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new Error(`the workbook needed more than ${WORKER_HEAP_MB} MB of memory to make`)
            : err,
        ),
      ),
    );
    worker.once('exit', (code) =>
      finish(() => reject(new Error(`the workbook's worker stopped (exit ${code}) before it answered`))),
    );

    const send = (message: ToXlsxWorker) => worker.postMessage(message);
    async function feed(): Promise<void> {
      for (const [sheet, spec] of sheets.entries()) {
        for (const batch of rowBatches(spec, ROWS_PER_MESSAGE)) {
          while (credit === 0 && !settled) await new Promise<void>((r) => (wake = r));
          wake = null;
          if (settled) return;
          credit--;
          send({ type: 'rows', sheet, rows: batch.rows, marks: batch.marks });
        }
      }
      send({ type: 'end' });
    }
    // A row the caller's rows cannot make (their generator threw) ends the workbook with that error.
    feed().catch((err: unknown) => finish(() => reject(err)));
  });
}
