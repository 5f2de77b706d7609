// First-run demo data for `npm start`: a client DEMO with a few barcode mappings and a session with a
// small packing list, so a new user sees a working station at once. Runs only when the data folder
// has no clients at all.
import { createClient, listClients } from './clients.js';
import { createSession } from './sessions.js';
import { setMapping } from './sku-mappings.js';
import { PACKING_LIST_FORMAT_VERSION, type PackingList } from '../domain/packing-list.js';
import type { Settings } from '../domain/settings.js';
import type { Layout } from './station-context.js';

export interface SeedDeps {
  layout: Layout;
  settings: Settings;
  station: string;
}

export const DEMO_CLIENT = 'DEMO';
export const DEMO_MAPPINGS: Array<[barcode: string, sku: string]> = [
  ['4006381333931', 'MUG-RED'],
  ['4006381333948', 'MUG-BLUE'],
  ['5901234123457', 'TEA-GREEN'],
  ['5901234123464', 'TEA-BLACK'],
];

/**
 * What a newcomer scans for one demo order, shown above its lines at the station (the list's order
 * metadata, like any list's notes): its number, then each item's barcode, or its SKU typed.
 */
export function demoScanHint(n: number, items: Array<[string, string, number]>): string {
  const barcodeOf = (sku: string) => DEMO_MAPPINGS.find(([, s]) => s === sku)?.[0];
  const parts = items.map(([sku, , quantity]) => {
    const barcode = barcodeOf(sku);
    return `${quantity > 1 ? `${quantity} × ` : ''}${sku}${barcode ? ` (barcode ${barcode})` : ''}`;
  });
  return `order label ${n} (or type ${n} and Enter), then ${parts.join(', ')}: type a SKU and press Enter if you have no scanner`;
}

export function demoPackingList(now: Date): PackingList {
  const at = now.toISOString();
  const order = (n: number, items: Array<[string, string, number]>) => ({
    order_number: `#${n}`,
    courier: 'DHL',
    items: items.map(([sku, product_name, quantity]) => ({ sku, product_name, quantity })),
    metadata: { what_to_scan: demoScanHint(n, items) },
  });
  return {
    format_version: PACKING_LIST_FORMAT_VERSION,
    list_name: 'DHL',
    created_at: at,
    source: { format: 'packdesk-json', file: 'DHL.json', imported_at: at },
    orders: [
      order(1001, [
        ['MUG-RED', 'Mug, red', 1],
        ['TEA-GREEN', 'Green tea 100 g', 2],
      ]),
      order(1002, [['MUG-BLUE', 'Mug, blue', 1]]),
      order(1003, [
        ['TEA-BLACK', 'Black tea 100 g', 1],
        ['MUG-RED', 'Mug, red', 1],
      ]),
      order(1004, [['TEA-GREEN', 'Green tea 100 g', 3]]),
      order(1005, [
        ['MUG-BLUE', 'Mug, blue', 2],
        ['TEA-BLACK', 'Black tea 100 g', 1],
      ]),
    ],
  };
}

/** Seeds the demo when the folder is empty; returns what it created (nothing on later runs). */
export async function seedDemo(deps: SeedDeps): Promise<string[]> {
  const { clients } = await listClients(deps);
  if (clients.length > 0) return [];
  await createClient(deps, DEMO_CLIENT, 'Demo Shop');
  for (const [barcode, sku] of DEMO_MAPPINGS) await setMapping(deps, DEMO_CLIENT, barcode, sku);
  const list = Buffer.from(JSON.stringify(demoPackingList(new Date()), null, 2));
  const info = await createSession(deps, DEMO_CLIENT, [{ file: 'DHL.json', data: list }], {
    station: deps.station,
    worker: 'demo',
  });
  return [
    `client ${DEMO_CLIENT} with ${DEMO_MAPPINGS.length} barcode mappings`,
    `session ${info.session_id} with 5 orders`,
  ];
}
