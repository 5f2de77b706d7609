// Builds a list's report off the thread that keeps leases alive and answers scans (off-thread.ts):
// replaying a long journal and writing a workbook of every order take seconds on a large list.
// Two jobs: the whole report of a list from its journal (a download), or the workbook of rows a
// station already has (when it ends a list).
import { z } from 'zod';
import { runOffThread, workerAnswer } from './off-thread.js';

export const REPORT_LIMITS = { heapMb: 1_024, timeMs: 120_000 };

const CompletedReportRowSchema = z.object({
  order_number: z.string(),
  courier: z.string(),
  status: z.enum([
    'Completed',
    'Completed (forced)',
    'Completed (confirmed by hand)',
    'In progress',
    'Skipped',
    'Not started',
  ]),
  items_packed: z.number(),
  items_required: z.number(),
  completed_at: z.string().nullable(),
  worker: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
});

export const ReportJob = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('list'),
    root: z.string(),
    ids: z.object({ client: z.string(), session: z.string(), list: z.string() }),
  }),
  z.object({ kind: z.literal('workbook'), rows: z.array(CompletedReportRowSchema) }),
]);
export type ReportJob = z.infer<typeof ReportJob>;

/** The workbook's bytes, and the summary JSON for a whole report. */
export interface BuiltReport {
  xlsx: Uint8Array;
  summary: string | null;
}

export const ReportAnswer = workerAnswer(
  z.object({ xlsx: z.instanceof(Uint8Array), summary: z.string().nullable() }),
);

export function buildReportOffThread(
  job: ReportJob,
  inPlace: () => Promise<BuiltReport>,
): Promise<BuiltReport> {
  const what = job.kind === 'list' ? `The report of list ${job.ids.list}` : 'The packing report';
  return runOffThread({
    entry: new URL('./report-worker.js', import.meta.url),
    job,
    answer: ReportAnswer,
    limits: REPORT_LIMITS,
    tooSlow: `${what} took more than ${REPORT_LIMITS.timeMs / 1000} s to build and was stopped.`,
    tooLarge: `${what} needs more than ${REPORT_LIMITS.heapMb} MB of memory to build and was stopped.`,
    inPlace,
  });
}
