// The raw cost of what every acknowledged scan waits for: appending one journal-sized line to a file
// and fdatasync-ing it, measured in the same run and folder as a latency it is printed beside, so a
// figure from a busy machine (or a slow disk) can be told from a slower packdesk.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { percentile, type BenchRow } from './table.js';

const SAMPLES = 2_000;
const LINE = Buffer.from(`${'x'.repeat(180)}\n`);

export async function fsyncRow(folder: string, label: string): Promise<BenchRow> {
  await fs.mkdir(folder, { recursive: true });
  const file = path.join(folder, `fsync-probe-${process.pid}.jsonl`);
  const handle = await fs.open(file, 'wx');
  const samples: number[] = [];
  try {
    let position = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const t = performance.now();
      await handle.write(LINE, 0, LINE.length, position);
      await handle.datasync();
      samples.push(performance.now() - t);
      position += LINE.length;
    }
  } finally {
    await handle.close();
    await fs.rm(file, { force: true });
  }
  samples.sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(2);
  return {
    what: `raw append + fdatasync (${label}), same run`,
    size: `${SAMPLES} lines of ${LINE.length} B`,
    figure: `p50 ${ms(percentile(samples, 50))} ms, p99 ${ms(percentile(samples, 99))} ms`,
    budget: 'reference (quiet machine: p50 0.13 ms, p99 0.28 ms)',
    withinBudget: null,
  };
}
