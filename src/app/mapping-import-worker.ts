// Runs one mapping-file import in a worker thread (see mapping-import-off-thread.ts).
import { workerData } from 'node:worker_threads';
import { MappingImportJob, runMappingImport } from './mapping-import-off-thread.js';
import { answerMainThread } from './off-thread.js';

const job = MappingImportJob.parse(workerData);
await answerMainThread(() => runMappingImport(job));
