// The events of the scan engine: exactly what a station appends to a list's journal (DESIGN §5).
// Each is `{id, at, station, worker, type, data}`; the journal record holds the meta fields itself
// (with sequence, epoch and checksum) and the body `{type, data}` as its `event`, read back through
// ScanEventBodySchema. Order and SKU fields hold *keys* (normalizeOrderNumber / normalizeCode),
// `code` holds the raw scanned text for the audit trail.
import { z } from 'zod';

const orderKey = z.string().min(1);
const skuKey = z.string().min(1);
const count = z.number().int().positive();

export const EventMetaSchema = z.object({
  /** Made by the station before the first write attempt, so a retried append is recognisable. */
  id: z.string().min(1),
  /** ISO time from the station's clock; only used for reports, never to order events. */
  at: z.string().min(1),
  station: z.string(),
  worker: z.string(),
});

function event<T extends string, D extends z.ZodRawShape>(type: T, data: D) {
  return z.object({ type: z.literal(type), data: z.object(data) });
}

/** What an event is and what it touched, without who and when: the `event` of a journal record. */
export const ScanEventBodySchema = z.discriminatedUnion('type', [
  /** An order became the open one; `switched_from` is the open order it replaced (nothing packed there). */
  event('order_opened', { order: orderKey, switched_from: orderKey.nullable() }),
  event('item_scanned', { order: orderKey, sku: skuKey, code: z.string() }),
  /** A line confirmed by hand (label unreadable): counts like scans, marked manual. */
  event('item_confirmed', { order: orderKey, sku: skuKey, count, reason: z.string().optional() }),
  event('scan_undone', { order: orderKey, sku: skuKey, count }),
  event('overscan_refused', { order: orderKey, sku: skuKey, code: z.string() }),
  /** A known product (in the list or in the barcode mappings) that this order does not contain. */
  event('wrong_item', { order: orderKey, sku: skuKey, code: z.string() }),
  event('unknown_barcode', { order: orderKey, code: z.string() }),
  /** The packer mapped an unknown barcode to a line of the open order (the mapping file has it too). */
  event('barcode_mapped', { order: orderKey, code: z.string(), sku: skuKey }),
  /** Completed without every item scanned; `missing` is SKU key → units not scanned. */
  event('order_force_completed', { order: orderKey, missing: z.record(z.string(), count) }),
  event('order_skipped', { order: orderKey }),
  event('order_reopened', { order: orderKey, switched_from: orderKey.nullable() }),
  /** The sitting ended; `order` is the open order that was paused by it, if any. */
  event('list_ended', { order: orderKey.nullable() }),
  /** An ended list was opened again to pack more (audit: who, where, when is the event's meta). */
  event('list_reopened', { ended_at: z.string().nullable() }),
]);

export type ScanEventBody = z.infer<typeof ScanEventBodySchema>;
export type EventMeta = z.infer<typeof EventMetaSchema>;
export type ScanEvent = EventMeta & ScanEventBody;
export type ScanEventType = ScanEvent['type'];
export type ScanEventOf<T extends ScanEventType> = Extract<ScanEvent, { type: T }>;
