// Runs one packing-list import in a worker thread (see import-off-thread.ts): parsing a large
// workbook or CSV takes seconds and memory that must not be taken from the thread that keeps leases
// alive and answers scans.
import { parentPort, workerData } from 'node:worker_threads';
import { importPackingListBytes } from './import-packing-list.js';
import { ImportJob } from './import-job.js';
import { prepareList } from './sessions.js';
import { errorShape } from './worker-errors.js';

const job = ImportJob.parse(workerData);
try {
  const imported = await importPackingListBytes(Buffer.from(job.data), job.fileName, {
    columns: job.columns,
    now: new Date(job.now),
  });
  // One string and two numbers cross back: cloning 150,000 order lines would cost the main thread a second.
  parentPort!.postMessage({ ok: true, prepared: prepareList(imported) });
} catch (err) {
  parentPort!.postMessage({
    ok: false,
    error: errorShape(err),
  });
}
