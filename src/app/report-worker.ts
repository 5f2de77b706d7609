// Builds one report in a worker thread (see report-off-thread.ts).
import { workerData } from 'node:worker_threads';
import { completedWorkbook } from '../store/report-files.js';
import { Layout } from '../store/layout.js';
import { answerMainThread } from './off-thread.js';
import { ReportJob, type BuiltReport } from './report-off-thread.js';
import { reportContent } from './reports.js';

const job = ReportJob.parse(workerData);
await answerMainThread(async (): Promise<BuiltReport> =>
  job.kind === 'list'
    ? reportContent(new Layout(job.root), job.ids)
    : { xlsx: await completedWorkbook(job.rows), summary: null },
);
