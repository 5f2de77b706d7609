// Barcode-mapping changes per second at 100 / 1,000 / 10,000 mappings (DESIGN §9: ≥ 200/s at 10,000;
// the Python tool does 78/s), and config.json reads through the per-process cache vs from the share.
// Each change is the full path a long-running station process takes: lock, check the revision
// marker, apply, backup, durable atomic replace, release (one process, one change after another).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Layout } from '../src/store/layout.js';
import { configCache, createClientProfile, loadClientConfig } from '../src/store/profiles.js';
import { changeMappings } from '../src/store/sku-mappings.js';
import { percentile, type BenchRow } from './table.js';

const lock = { heartbeatMs: 5_000, staleMs: 30_000, waitMs: 60_000 };

async function changesPerSecond(layout: Layout, size: number): Promise<BenchRow> {
  const id = `B${size}`;
  await createClientProfile(layout, { clientId: id, clientName: `Bench ${size}`, station: 'BENCH' });
  const preload = Array.from({ length: size }, (_, i) => ({
    op: 'set' as const,
    barcode: `40063813${String(i).padStart(5, '0')}`,
    sku: `SKU-${i}`,
  }));
  await changeMappings(layout, id, preload, { station: 'BENCH', lock });
  const rounds = size >= 10_000 ? 200 : 400;
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    // Alternate adding and deleting one extra barcode, so the size stays at `size`.
    const change =
      i % 2 === 0
        ? { op: 'set' as const, barcode: 'BENCH-EXTRA', sku: `X${i}` }
        : { op: 'delete' as const, barcode: 'BENCH-EXTRA' };
    const t = performance.now();
    await changeMappings(layout, id, [change], { station: 'BENCH', lock });
    times.push(performance.now() - t);
  }
  const perSecond = rounds / ((performance.now() - started) / 1000);
  times.sort((a, b) => a - b);
  return {
    what: 'barcode-mapping change (set/delete, durable)',
    size: `${size.toLocaleString('en')} mappings`,
    figure: `${perSecond.toFixed(0)}/s (p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms)`,
    budget: size === 10_000 ? '≥ 200/s (Python tool: 78/s)' : '-',
    withinBudget: size === 10_000 ? perSecond >= 200 : null,
  };
}

async function configReads(layout: Layout): Promise<BenchRow[]> {
  await createClientProfile(layout, { clientId: 'CFG', clientName: 'Config bench', station: 'BENCH' });
  const rows: BenchRow[] = [];
  for (const mode of ['uncached', 'cached'] as const) {
    configCache.forget();
    const n = mode === 'cached' ? 20_000 : 2_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) await loadClientConfig(layout, 'CFG', { fresh: mode === 'uncached' });
    const micros = ((performance.now() - started) * 1000) / n;
    rows.push({
      what: `client config read, ${mode}`,
      size: `${n.toLocaleString('en')} reads`,
      figure: `${micros.toFixed(1)} µs/read`,
      budget: '-',
      withinBudget: null,
    });
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'packdesk-bench-mappings-'));
  try {
    const layout = new Layout(dir);
    for (const sub of ['CLIENTS', 'SESSIONS', 'STATS']) await mkdir(path.join(dir, sub));
    const rows: BenchRow[] = [];
    for (const size of [100, 1_000, 10_000]) rows.push(await changesPerSecond(layout, size));
    rows.push(...(await configReads(layout)));
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
