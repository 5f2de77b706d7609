// Order labels to PDF (DESIGN §9: 1,000 labels ≤ 1 s; issue budget for 10,000: shown, no budget).
// Each figure is the whole use case a shift lead runs: read the list and the client config, record
// the numbering, draw every label, write the PDF under the session's barcodes/ folder (local disk).
// "first in process" is a print in a process that has not printed before (fonts parsed, code not yet
// optimised by the JIT), which is what `packdesk labels` does; "warm" is the median of later prints
// in the same process (the web server); "whole command" is `packdesk labels` as a process, with
// Node's start-up, measured beside `packdesk client list` and `node -e 0`.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { printOrderLabels } from '../src/app/labels.js';
import { createSession } from '../src/app/sessions.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings.js';
import { initDataRoot } from '../src/store/data-root.js';
import { Layout } from '../src/store/layout.js';
import { createClientProfile } from '../src/store/profiles.js';
import { percentile, type BenchRow } from './table.js';

const exec = promisify(execFile);
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/packdesk.js');

function benchList(orders: number): unknown {
  const at = '2026-12-02T08:00:00.000Z';
  const couriers = ['DHL Express Worldwide', 'Speedy - to office', 'PostOne'];
  return {
    format_version: 1,
    list_name: 'BENCH',
    created_at: at,
    source: { format: 'packdesk-json', file: 'BENCH.json', imported_at: at },
    orders: Array.from({ length: orders }, (_, i) => ({
      order_number: `#${100001 + i}`,
      courier: couriers[i % 3],
      items: Array.from({ length: 1 + (i % 3) }, (_, j) => ({
        sku: `CR-${(i + j) % 500}`,
        product_name: 'Крем для лица 50 ml',
        quantity: 1 + (j % 2),
      })),
      metadata: {
        sequence: i + 1,
        country: i % 2 ? 'BG' : 'DE',
        tags: i % 4 === 0 ? ['VIP', 'Приоритет', 'Call before delivery'] : ['Repeat'],
        created_at: '2026-02-16 09:12:03 +0200',
      },
    })),
  };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function median(times: number[]): { p50: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), max: sorted[sorted.length - 1]! };
}

async function commandMs(args: string[], rounds: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await exec(process.execPath, args);
    times.push(performance.now() - t);
  }
  return median(times).p50;
}

export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'packdesk-bench-labels-'));
  const layout = new Layout(path.join(dir, 'data'));
  const deps = { layout, settings: DEFAULT_SETTINGS };
  const rows: BenchRow[] = [];
  try {
    await initDataRoot(layout, 10_000);
    await writeFile(path.join(dir, 'config.ini'), '[Network]\nConnectionTimeout = 10\n');
    await createClientProfile(layout, { clientId: 'BENCH', clientName: 'М Косметика', station: 'BENCH' });
    for (const orders of [1_000, 10_000]) {
      const file = path.join(dir, `BENCH-${orders}.json`);
      await writeFile(file, JSON.stringify(benchList(orders)));
      const session = (await createSession(deps, 'BENCH', [{ file }], { station: 'BENCH', worker: 'bench' }))
        .session_id;
      const req = { client: 'BENCH', session };
      // CPU time beside wall time: on a shared machine the gap is the time other processes had the cores.
      let t = performance.now();
      let cpu = process.cpuUsage();
      const first = await printOrderLabels(deps, req);
      const firstMs = performance.now() - t;
      const firstCpu = cpuMs(process.cpuUsage(cpu));
      const warm: number[] = [];
      const warmCpu: number[] = [];
      for (let i = 0; i < (orders >= 10_000 ? 3 : 7); i++) {
        t = performance.now();
        cpu = process.cpuUsage();
        await printOrderLabels(deps, req);
        warm.push(performance.now() - t);
        warmCpu.push(cpuMs(process.cpuUsage(cpu)));
      }
      const w = median(warm);
      const size = `${orders.toLocaleString('en')} labels, ${(first.pdf.length / 1e6).toFixed(1)} MB PDF`;
      rows.push({
        what: 'order labels to PDF, first print in a process',
        size,
        figure: `${firstMs.toFixed(0)} ms (CPU ${firstCpu.toFixed(0)} ms)`,
        budget: orders === 1_000 ? '≤ 1 s' : '-',
        withinBudget: orders === 1_000 ? firstMs <= 1_000 : null,
      });
      rows.push({
        what: 'order labels to PDF, warm (median, max)',
        size: `${size}, ${warm.length} prints`,
        figure: `${w.p50.toFixed(0)} ms (max ${w.max.toFixed(0)} ms, CPU ${median(warmCpu).p50.toFixed(0)} ms, ${((orders / w.p50) * 1000).toFixed(0)} labels/s)`,
        budget: orders === 1_000 ? '≤ 1 s' : '-',
        withinBudget: orders === 1_000 ? w.p50 <= 1_000 : null,
      });
      if (orders === 1_000) {
        const node = await commandMs(['-e', '0'], 3);
        // Any command's own start-up and exit, to tell them from the labels' share.
        const list = await commandMs(
          [CLI, 'client', 'list', '--root', layout.root, '--config', path.join(dir, 'config.ini')],
          3,
        );
        const whole = await commandMs(
          [CLI, 'labels', 'BENCH', session, '--root', layout.root, '--config', path.join(dir, 'config.ini')],
          3,
        );
        rows.push({
          what: '`packdesk labels` whole command (median of 3)',
          size,
          figure: `${whole.toFixed(0)} ms (packdesk client list: ${list.toFixed(0)} ms, node -e 0: ${node.toFixed(0)} ms)`,
          budget: '-',
          withinBudget: null,
        });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
