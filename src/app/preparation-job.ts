// What the server's main thread and a preparation worker send each other (see preparation-off-thread.ts):
// one schema per message. Files cross as bytes; answers carry plain data or a typed error.
import { z } from 'zod';
import {
  AnalysisFilterSchema,
  AnalysisQuerySchema,
  ConditionPreviewSchema,
} from '../domain/analysis-query.js';
import { PreparationEditSchema } from '../domain/preparation-edits.js';
import type { Settings } from '../domain/settings.js';

const Bytes = z.object({ name: z.string(), data: z.instanceof(Uint8Array) });
const Identity = z.object({ station: z.string(), worker: z.string() });
export const ChangeSchema = PreparationEditSchema.shape.change;

export const WorkerInit = z.object({
  root: z.string(),
  // Settings are made by this process from config.ini and handed over in memory, not read from a file.
  settings: z.custom<Settings>((v) => typeof v === 'object' && v !== null),
  /** 0 running, 1 cancelled, 2 writing (too late to cancel); see preparation-off-thread.ts. */
  cancel: z.instanceof(SharedArrayBuffer),
});
export type WorkerInit = z.infer<typeof WorkerInit>;

export const WorkerRequest = z.discriminatedUnion('type', [
  z.object({ id: z.number(), type: z.literal('look'), file: Bytes }),
  z.object({
    id: z.number(),
    type: z.literal('prepare'),
    client: z.string(),
    orders: z.array(Bytes),
    stock: Bytes,
    sets: Bytes.nullable(),
    by: Identity,
  }),
  z.object({ id: z.number(), type: z.literal('load'), client: z.string(), session: z.string() }),
  z.object({ id: z.number(), type: z.literal('summary') }),
  z.object({ id: z.number(), type: z.literal('query'), query: AnalysisQuerySchema }),
  z.object({ id: z.number(), type: z.literal('detail'), order: z.string() }),
  z.object({ id: z.number(), type: z.literal('match'), filter: AnalysisFilterSchema }),
  z.object({ id: z.number(), type: z.literal('preview'), preview: ConditionPreviewSchema }),
  /** One change, or several (a bulk edit): each its own ledger record, each answered. */
  z.object({ id: z.number(), type: z.literal('edit'), changes: z.array(ChangeSchema), by: Identity }),
]);
export type WorkerRequest = z.infer<typeof WorkerRequest>;

export const ErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const WorkerMessage = z.union([
  z.object({ type: z.literal('progress'), id: z.number(), phase: z.string(), detail: z.string() }),
  z.object({ type: z.literal('answer'), id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('answer'), id: z.number(), ok: z.literal(false), error: ErrorShape }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;
