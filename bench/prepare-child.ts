// One preparation in a fresh process, so its peak RSS is its own: reads the sample files written by
// bench/prepare.ts, runs `prepare` end to end into a data root, and prints the timings as JSON.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadStationContext } from '../src/app/station-context.js';
import { prepareSession, readPrepareInputs } from '../src/app/prepare-session.js';
import { analyseFulfilment } from '../src/domain/fulfilment-analysis.js';
import { loadClientConfig } from '../src/store/profiles.js';

const [dir, root, mode] = process.argv.slice(2) as [string, string, string];
const ctx = await loadStationContext({ root }, 'bench');
// Given by path, as `packdesk prepare` gives them: read (and timed) inside the preparation.
const file = (name: string) => ({ name, path: path.join(dir, name) });
const files = { orders: [file('orders.csv')], stock: file('stock.csv'), sets: file('sets.csv') };
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let out: Record<string, unknown>;
if (mode === 'analysis') {
  const settings = (await loadClientConfig(ctx.layout, 'B')).value.preparation;
  const read = await readPrepareInputs(files, settings);
  const t1 = performance.now();
  const result = analyseFulfilment({
    orders: read.orders,
    stock: read.stock,
    sets: read.sets,
    settings,
    repeats: { orderKeys: new Set(), emails: new Set() },
    edits: [],
  });
  out = {
    read_ms: t1 - t0,
    analysis_ms: performance.now() - t1,
    fulfillable: result.counts.fulfillable,
    orders: result.counts.orders_total,
  };
} else {
  const r = await prepareSession(ctx, 'B', files, { station: 'bench', worker: 'bench' });
  out = {
    total_ms: performance.now() - t0,
    fulfillable: r.result.counts.fulfillable,
    orders: r.result.counts.orders_total,
    lists: r.result.lists.length,
  };
}
const usage = process.resourceUsage();
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ ...out, cpu_ms: (cpu.user + cpu.system) / 1000, max_rss_mb: usage.maxRSS / 1024 })}\n`,
);
await fs.rm(root, { recursive: true, force: true }).catch(() => {});
process.exit(0);
