// `packdesk pack --json` prints one JSON line per answer (docs/packing-station.md): every outcome of a
// scan or command, and the terminal station's own lines (ready, not saved, lease lost, paused). One
// shape for all, so a script reading the lines needs one parser.
import { z } from 'zod';
import { STATION_OUTCOME_KINDS } from './station.js';

export const PACK_LINE_KINDS = [...STATION_OUTCOME_KINDS, 'station_ready', 'not_saved', 'paused'] as const;

export const PackLineSchema = z.object({
  kind: z.enum(PACK_LINE_KINDS),
  order: z.string().nullable(),
  sku: z.string().nullable(),
  /** Units of `sku` packed / required in the order; for `station_ready`, orders done / in the list. */
  packed: z.number().int().nullable(),
  required: z.number().int().nullable(),
  message: z.string(),
  /** Units of the whole order packed / required, on an outcome. */
  order_packed: z.number().int().nullable().optional(),
  order_required: z.number().int().nullable().optional(),
  /** The lease epoch the station packs in (`station_ready`). */
  epoch: z.number().int().optional(),
});
export type PackLine = z.infer<typeof PackLineSchema>;

/** One line, as printed: the fields a kind does not use are null. */
export function packLine(
  kind: PackLine['kind'],
  message: string,
  fields: Partial<Omit<PackLine, 'kind' | 'message'>> = {},
): string {
  const line: PackLine = { kind, order: null, sku: null, packed: null, required: null, message, ...fields };
  return JSON.stringify(line);
}
