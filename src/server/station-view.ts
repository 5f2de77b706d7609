// What the API tells a browser about a packing station it drives: the lease, the open order with its
// lines, progress, and the last outcome. One shape for the GET, the scan answer and live events.
import type { ManualConfirmRule } from '../domain/client-config.js';
import type { OutcomeKind, ScanOutcome } from '../domain/scan-outcomes.js';

/** An engine outcome, or the station's own: the lease is gone, or the scan was already recorded. */
export type StationOutcomeView = Omit<ScanOutcome, 'kind'> & {
  kind: OutcomeKind | 'lease_lost' | 'duplicate';
};

export interface StationLine {
  sku: string;
  product_name: string;
  packed: number;
  required: number;
}

export interface StationState {
  station: string;
  worker: string;
  client: string;
  session: string;
  list: string;
  lease: { epoch: number; state: 'held' | 'lost' | 'released'; message: string | null };
  order: {
    number: string;
    lines: StationLine[];
    packed: number;
    required: number;
    courier: string;
    /** What the list carries about the order besides its items (notes, tags, country, box, repeat…), as text. */
    details: Array<{ label: string; value: string }>;
  } | null;
  progress: { orders_done: number; orders_total: number; items_done: number; items_total: number };
  /** With no order open: the first orders of the list not yet done, so the packer knows what to scan. */
  next_orders: Array<{ number: string; state: 'to_do' | 'paused' | 'skipped' }>;
  /** The client's rules, so the screen offers only the commands that are allowed. */
  rules: { allow_force_complete: boolean; manual_confirm: ManualConfirmRule; map_unknown_barcodes: boolean };
  last: StationOutcomeView | null;
}
