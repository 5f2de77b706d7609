// What a station shows (and which sound it plays) after each input. `kind` is stable and
// machine-readable; `message` is for the packer, readable at arm's length.
import { z } from 'zod';

export const OUTCOME_KINDS = [
  'order_opened',
  'item_ok',
  'order_complete',
  /** Completed with at least one unit confirmed by hand instead of scanned. */
  'order_complete_manual',
  'overscan',
  'wrong_item',
  'unknown_barcode',
  'order_not_found',
  'already_completed',
  'finish_current_first',
  'undone',
  'confirmed_manually',
  'force_completed',
  'skipped',
  'reopened',
  'ended',
  // Refusals of commands that do not fit the moment; nothing is recorded for them.
  'already_open',
  'no_open_order',
  'nothing_to_undo',
  'nothing_to_confirm',
  'force_not_allowed',
  'confirm_not_allowed',
  /** !MAP refused: not allowed, nothing unknown just scanned, or not a line of the open order. */
  'map_refused',
  /** !END with orders left: nothing is ended until it is sent again right away. */
  'end_needs_confirm',
  'not_completed',
  'invalid_command',
] as const;

export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export const OutcomeLineSchema = z.object({
  sku: z.string(),
  product_name: z.string(),
  packed: z.number().int(),
  required: z.number().int(),
});
export type OutcomeLine = z.infer<typeof OutcomeLineSchema>;

/** The engine's answer to one input; `kinds` widens it for the stations' own answers. */
export function scanOutcomeSchema<K extends readonly [string, ...string[]]>(kinds: K) {
  return z.object({
    kind: z.enum(kinds),
    /** Order number as printed in the list. */
    order: z.string().nullable(),
    /** SKU as spelled in the list (or the scanned code when it matches nothing). */
    sku: z.string().nullable(),
    /** Units of `sku` packed / required in the order, after this input. */
    packed: z.number().int().nullable(),
    required: z.number().int().nullable(),
    /** Units of the whole order packed / required, after this input. */
    order_packed: z.number().int().nullable(),
    order_required: z.number().int().nullable(),
    message: z.string(),
    /** The order's lines, when an order is opened, resumed or reopened. */
    lines: z.array(OutcomeLineSchema).optional(),
  });
}

export const ScanOutcomeSchema = scanOutcomeSchema(OUTCOME_KINDS);
export type ScanOutcome = z.infer<typeof ScanOutcomeSchema>;

/** An outcome as a station reports it: the engine's, or `lease_lost` / `duplicate` from the station itself. */
export const STATION_OUTCOME_KINDS = [...OUTCOME_KINDS, 'lease_lost', 'duplicate'] as const;
export const StationOutcomeSchema = scanOutcomeSchema(STATION_OUTCOME_KINDS);
export type StationOutcome = z.infer<typeof StationOutcomeSchema>;

export function outcome(
  kind: OutcomeKind,
  message: string,
  fields: Partial<Omit<ScanOutcome, 'kind' | 'message'>> = {},
): ScanOutcome {
  return {
    kind,
    order: null,
    sku: null,
    packed: null,
    required: null,
    order_packed: null,
    order_required: null,
    ...fields,
    message,
  };
}
