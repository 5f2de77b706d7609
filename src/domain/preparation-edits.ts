// The ledger of a prepared session: every change a shift lead makes after the analysis (hold,
// release, remove an order, change a line's quantity, undo) is one immutable record. The analysis is
// always recomputed from the inputs plus this ledger, so final stock can never drift from what the
// orders say (the Python tool patched stock per edit and left it inconsistent).
import { z } from 'zod';

/** The most orders one bulk edit may name (a filter matching more is refused, to be narrowed). */
export const BULK_EDIT_MAX_ORDERS = 5_000;

// Bulk hold / release / tag are their own change types (not a list on `hold` / `release`): ledgers written
// before them read unchanged, and schema_version stays 1 because no existing record changes shape.
export const PreparationEditSchema = z.object({
  schema_version: z.literal(1),
  /** Position in the ledger, 1…; decided by an exclusive create of the record's file. */
  seq: z.number().int().positive(),
  at: z.string(),
  by: z.object({ station: z.string(), worker: z.string() }),
  change: z.discriminatedUnion('type', [
    z.object({ type: z.literal('hold'), order: z.string().min(1), reason: z.string().max(200).optional() }),
    z.object({ type: z.literal('release'), order: z.string().min(1) }),
    /** A bulk hold: one record, so one undo takes back every order of it. */
    z.object({
      type: z.literal('hold_many'),
      orders: z.array(z.string().min(1)).min(1).max(BULK_EDIT_MAX_ORDERS),
      reason: z.string().max(200).optional(),
    }),
    /** A bulk release; it names only the orders that stock covered when it was made. */
    z.object({
      type: z.literal('release_many'),
      orders: z.array(z.string().min(1)).min(1).max(BULK_EDIT_MAX_ORDERS),
    }),
    z.object({ type: z.literal('remove'), order: z.string().min(1) }),
    z.object({
      type: z.literal('set_quantity'),
      order: z.string().min(1),
      sku: z.string().min(1),
      /** 0 takes the line off the order. */
      quantity: z.number().int().min(0).max(100_000),
    }),
    /** A tag added to many orders (as if the export had it): shown with their tags, seen by rules and lists. */
    z.object({
      type: z.literal('tag_many'),
      orders: z.array(z.string().min(1)).min(1).max(BULK_EDIT_MAX_ORDERS),
      tag: z.string().min(1).max(100),
    }),
    /** Takes back the edit with that seq (and only that one). */
    z.object({ type: z.literal('undo'), undoes: z.number().int().positive() }),
  ]),
});
export type PreparationEdit = z.infer<typeof PreparationEditSchema>;
export type PreparationChange = PreparationEdit['change'];

/** The edits still in force, in ledger order: undone ones (and the undo records) dropped. */
export function effectiveEdits(edits: readonly PreparationEdit[]): PreparationEdit[] {
  const sorted = [...edits].sort((a, b) => a.seq - b.seq);
  const undone = new Set(sorted.flatMap((e) => (e.change.type === 'undo' ? [e.change.undoes] : [])));
  return sorted.filter((e) => e.change.type !== 'undo' && !undone.has(e.seq));
}

/** A line a person can read for the activity log. */
export function describeChange(change: PreparationChange): string {
  switch (change.type) {
    case 'hold':
      return `held order ${change.order}${change.reason ? ` (${change.reason})` : ''}`;
    case 'release':
      return `released order ${change.order}`;
    case 'hold_many':
      return `held ${ordersCount(change.orders.length)}${change.reason ? ` (${change.reason})` : ''}`;
    case 'release_many':
      return `released ${ordersCount(change.orders.length)}`;
    case 'tag_many':
      return `tagged ${ordersCount(change.orders.length)} "${change.tag}"`;
    case 'remove':
      return `removed order ${change.order}`;
    case 'set_quantity':
      return `set ${change.sku} on order ${change.order} to ${change.quantity}`;
    case 'undo':
      return `undid change ${change.undoes}`;
  }
}

function ordersCount(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'order' : 'orders'}`;
}

/** The orders a change is about: one for a single-order change, many for a bulk one, none for an undo. */
export function ordersOf(change: PreparationChange): string[] {
  if (change.type === 'undo') return [];
  if (change.type === 'hold_many' || change.type === 'release_many' || change.type === 'tag_many')
    return change.orders;
  return [change.order];
}
