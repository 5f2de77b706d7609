// What the main thread and the import worker send each other: one schema per message.
import { z } from 'zod';
import { RequiredColumnsSchema } from '../domain/client-config.js';
import { workerAnswer } from './off-thread.js';

export const ImportJob = z.object({
  data: z.instanceof(Uint8Array),
  fileName: z.string(),
  columns: RequiredColumnsSchema,
  now: z.string(),
});
export type ImportJob = z.infer<typeof ImportJob>;

export const ImportAnswer = workerAnswer(
  z.object({
    name: z.string(),
    json: z.string(),
    orders_total: z.number().int().nonnegative(),
    items_total: z.number().int().nonnegative(),
    warnings: z.array(z.string()),
  }),
);
