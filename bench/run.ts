// `npm run bench`: runs every benchmark suite and prints one table against DESIGN §9's budgets.
// Suites are listed here; each exports run(): Promise<BenchRow[]>. `npm run bench -- NAME` runs one.
import { printTable, type BenchRow } from './table.js';

const suites: Record<string, () => Promise<{ run: () => Promise<BenchRow[]> }>> = {
  mappings: () => import('./mappings.js'),
  packing: () => import('./packing.js'),
  leases: () => import('./leases.js'),
  'packing-station': () => import('./packing-station.js'),
  web: () => import('./web.js'),
  prepare: () => import('./prepare.js'),
  'prepare-edits': () => import('./prepare-edits.js'),
  'cli-startup': () => import('./cli-startup.js'),
  labels: () => import('./labels.js'),
};

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const [name, load] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await (await load()).run()));
}
printTable(rows);
