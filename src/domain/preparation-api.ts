// Answers of the preparation API (docs/api.md, "Preparing sessions") that are not file formats: a
// file looked at before a run, a run's progress, an edit's outcome, the activity log. Schemas, so the
// server checks what it sends against them in tests and the browser shares one definition
// (re-exported by src/contract/).
import { z } from 'zod';

export const InputFileLookSchema = z.object({
  file: z.string(),
  size: z.number().int().nonnegative(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().optional(),
  delimiter: z.string().optional(),
  /** Data rows (the header row not counted). */
  rows: z.number().int().nonnegative(),
  headers: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type InputFileLook = z.infer<typeof InputFileLookSchema>;

export const PrepareFileKindSchema = z.enum(['orders', 'stock', 'sets']);

/** POST /api/clients/:client/prepare/files: the file as looked at, under the id a run names it by. */
export const StagedFileSchema = InputFileLookSchema.extend({
  upload: z.string(),
  kind: PrepareFileKindSchema,
});
export type StagedFile = z.infer<typeof StagedFileSchema>;

export const PrepareJobViewSchema = z.object({
  job: z.string(),
  client: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** upload, read, analyse, write, index, done */
  phase: z.string(),
  detail: z.string(),
  started_at: z.string(),
  session: z.string().nullable(),
  warnings: z.array(z.string()),
  /** The error body of a failed run (`problems: [{file, row, column, message}]` for refused input). */
  error: z.record(z.string(), z.unknown()).nullable(),
});
export type PrepareJobView = z.infer<typeof PrepareJobViewSchema>;

export const PrepareCancelSchema = z.object({
  outcome: z.enum(['cancelled', 'too_late', 'finished']),
  job: PrepareJobViewSchema,
});

export const EditOutcomeSchema = z.object({
  results: z.array(
    z.object({
      change: z.looseObject({ type: z.string() }),
      ok: z.boolean(),
      description: z.string().optional(),
      seq: z.number().int().optional(),
      error: z
        .object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) })
        .optional(),
    }),
  ),
  revision: z.number().int().nonnegative(),
});
export type EditOutcome = z.infer<typeof EditOutcomeSchema>;

export const ActivityViewSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  station: z.string(),
  worker: z.string(),
  description: z.string(),
  undone: z.boolean(),
});
export type ActivityView = z.infer<typeof ActivityViewSchema>;
