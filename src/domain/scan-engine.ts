// The scan engine (DESIGN §6): a pure state machine in two steps.
//
//   decide(state, input, context) → { event, outcome }   reads the state, never changes it
//   apply(state, event) → state                           the only thing that changes the state
//
// A station calls decide, makes the event durable in the journal (if there is one: refusals such as
// "order not found" change nothing and have none), then applies it and shows the outcome. Recovery
// is the same apply over the journal: a fresh (or snapshot-restored) state plus every event in order
// reproduces the live state exactly, because apply depends on nothing but the state and the event —
// no clock, no barcode mapping, no config. Those are decide's inputs and their effect is written into
// the event (e.g. the SKU a barcode mapped to at that moment).
//
// Contract for callers: apply MUTATES the state it is given and returns the same object (copying a
// 50,000-order state per scan would break the scan budget). Whoever owns a state applies events to it
// in journal order, once each. apply throws CorruptFileError for an event that cannot follow the state
// (a journal that does not belong to this list, or events out of order); it checks before changing
// anything, so a refused event leaves the state as it was.
//
// Cost: decide and apply do a few hash lookups on the open order only; nothing depends on the number
// of orders in the list or done.
import { CorruptFileError } from './errors.js';
import { normalizeCode, normalizeOrderNumber } from './normalize.js';
import type { IndexedOrder, IndexedSku } from './packing-list.js';
import type { ManualConfirmRule } from './client-config.js';
import {
  CONFIRM_REASONS,
  confirmReasonLabel,
  type ConfirmReason,
  type StationInput,
} from './scan-commands.js';
import type { EventMeta, ScanEvent, ScanEventOf } from './scan-events.js';
import { outcome, type OutcomeKind, type OutcomeLine, type ScanOutcome } from './scan-outcomes.js';
import { newOrderWork, REJECTED_CODES_KEPT, type OrderWork, type ScanState } from './scan-state.js';

export interface ScanContext extends EventMeta {
  /** normalizeCode(barcode) → SKU as mapped (e.g. sku-mapping's buildSkuLookup). May change between scans. */
  skuLookup: ReadonlyMap<string, string>;
  /** From the client's config (packing_rules.allow_force_complete). */
  allowForceComplete: boolean;
  /** From the client's config (packing_rules.manual_confirm); absent: the default, `one_unit`. */
  manualConfirm?: ManualConfirmRule;
  /**
   * True when this input follows right after an `end_needs_confirm` answer at the same station: the
   * second !END in a row ends a list with orders left. The station keeps that, not the journal.
   */
  endConfirmed?: boolean;
  /** Shows a journal time to the packer (local time with the day); absent: the time as recorded. */
  formatTime?: (iso: string) => string;
}

/** Whether the next input confirms an end the last answer asked about. */
export function confirmsEnd(previous: OutcomeKind | null, input: StationInput): boolean {
  return previous === 'end_needs_confirm' && input.kind === 'end';
}

export interface Decision {
  /** What to journal and then apply; null when nothing changes. */
  event: ScanEvent | null;
  outcome: ScanOutcome;
}

// ---------------------------------------------------------------------------------------------
// decide

/** Longest scanned text kept in events and messages: a pasted page must not bloat the journal. */
export const MAX_CODE_LENGTH = 200;

function clip(text: string): string {
  return text.length > MAX_CODE_LENGTH ? `${text.slice(0, MAX_CODE_LENGTH)}…` : text;
}

