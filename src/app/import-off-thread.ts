// Imports a packing list off the thread that keeps leases alive and answers scans (a 1,000,000-row
// workbook once held a hub's event loop for 40 s, and every station lost its list). The work runs
// in a worker thread with a memory ceiling and a time limit, each turned into an error the shift
// lead can act on.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ValidationError } from '../domain/errors.js';
import { errorFrom } from './worker-errors.js';
import { ImportAnswer, type ImportJob } from './import-job.js';
import { importPackingListBytes, type ImportPackingListOptions } from './import-packing-list.js';
import { prepareList, type PreparedList } from './sessions.js';

export const IMPORT_LIMITS = { heapMb: 1_024, timeMs: 120_000 };

export async function importPackingListOffThread(
  data: Buffer,
  fileName: string,
  options: ImportPackingListOptions,
): Promise<PreparedList> {
  const entry = new URL('./import-worker.js', import.meta.url);
  // Run from the TypeScript sources (the unit tests) there is no compiled worker: import in place.
  if (!existsSync(fileURLToPath(entry)))
    return prepareList(await importPackingListBytes(data, fileName, options));
  const job: ImportJob = {
    data: new Uint8Array(data),
    fileName,
    columns: { ...options.columns },
    now: options.now.toISOString(),
  };
  return new Promise<PreparedList>((resolve, reject) => {
    const worker = new Worker(entry, {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: IMPORT_LIMITS.heapMb },
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
      () =>
        finish(() =>
          reject(
            new ValidationError(
              `${fileName} took more than ${IMPORT_LIMITS.timeMs / 1000} s to read and was not imported; split it into smaller files.`,
              { file: fileName },
            ),
          ),
        ),
      IMPORT_LIMITS.timeMs,
    );
    worker.once('message', (message: unknown) => {
      const answer = ImportAnswer.safeParse(message);
      finish(() => {
        if (!answer.success) reject(new Error(`the import worker answered ${answer.error.message}`));
        else if (answer.data.ok) resolve(answer.data.prepared);
        else reject(errorFrom(answer.data.error));
      });
    });
    worker.once('error', (err: Error & { code?: string }) =>
      finish(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ValidationError(
                `${fileName} needs more than ${IMPORT_LIMITS.heapMb} MB of memory to read and was not imported; split it into smaller files.`,
                { file: fileName },
              )
            : err,
        ),
      ),
    );
    worker.once('exit', (code) =>
      finish(() => reject(new Error(`the import of ${fileName} stopped (exit ${code}) before it answered`))),
    );
  });
}
