// Heavy work off the thread that keeps leases alive and answers scans: a 1,000,000-row workbook once
// held a hub's event loop for 40 s and every station lost its list. Reading an upload (a packing list,
// a mapping file) and building a report run in a worker thread with a memory ceiling and a time limit,
// each turned into an error the shift lead can act on. Both sides of the conversation live here: the
// main thread's runner and the worker's answer.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, type TransferListItem } from 'node:worker_threads';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { errorFrom, errorShape, ErrorShapeSchema, type ErrorShape } from './worker-errors.js';

export interface OffThreadLimits {
  heapMb: number;
  timeMs: number;
}

/** What a worker answers: its value, or the error it stopped with. */
export function workerAnswer<V extends z.ZodType>(value: V) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({
      ok: z.literal(false),
      error: ErrorShapeSchema,
    }),
  ]);
}

export interface OffThreadJob<T> {
  /** The compiled worker module, next to the caller. */
  entry: URL;
  job: unknown;
  answer: z.ZodType<{ ok: true; value: T } | { ok: false; error: ErrorShape }>;
  limits: OffThreadLimits;
  /** The sentences for a job past its limits: "BIG.csv took more than 120 s to read and …". */
  tooSlow: string;
  tooLarge: string;
  /** Run from the TypeScript sources (the unit tests) there is no compiled worker: the work in place. */
  inPlace: () => Promise<T>;
}

export async function runOffThread<T>(work: OffThreadJob<T>): Promise<T> {
  if (!existsSync(fileURLToPath(work.entry))) return work.inPlace();
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(work.entry, {
      workerData: work.job,
      resourceLimits: { maxOldGenerationSizeMb: work.limits.heapMb },
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new ValidationError(work.tooSlow))),
      work.limits.timeMs,
    );
    worker.once('message', (message: unknown) => {
      const answer = work.answer.safeParse(message);
      finish(() => {
        if (!answer.success) reject(new Error(`the worker answered ${answer.error.message}`));
        else if (answer.data.ok) resolve(answer.data.value);
        else reject(errorFrom(answer.data.error));
      });
    });
    worker.once('error', (err: Error & { code?: string }) =>
      finish(() =>
        reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ValidationError(work.tooLarge) : err),
      ),
    );
    worker.once('exit', (code) =>
      finish(() => reject(new Error(`the worker stopped (exit ${code}) before it answered`))),
    );
  });
}

/** In the worker: runs the job and posts its value, or the error it stopped with, to the main thread. */
export async function answerMainThread<T>(
  work: () => Promise<T>,
  transfer: (value: T) => TransferListItem[] = () => [],
): Promise<void> {
  try {
    const value = await work();
    parentPort!.postMessage({ ok: true, value }, transfer(value));
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: errorShape(err) });
  }
}
