// analysis/preparation.json: what a prepared session was made from, written once. With the inputs in
// input/ and the edit ledger it is everything needed to recompute the analysis exactly, on any PC and
// after the client's settings have changed since.
import { z } from 'zod';
import { AnalysisInputFileSchema } from './analysis-file.js';
import { PreparationSettingsSchema, SetDefinitionSchema } from './preparation-settings.js';

export const PreparedSessionRecordSchema = z.object({
  schema_version: z.literal(1),
  client: z.string(),
  session: z.string(),
  prepared_at: z.string(),
  by: z.object({ station: z.string(), worker: z.string() }),
  settings: PreparationSettingsSchema,
  /** The client's sets plus those of the sets file, as the analysis used them. */
  sets: z.array(SetDefinitionSchema),
  inputs: z.array(AnalysisInputFileSchema),
  /** What was packed before, as found when the session was prepared (order keys, e-mails). */
  repeats: z.object({
    window_days: z.number().int().nonnegative(),
    order_keys: z.array(z.string()),
    emails: z.array(z.string()),
  }),
});
export type PreparedSessionRecord = z.infer<typeof PreparedSessionRecordSchema>;