export function decide(state: ScanState, input: StationInput, ctx: ScanContext): Decision {
  switch (input.kind) {
    case 'scan':
      if (input.text.length > MAX_CODE_LENGTH) {
        return none(
          outcome(
            'unknown_barcode',
            `That scan is too long to be a barcode (${input.text.length} characters). Scan again.`,
            { sku: clip(input.text) },
          ),
        );
      }
      return state.current === null
        ? decideOrderScan(state, input.text, ctx)
        : decideScanInOrder(state, state.current, input.text, ctx);
    case 'undo':
      return decideUndo(state, ctx);
    case 'confirm':
      return decideConfirm(state, input.sku, input.count, input.reason, ctx);
    case 'force_complete':
      return decideForce(state, ctx);
    case 'skip':
      return decideSkip(state, ctx);
    case 'reopen':
      return decideReopen(state, input.order, ctx);
    case 'end':
      return decideEnd(state, ctx);
    case 'map':
      // Mapping writes the client's barcode mappings: the station does it (packing-station.ts), not the engine.
      return none(
        outcome('map_refused', 'Mapping a barcode needs a packing station that can save mappings.'),
      );
    case 'invalid_command':
      return none(outcome('invalid_command', input.reason));
  }
}

const meta = (ctx: ScanContext): EventMeta => ({
  id: ctx.id,
  at: ctx.at,
  station: ctx.station,
  worker: ctx.worker,
});
const none = (o: ScanOutcome): Decision => ({ event: null, outcome: o });

function orderOf(state: ScanState, key: string): IndexedOrder {
  return state.index.byKey.get(key)!;
}

function packedOf(work: OrderWork | undefined, sku: string): number {
  return work?.packed.get(sku) ?? 0;
}

function linesOf(order: IndexedOrder, work: OrderWork | undefined, reset = false): OutcomeLine[] {
  return [...order.skus.values()].map((s) => ({
    sku: s.sku,
    product_name: s.product_name,
    packed: reset ? 0 : packedOf(work, s.key),
    required: s.required,
  }));
}

