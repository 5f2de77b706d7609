// Imports a packing list off the thread that keeps leases alive and answers scans (off-thread.ts).
import { ImportAnswer, type ImportJob } from './import-job.js';
import { importPackingListBytes, type ImportPackingListOptions } from './import-packing-list.js';
import { runOffThread } from './off-thread.js';
import { prepareList, type PreparedList } from './sessions.js';

export const IMPORT_LIMITS = { heapMb: 1_024, timeMs: 120_000 };

export function importPackingListOffThread(
  data: Buffer,
  fileName: string,
  options: ImportPackingListOptions,
): Promise<PreparedList> {
  const job: ImportJob = {
    data: new Uint8Array(data),
    fileName,
    columns: { ...options.columns },
    now: options.now.toISOString(),
  };
  return runOffThread({
    entry: new URL('./import-worker.js', import.meta.url),
    job,
    answer: ImportAnswer,
    limits: IMPORT_LIMITS,
    tooSlow: `${fileName} took more than ${IMPORT_LIMITS.timeMs / 1000} s to read and was not imported; split it into smaller files.`,
    tooLarge: `${fileName} needs more than ${IMPORT_LIMITS.heapMb} MB of memory to read and was not imported; split it into smaller files.`,
    inPlace: async () => prepareList(await importPackingListBytes(data, fileName, options)),
  });
}
