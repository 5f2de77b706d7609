// Start-up of the `packdesk` command: whole-process wall time of `packdesk session list` (and
// `client list`) beside a bare `node -e 0` measured in the same run, interleaved so that load on the
// machine hits both alike. Each command loads only the code it uses (lazy imports in the command
// files), so a shift lead's loop of CLI calls or scripted stations stay quick.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, type BenchRow } from './table.js';

const BIN = fileURLToPath(new URL('../../bin/packdesk.js', import.meta.url));
const RUNS = 15;
const BUDGET_MS = 250;

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

export async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'packdesk-bench-cli-'));
  try {
    const root = path.join(dir, 'data');
    const config = path.join(dir, 'config.ini');
    await writeFile(config, `[Network]\nLocalCachePath = ${path.join(dir, 'local')}\n`);
    const env = { ...process.env, PACKDESK_CONFIG: config, PACKDESK_ROOT: root };
    wallMs([BIN, 'init'], env);
    wallMs([BIN, 'client', 'create', 'M', '--name', 'M Cosmetics'], env);
    const commands: Record<string, string[]> = {
      'node -e 0': ['-e', '0'],
      'packdesk session list': [BIN, 'session', 'list', '--json'],
      'packdesk client list': [BIN, 'client', 'list', '--json'],
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (const args of Object.values(commands)) wallMs(args, env); // warm the file cache
    for (let i = 0; i < RUNS; i++)
      for (const [name, args] of Object.entries(commands)) times[name]!.push(wallMs(args, env));
    const median = (name: string) =>
      percentile(
        [...times[name]!].sort((a, b) => a - b),
        50,
      );
    const bare = median('node -e 0');
    return Object.keys(commands).map((name) => {
      const sorted = [...times[name]!].sort((a, b) => a - b);
      const m = percentile(sorted, 50);
      const isBudgeted = name === 'packdesk session list';
      return {
        what: `start-up: ${name}`,
        size: `${RUNS} runs, interleaved`,
        figure: `median ${m.toFixed(0)} ms, p90 ${percentile(sorted, 90).toFixed(0)} ms${name === 'node -e 0' ? '' : ` (${(m / bare).toFixed(1)}× node -e 0)`}`,
        budget: isBudgeted ? `≤ ${BUDGET_MS} ms on a quiet machine` : '-',
        withinBudget: isBudgeted ? m <= BUDGET_MS : null,
      };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
