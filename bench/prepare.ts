// `npm run bench -- prepare`: Shopify export + stock + sets → a prepared session, end to end (read,
// analyse, write lists, analysis.json/.xlsx and write-off export to a local data root), and the
// analysis alone, at 1k / 10k / 50k / 200k orders. Each run is a fresh process so its peak RSS is
// its own; the wall time is the median of several runs for the small sizes.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '../src/app/clients.js';
import { changeClientSettings } from '../src/app/client-settings.js';
import { initialiseDataFolder } from '../src/app/setup.js';
import { loadStationContext } from '../src/app/station-context.js';
import { defaultPreparationSettings, PreparationSettingsSchema } from '../src/domain/preparation-settings.js';
import { SAMPLE_RULES, shopifySample } from './shopify-sample.js';
import type { BenchRow } from './table.js';

const execFileAsync = promisify(execFile);
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'prepare-child.js');
// PREPARE_SIZES=50000 (comma-separated) runs only those sizes, for a quick look while tuning.
const SIZES = process.env.PREPARE_SIZES
  ? process.env.PREPARE_SIZES.split(',').map(Number)
  : [1_000, 10_000, 50_000, 200_000];

async function once(dir: string, root: string, mode: 'full' | 'analysis'): Promise<Record<string, number>> {
  const { stdout } = await execFileAsync(process.execPath, [child, dir, root, mode], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'packdesk-bench-prepare-'));
  const full: Record<number, number> = {};
  try {
    for (const n of SIZES) {
      const dir = path.join(base, `n${n}`);
      await fs.mkdir(dir);
      const sample = shopifySample({ orders: n });
      await fs.writeFile(path.join(dir, 'orders.csv'), sample.ordersCsv);
      await fs.writeFile(path.join(dir, 'stock.csv'), sample.stockCsv);
      await fs.writeFile(path.join(dir, 'sets.csv'), sample.setsCsv);
      const template = path.join(base, `root${n}`);
      const ctx = await loadStationContext({ root: template }, 'bench');
      await initialiseDataFolder(ctx.layout, ctx.settings);
      await createClient(ctx, 'B', 'Bench');
      await changeClientSettings({ ...ctx, station: 'bench' }, 'B', {
        preparation: PreparationSettingsSchema.parse({
          ...defaultPreparationSettings(),
          rules: SAMPLE_RULES,
        }),
      });
      // 200,000 orders three times too: its peak memory moves with when V8's full collections come.
      const repeats = n <= 10_000 ? 5 : 3;
      const totals: number[] = [];
      const cpus: number[] = [];
      const rss: number[] = [];
      const loads: number[] = [];
      let last: Record<string, number> = {};
      for (let i = 0; i < repeats; i++) {
        const root = path.join(base, `r${n}-${i}`);
        await fs.cp(template, root, { recursive: true });
        loads.push(os.loadavg()[0]!);
        last = await once(dir, root, 'full');
        totals.push(last.total_ms!);
        cpus.push(last.cpu_ms!);
        rss.push(last.max_rss_mb!);
      }
      full[n] = median(totals);
      const a = await once(dir, template, 'analysis');
      const size = `${n.toLocaleString('en')} orders, ${sample.lines.toLocaleString('en')} lines, ${sample.catalogue.toLocaleString('en')} SKUs, ${Math.round((100 * last.fulfillable!) / last.orders!)} % fulfillable`;
      rows.push({
        what: 'prepare: export + stock → session (end to end)',
        size: `${size}; median of ${repeats}`,
        // On a shared machine the wall time follows the load; CPU time (all threads) shows the work.
        figure: `${(full[n] / 1000).toFixed(2)} s (CPU ${(median(cpus) / 1000).toFixed(2)} s), peak RSS ${Math.round(median(rss))} MB (highest ${Math.round(Math.max(...rss))}); load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
        budget:
          n === 50_000
            ? '≤ 2 s (Python 815 s)'
            : n === 200_000
              ? `≤ 4.5 × 50k, ≤ 400 MB`
              : n === 10_000
                ? '(Python 59.5 s)'
                : '-',
        withinBudget:
          n === 50_000
            ? full[n] <= 2000
            : n === 200_000
              ? full[n] <= 4.5 * full[50_000]! && Math.max(...rss) <= 400
              : null,
      });
      rows.push({
        what: 'prepare: analysis alone (after reading)',
        size,
        figure: `${a.analysis_ms!.toFixed(0)} ms (reading the files: ${a.read_ms!.toFixed(0)} ms)`,
        budget: '-',
        withinBudget: null,
      });
      await fs.rm(dir, { recursive: true, force: true });
    }
    if (full[200_000] !== undefined && full[50_000] !== undefined)
      rows.push({
        what: 'prepare: 200k / 50k wall time',
        size: '200,000 vs 50,000 orders',
        figure: `${(full[200_000]! / full[50_000]!).toFixed(2)} ×`,
        budget: '≤ 4.5 × (linear)',
        withinBudget: full[200_000]! / full[50_000]! <= 4.5,
      });
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
  return rows;
}
