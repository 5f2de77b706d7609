// Small packing lists and a scripted station for scan-engine tests: every input goes through
// decide → (journal) → apply, exactly as a real station does, and the journal is kept for replay.
import {
  buildPackingListIndex,
  type PackingList,
  type PackingListIndex,
} from '../../src/domain/packing-list.js';
import { parseStationInput } from '../../src/domain/scan-commands.js';
import type { ManualConfirmRule } from '../../src/domain/client-config.js';
import { apply, confirmsEnd, decide } from '../../src/domain/scan-engine.js';
import type { ScanEvent } from '../../src/domain/scan-events.js';
import type { OutcomeKind, ScanOutcome } from '../../src/domain/scan-outcomes.js';
import { createScanState, snapshotScanState, type ScanState } from '../../src/domain/scan-state.js';

export type OrderSpec = Record<string, Array<[sku: string, quantity: number, name?: string]>>;

export function makeList(orders: OrderSpec, name = 'test-list'): PackingList {
  return {
    format_version: 1,
    list_name: name,
    created_at: '2026-02-16T08:00:00.000Z',
    source: { format: 'packdesk-json', file: `${name}.json`, imported_at: '2026-02-16T08:00:00.000Z' },
    orders: Object.entries(orders).map(([order_number, items]) => ({
      order_number,
      courier: 'DHL',
      items: items.map(([sku, quantity, name]) => ({
        sku,
        quantity,
        product_name: name ?? `Product ${sku}`,
      })),
      metadata: {},
    })),
  };
}

export interface StationOptions {
  allowForceComplete?: boolean;
  manualConfirm?: ManualConfirmRule;
  skuLookup?: Map<string, string>;
  worker?: string;
  station?: string;
}

export class TestStation {
  readonly index: PackingListIndex;
  readonly state: ScanState;
  readonly journal: ScanEvent[] = [];
  private clock = Date.parse('2026-02-16T09:00:00.000Z');
  private n = 0;
  private lastKind: OutcomeKind | null = null;

  constructor(
    list: PackingList,
    public options: StationOptions = {},
  ) {
    this.index = buildPackingListIndex(list);
    this.state = createScanState(this.index);
  }

  send(line: string): ScanOutcome {
    const input = parseStationInput(line);
    if (!input) throw new Error('blank input');
    this.clock += 1500;
    const { event, outcome } = decide(this.state, input, {
      id: `ev-${++this.n}`,
      at: new Date(this.clock).toISOString(),
      worker: this.options.worker ?? 'ana',
      station: this.options.station ?? 'ST1',
      skuLookup: this.options.skuLookup ?? new Map(),
      allowForceComplete: this.options.allowForceComplete ?? false,
      manualConfirm: this.options.manualConfirm,
      endConfirmed: confirmsEnd(this.lastKind, input),
    });
    this.lastKind = outcome.kind;
    if (event) {
      this.journal.push(event);
      apply(this.state, event);
    }
    return outcome;
  }

  /** The state rebuilt from the journal alone. */
  replayed(): ScanState {
    const fresh = createScanState(this.index);
    for (const e of this.journal) apply(fresh, e);
    return fresh;
  }

  work(orderKey: string) {
    return this.state.orders.get(orderKey);
  }

  snapshot() {
    return snapshotScanState(this.state);
  }
}
