// First-run demo data for `npm start`: a client DEMO with a few barcode mappings, so a new user sees
// a working station at once. Runs only when the data folder has no clients at all.
import { createClient, listClients } from '../app/clients.js';
import { setMapping } from '../app/sku-mappings.js';
import type { Settings } from '../domain/settings.js';
import type { Layout } from '../store/layout.js';

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

/** Seeds the demo when the folder is empty; returns what it created (nothing on later runs). */
export async function seedDemo(deps: SeedDeps): Promise<string[]> {
  const { clients } = await listClients(deps);
  if (clients.length > 0) return [];
  await createClient(deps, DEMO_CLIENT, 'Demo Shop');
  for (const [barcode, sku] of DEMO_MAPPINGS) await setMapping(deps, DEMO_CLIENT, barcode, sku);
  return [`client ${DEMO_CLIENT} with ${DEMO_MAPPINGS.length} barcode mappings`];
}
