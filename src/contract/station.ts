// What the API tells a browser about a packing station it drives: the lease, the open order with its
// lines, progress, and the last outcome. One shape for the GET, the open and scan answers and the
// live `station` event.
import { z } from 'zod';
import { ManualConfirmRule } from '../domain/client-config.js';
import { STATION_OUTCOME_KINDS, StationOutcomeSchema } from '../domain/scan-outcomes.js';

export { STATION_OUTCOME_KINDS };
/** An engine outcome, or the station's own: the lease is gone, or the scan was already recorded. */
export const StationOutcomeViewSchema = StationOutcomeSchema;
export type StationOutcomeView = z.infer<typeof StationOutcomeViewSchema>;

export const StationLineSchema = z.object({
  sku: z.string(),
  product_name: z.string(),
  packed: z.number().int().nonnegative(),
  required: z.number().int().nonnegative(),
});
export type StationLine = z.infer<typeof StationLineSchema>;

export const StationLeaseSchema = z.object({
  epoch: z.number().int(),
  state: z.enum(['held', 'lost', 'released']),
  message: z.string().nullable(),
});

export const StationStateSchema = z.object({
  station: z.string(),
  worker: z.string(),
  client: z.string(),
  session: z.string(),
  list: z.string(),
  lease: StationLeaseSchema,
  order: z
    .object({
      number: z.string(),
      lines: z.array(StationLineSchema),
      packed: z.number().int().nonnegative(),
      required: z.number().int().nonnegative(),
      courier: z.string(),
      /** What the list carries about the order besides its items (notes, tags, country, box, repeat…), as text. */
      details: z.array(z.object({ label: z.string(), value: z.string() })),
    })
    .nullable(),
  progress: z.object({
    orders_done: z.number().int().nonnegative(),
    orders_total: z.number().int().nonnegative(),
    items_done: z.number().int().nonnegative(),
    items_total: z.number().int().nonnegative(),
  }),
  /** With no order open: the first orders of the list not yet done, so the packer knows what to scan. */
  next_orders: z.array(z.object({ number: z.string(), state: z.enum(['to_do', 'paused', 'skipped']) })),
  /** The client's rules, so the screen offers only the commands that are allowed. */
  rules: z.object({
    allow_force_complete: z.boolean(),
    manual_confirm: ManualConfirmRule,
    map_unknown_barcodes: z.boolean(),
  }),
  last: StationOutcomeViewSchema.nullable(),
});
export type StationState = z.infer<typeof StationStateSchema>;

/** POST /api/stations/:station/scan: the outcome (null for a blank line) once it is durable, and the state after it. */
export const ScanAnswerSchema = z.object({
  outcome: StationOutcomeViewSchema.nullable(),
  state: StationStateSchema,
});
export type ScanAnswer = z.infer<typeof ScanAnswerSchema>;

export const StationListSchema = z.object({ stations: z.array(StationStateSchema) });
export const StationClosedSchema = z.object({ station: z.string(), closed: z.literal(true) });