function orderFields(order: IndexedOrder, orderPacked: number) {
  return { order: order.order.order_number, order_packed: orderPacked, order_required: order.requiredItems };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The SKU key a scanned code stands for: its mapping if it has one, else the code itself. */
function skuKeyFor(code: string, ctx: ScanContext): { key: string; mapped: string | null } {
  const codeKey = normalizeCode(code);
  const mapped = ctx.skuLookup.get(codeKey);
  return mapped === undefined ? { key: codeKey, mapped: null } : { key: normalizeCode(mapped), mapped };
}

function decideOrderScan(state: ScanState, text: string, ctx: ScanContext): Decision {
  const key = normalizeOrderNumber(text);
  const order = key === '' ? undefined : state.index.byKey.get(key);
  if (!order) {
    const sku = skuKeyFor(text, ctx);
    const looksLikeItem = sku.key !== '' && (sku.mapped !== null || state.index.skuKeys.has(sku.key));
    return none(
      outcome(
        'order_not_found',
        looksLikeItem
          ? `"${text}" is a product, not an order. Scan the order's barcode first.`
          : `Order "${text}" is not in this packing list. Check the order number.`,
        { sku: looksLikeItem ? text : null },
      ),
    );
  }
  return openOrder(state, order, null, ctx);
}

function openOrder(
  state: ScanState,
  order: IndexedOrder,
  switchedFrom: string | null,
  ctx: ScanContext,
): Decision {
  const work = state.orders.get(order.key);
  if (work?.status === 'completed') return none(alreadyCompleted(order, work, ctx));
  const packed = work?.packed_items ?? 0;
  const resumed = work !== undefined && work.opened_at !== null;
  const event: ScanEventOf<'order_opened'> = {
    ...meta(ctx),
    type: 'order_opened',
    data: { order: order.key, switched_from: switchedFrom },
  };
  const what = `${plural(order.requiredItems, 'item')} on ${plural(order.skus.size, 'line')}`;
  const message = resumed
    ? `Order ${order.order.order_number} resumed: ${packed} of ${plural(order.requiredItems, 'item')} packed.`
    : `Order ${order.order.order_number} open: ${what}.`;
  return {
    event,
    outcome: outcome('order_opened', message, { ...orderFields(order, packed), lines: linesOf(order, work) }),
  };
}

function alreadyCompleted(order: IndexedOrder, work: OrderWork, ctx: ScanContext): ScanOutcome {
  const by = work.completed_by ? ` by ${work.completed_by}` : '';
  const when = work.completed_at ? (ctx.formatTime ?? ((t: string) => t))(work.completed_at) : '?';
  return outcome(
    'already_completed',
    `Order ${order.order.order_number} is already completed (${when}${by}). To change it, reopen it: !REOPEN ${order.order.order_number}`,
    orderFields(order, work.packed_items),
  );
}

function decideScanInOrder(state: ScanState, current: string, text: string, ctx: ScanContext): Decision {
  const order = orderOf(state, current);
  const work = state.orders.get(current)!;
  const sku = skuKeyFor(text, ctx);
  const line = sku.key === '' ? undefined : order.skus.get(sku.key);
  if (line) {
    const packed = packedOf(work, line.key);
    if (packed >= line.required) {
      return {
        event: {
          ...meta(ctx),
          type: 'overscan_refused',
          data: { order: current, sku: line.key, code: text },
        },
        outcome: outcome(
          'overscan',
          `Too many: all ${line.required} of ${line.sku} are already packed. Take this one out of the box.`,
          { ...orderFields(order, work.packed_items), sku: line.sku, packed, required: line.required },
        ),
      };
    }
    const event: ScanEventOf<'item_scanned'> = {
      ...meta(ctx),
      type: 'item_scanned',
      data: { order: current, sku: line.key, code: text },
    };
    return { event, outcome: packedOutcome(order, work, line, 1, false) };
  }
  const otherKey = normalizeOrderNumber(text);
  const other = otherKey === '' ? undefined : state.index.byKey.get(otherKey);
  if (other) {
    if (other.key === current) {
      return none(
        outcome('already_open', `Order ${order.order.order_number} is already open: scan its items.`, {
          ...orderFields(order, work.packed_items),
          lines: linesOf(order, work),
        }),
      );
    }
    if (work.packed_items > 0) return none(finishFirst(order, work, other));
    return openOrder(state, other, current, ctx);
  }
  if (sku.key !== '' && (sku.mapped !== null || state.index.skuKeys.has(sku.key))) {
    const skuShown = sku.mapped ?? text;
    return {
      event: { ...meta(ctx), type: 'wrong_item', data: { order: current, sku: sku.key, code: text } },
      outcome: outcome(
        'wrong_item',
        `Wrong item: ${skuShown} is not in order ${order.order.order_number}. Take it out of the box.`,
        {
          ...orderFields(order, work.packed_items),
          sku: skuShown,
        },
      ),
    };
  }
  return {
    event: { ...meta(ctx), type: 'unknown_barcode', data: { order: current, code: text } },
    outcome: outcome(
      'unknown_barcode',
      `Unknown barcode "${text}": it is no product of this list. Check the item; a shift lead can map the barcode to a SKU.`,
      { ...orderFields(order, work.packed_items), sku: text },
    ),
  };
}

function finishFirst(order: IndexedOrder, work: OrderWork, other: IndexedOrder): ScanOutcome {
  return outcome(
    'finish_current_first',
    `Order ${order.order.order_number} is in progress (${work.packed_items} of ${order.requiredItems} packed). Finish it or !SKIP it before opening ${other.order.order_number}.`,
    orderFields(order, work.packed_items),
  );
}

function packedOutcome(
  order: IndexedOrder,
  work: OrderWork,
  line: IndexedSku,
  count: number,
  manual: boolean,
  reasonLabel = '',
): ScanOutcome {
  const packed = packedOf(work, line.key) + count;
  const orderPacked = work.packed_items + count;
  const fields = { ...orderFields(order, orderPacked), sku: line.sku, packed, required: line.required };
  if (orderPacked === order.requiredItems) {
    const byHand = work.stack.reduce((n, e) => n + (e.manual ? e.count : 0), manual ? count : 0);
    if (byHand > 0)
      return outcome(
        'order_complete_manual',
        `Order ${order.order.order_number} complete, ${plural(byHand, 'item')} of ${order.requiredItems} confirmed by hand (not scanned).`,
        fields,
      );
    return outcome(
      'order_complete',
      `Order ${order.order.order_number} complete: all ${plural(order.requiredItems, 'item')} packed.`,
      fields,
    );
  }
  const progress = `${line.sku} ${packed} of ${line.required}; order ${orderPacked} of ${order.requiredItems}.`;
  return manual
    ? outcome('confirmed_manually', `Confirmed by hand (${reasonLabel}): ${progress}`, fields)
    : outcome('item_ok', `OK ${line.product_name || line.sku}: ${progress}`, fields);
}

function noOpenOrder(what: string): Decision {
  return none(
    outcome('no_open_order', `No order is open, so there is nothing to ${what}. Scan an order first.`),
  );
}

function decideUndo(state: ScanState, ctx: ScanContext): Decision {
  if (state.current === null) return noOpenOrder('undo (to change a completed order: !REOPEN <order>)');
  const order = orderOf(state, state.current);
  const work = state.orders.get(state.current)!;
  const last = work.stack[work.stack.length - 1];
  if (!last)
    return none(
      outcome(
        'nothing_to_undo',
        `Nothing to undo in order ${order.order.order_number}.`,
        orderFields(order, 0),
      ),
    );
  const line = order.skus.get(last.sku)!;
  const packed = packedOf(work, last.sku) - last.count;
  return {
    event: {
      ...meta(ctx),
      type: 'scan_undone',
      data: { order: state.current, sku: last.sku, count: last.count },
    },
    outcome: outcome(
      'undone',
      `Undone: ${line.sku} is back to ${packed} of ${line.required}. Take ${plural(last.count, 'unit')} out of the box.`,
      {
        ...orderFields(order, work.packed_items - last.count),
        sku: line.sku,
        packed,
        required: line.required,
      },
    ),
  };
}

function decideConfirm(
  state: ScanState,
  skuText: string | null,
  count: number | null,
  reason: ConfirmReason | null,
  ctx: ScanContext,
): Decision {
  if (state.current === null) return noOpenOrder('confirm');
  const order = orderOf(state, state.current);
  const work = state.orders.get(state.current)!;
  const rule = ctx.manualConfirm ?? 'one_unit';
  if (rule === 'off') {
    return none(
      outcome(
        'confirm_not_allowed',
        `This client does not allow confirming items by hand: scan every item, skip the order, or ask a shift lead.`,
        orderFields(order, work.packed_items),
      ),
    );
  }
  let line: IndexedSku | undefined;
  if (skuText === null) {
    const missing = [...order.skus.values()].filter((s) => packedOf(work, s.key) < s.required);
    if (missing.length !== 1) {
      return none(
        outcome(
          'invalid_command',
          `Say which line to confirm: !CONFIRM <sku>. Still missing: ${missing.map((s) => s.sku).join(', ')}.`,
          orderFields(order, work.packed_items),
        ),
      );
    }
    line = missing[0];
  } else {
    const sku = skuKeyFor(skuText, ctx);
    line = order.skus.get(sku.key) ?? order.skus.get(normalizeCode(skuText));
    if (!line) {
      return none(
        outcome('wrong_item', `${skuText} is not in order ${order.order.order_number}; nothing confirmed.`, {
          ...orderFields(order, work.packed_items),
          sku: skuText,
        }),
      );
    }
  }
  line = line!;
  const lineFields = {
    ...orderFields(order, work.packed_items),
    sku: line.sku,
    packed: packedOf(work, line.key),
    required: line.required,
  };
  const remaining = line.required - packedOf(work, line.key);
  if (remaining === 0 || (count !== null && count > remaining)) {
    return none(
      outcome(
        'nothing_to_confirm',
        remaining === 0
          ? `All ${line.required} of ${line.sku} are already packed.`
          : `Only ${remaining} of ${line.sku} are still missing; confirm at most ${remaining}.`,
        lineFields,
      ),
    );
  }
  if (rule === 'one_unit' && count !== null && count > 1) {
    return none(
      outcome(
        'confirm_not_allowed',
        `This client allows confirming one unit at a time: confirm ${line.sku} once per unit, or scan it.`,
        lineFields,
      ),
    );
  }
  if (reason === null) {
    return none(
      outcome(
        'invalid_command',
        `Say why ${line.sku} is confirmed by hand: ${CONFIRM_REASONS.map((r) => `${r.code} (${r.label})`).join(', ')}.`,
        lineFields,
      ),
    );
  }
  const n = count ?? (rule === 'one_unit' ? 1 : remaining);
  return {
    event: {
      ...meta(ctx),
      type: 'item_confirmed',
      data: { order: state.current, sku: line.key, count: n, reason },
    },
    outcome: packedOutcome(order, work, line, n, true, confirmReasonLabel(reason)),
  };
}

function decideForce(state: ScanState, ctx: ScanContext): Decision {
  if (state.current === null) return noOpenOrder('complete');
  const order = orderOf(state, state.current);
  const work = state.orders.get(state.current)!;
  if (!ctx.allowForceComplete) {
    return none(
      outcome(
        'force_not_allowed',
        `This client does not allow completing an order without scanning every item. Scan the rest, !SKIP the order, or ask a shift lead.`,
        orderFields(order, work.packed_items),
      ),
    );
  }
  const missing: Record<string, number> = {};
  for (const s of order.skus.values()) {
    const left = s.required - packedOf(work, s.key);
    if (left > 0) missing[s.key] = left;
  }
  const notScanned = order.requiredItems - work.packed_items;
  return {
    event: { ...meta(ctx), type: 'order_force_completed', data: { order: state.current, missing } },
    outcome: outcome(
      'force_completed',
      `Order ${order.order.order_number} marked complete with ${plural(notScanned, 'item')} not scanned.`,
      orderFields(order, work.packed_items),
    ),
  };
}

function decideSkip(state: ScanState, ctx: ScanContext): Decision {
  if (state.current === null) return noOpenOrder('skip');
  const order = orderOf(state, state.current);
  const work = state.orders.get(state.current)!;
  return {
    event: { ...meta(ctx), type: 'order_skipped', data: { order: state.current } },
    outcome: outcome(
      'skipped',
      `Order ${order.order.order_number} parked (${work.packed_items} of ${order.requiredItems} packed). Scan it again to resume.`,
      orderFields(order, work.packed_items),
    ),
  };
}

function decideReopen(state: ScanState, orderText: string, ctx: ScanContext): Decision {
  const key = normalizeOrderNumber(orderText);
  const order = key === '' ? undefined : state.index.byKey.get(key);
  if (!order)
    return none(
      outcome('order_not_found', `Order "${orderText}" is not in this packing list; nothing reopened.`),
    );
  const work = state.orders.get(order.key);
  if (state.current === order.key)
    return none(
      outcome(
        'already_open',
        `Order ${order.order.order_number} is already open.`,
        orderFields(order, work?.packed_items ?? 0),
      ),
    );
  if (work?.status !== 'completed') {
    return none(
      outcome(
        'not_completed',
        `Order ${order.order.order_number} is not completed, so there is nothing to reopen: scan it to open it.`,
        orderFields(order, work?.packed_items ?? 0),
      ),
    );
  }
  if (state.current !== null) {
    const cur = state.orders.get(state.current)!;
    if (cur.packed_items > 0) return none(finishFirst(orderOf(state, state.current), cur, order));
  }
  return {
    event: { ...meta(ctx), type: 'order_reopened', data: { order: order.key, switched_from: state.current } },
    outcome: outcome(
      'reopened',
      `Order ${order.order.order_number} reopened by ${ctx.worker}: scan all its items again.`,
      {
        ...orderFields(order, 0),
        lines: linesOf(order, work, true),
      },
    ),
  };
}

function decideEnd(state: ScanState, ctx: ScanContext): Decision {
  const total = state.index.totalOrders;
  const left = total - state.completed_orders;
  if (left > 0 && ctx.endConfirmed !== true) {
    return none(
      outcome(
        'end_needs_confirm',
        `${plural(left, 'order')} of ${total} not done yet. End the list anyway? Press End again (F8 or !END) right away to end it; any other scan keeps packing.`,
        { order_packed: state.completed_orders, order_required: total },
      ),
    );
  }
  const paused =
    state.current === null ? '' : ` Order ${orderOf(state, state.current).order.order_number} is paused.`;
  return {
    event: { ...meta(ctx), type: 'list_ended', data: { order: state.current } },
    outcome: outcome(
      'ended',
      `Packing ended: ${state.completed_orders} of ${plural(total, 'order')} complete.${paused}`,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// apply

function bad(event: ScanEvent, why: string): CorruptFileError {
  return new CorruptFileError(
    `Journal event ${event.id} (${event.type}) does not fit the packing state: ${why}.`,
    {
      event: event.id,
      type: event.type,
    },
  );
}

function requireOpen(state: ScanState, event: ScanEvent, key: string): OrderWork {
  if (state.current !== key) throw bad(event, `order "${key}" is not the open order`);
  return state.orders.get(key)!;
}

function requireLine(state: ScanState, event: ScanEvent, orderKey: string, sku: string): IndexedSku {
  const line = state.index.byKey.get(orderKey)?.skus.get(sku);
  if (!line) throw bad(event, `SKU "${sku}" is not in order "${orderKey}"`);
  return line;
}

function touch(work: OrderWork, worker: string): void {
  if (!work.workers.includes(worker)) work.workers.push(worker);
}

function elapsedMs(from: string, to: string): number {
  const ms = Date.parse(to) - Date.parse(from);
  // Stations' clocks drift and jump: a negative or unreadable stretch counts as nothing.
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function closeStretch(work: OrderWork, at: string): void {
  if (work.open_since !== null) work.active_ms += elapsedMs(work.open_since, at);
  work.open_since = null;
}

function startStretch(state: ScanState, work: OrderWork, event: ScanEvent): void {
  work.status = 'open';
  work.opened_at ??= event.at;
  work.open_since = event.at;
  touch(work, event.worker);
  state.current = work.key;
}

function pauseSwitched(state: ScanState, event: ScanEvent, from: string | null): void {
  if (from === null) return;
  const prev = requireOpen(state, event, from);
  if (prev.packed_items > 0)
    throw bad(event, `order "${from}" had items packed and cannot be switched away from`);
  prev.status = 'paused';
  closeStretch(prev, event.at);
  state.current = null;
}

function addPacked(
  state: ScanState,
  event: ScanEvent,
  work: OrderWork,
  line: IndexedSku,
  count: number,
  manual: boolean,
): void {
  const packed = packedOf(work, line.key);
  if (packed + count > line.required)
    throw bad(event, `it would pack ${packed + count} of ${line.required} "${line.key}"`);
  work.packed.set(line.key, packed + count);
  work.packed_items += count;
  state.packed_items += count;
  work.stack.push({ sku: line.key, count, manual, event: event.id });
  work.first_scan_at ??= event.at;
  touch(work, event.worker);
  if (work.packed_items === state.index.byKey.get(work.key)!.requiredItems)
    complete(state, work, event, false);
}

function complete(state: ScanState, work: OrderWork, event: ScanEvent, forced: boolean): void {
  work.status = 'completed';
  work.manual = !forced && work.stack.some((e) => e.manual);
  // Undo only acts on the open order and reopening starts over, so a completed order's undo stack
  // is dead weight (45,000 of them in a big list); the journal keeps every action.
  work.stack = [];
  work.completed_at = event.at;
  work.completed_by = event.worker;
  work.forced = forced;
  closeStretch(work, event.at);
  state.completed_orders++;
  state.current = null;
}

function reject(work: OrderWork, code: string): void {
  work.rejected_codes.push(code);
  if (work.rejected_codes.length > REJECTED_CODES_KEPT) work.rejected_codes.shift();
}

/** Applies one event (see the contract at the top of this file). Mutates and returns `state`. */
export function apply(state: ScanState, event: ScanEvent): ScanState {
  switch (event.type) {
    case 'order_opened': {
      const { order, switched_from } = event.data;
      if (!state.index.byKey.has(order)) throw bad(event, `order "${order}" is not in the list`);
      if (state.current !== switched_from)
        throw bad(event, `the open order is "${state.current}", not "${switched_from}"`);
      const existing = state.orders.get(order);
      if (existing?.status === 'completed') throw bad(event, `order "${order}" is completed`);
      pauseSwitched(state, event, switched_from);
      let work = existing;
      if (!work) state.orders.set(order, (work = newOrderWork(order)));
      startStretch(state, work, event);
      break;
    }
    case 'item_scanned':
    case 'item_confirmed': {
      const work = requireOpen(state, event, event.data.order);
      const line = requireLine(state, event, event.data.order, event.data.sku);
      const manual = event.type === 'item_confirmed';
      addPacked(state, event, work, line, manual ? event.data.count : 1, manual);
      if (manual) work.manual_confirms++;
      else work.scans++;
      break;
    }
    case 'scan_undone': {
      const work = requireOpen(state, event, event.data.order);
      const last = work.stack[work.stack.length - 1];
      if (!last || last.sku !== event.data.sku || last.count !== event.data.count)
        throw bad(event, 'it does not match the last packing action');
      work.stack.pop();
      work.packed.set(last.sku, packedOf(work, last.sku) - last.count);
      work.packed_items -= last.count;
      state.packed_items -= last.count;
      work.corrections++;
      touch(work, event.worker);
      break;
    }
    case 'overscan_refused': {
      const work = requireOpen(state, event, event.data.order);
      requireLine(state, event, event.data.order, event.data.sku);
      work.overscans++;
      touch(work, event.worker);
      break;
    }
    case 'wrong_item':
    case 'unknown_barcode': {
      const work = requireOpen(state, event, event.data.order);
      if (event.type === 'wrong_item') work.wrong_items++;
      else work.unknowns++;
      reject(work, event.data.code);
      touch(work, event.worker);
      break;
    }
    case 'barcode_mapped': {
      const work = requireOpen(state, event, event.data.order);
      requireLine(state, event, event.data.order, event.data.sku);
      touch(work, event.worker);
      break;
    }
    case 'order_force_completed': {
      const work = requireOpen(state, event, event.data.order);
      touch(work, event.worker);
      complete(state, work, event, true);
      break;
    }
    case 'order_skipped': {
      const work = requireOpen(state, event, event.data.order);
      work.status = 'skipped';
      work.skips++;
      closeStretch(work, event.at);
      touch(work, event.worker);
      state.current = null;
      break;
    }
    case 'order_reopened': {
      const { order, switched_from } = event.data;
      const work = state.orders.get(order);
      if (work?.status !== 'completed') throw bad(event, `order "${order}" is not completed`);
      if (state.current !== switched_from)
        throw bad(event, `the open order is "${state.current}", not "${switched_from}"`);
      pauseSwitched(state, event, switched_from);
      work.reopenings.push({
        at: event.at,
        worker: event.worker,
        station: event.station,
        previous_completed_at: work.completed_at,
      });
      state.completed_orders--;
      state.packed_items -= work.packed_items;
      work.packed.clear();
      work.packed_items = 0;
      work.stack = [];
      work.completed_at = null;
      work.completed_by = null;
      work.forced = false;
      work.manual = false;
      startStretch(state, work, event);
      break;
    }
    case 'list_ended': {
      if (state.current !== event.data.order)
        throw bad(event, `the open order is "${state.current}", not "${event.data.order}"`);
      if (state.current !== null) {
        const work = state.orders.get(state.current)!;
        work.status = 'paused';
        closeStretch(work, event.at);
        state.current = null;
      }
      state.ended_at = event.at;
      break;
    }
    case 'list_reopened': {
      if (state.ended_at === null) throw bad(event, 'the list was not ended');
      state.ended_at = null;
      break;
    }
  }
  state.events_applied++;
  state.last_event_id = event.id;
  state.last_event_at = event.at;
  return state;
}
