// Lease and session-list benchmarks: acquire+release per second (local folder, and over the SMB rig
// when its variables are set), time from a holder's death to another station's takeover, and the
// time to list 10,000 sessions with status and progress (DESIGN §9: ≤ 500 ms).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openList } from '../src/app/open-list.js';
import { createClient } from '../src/app/clients.js';
import { createSession, listSessions } from '../src/app/sessions.js';
import type { SessionInfo } from '../src/domain/session.js';
import { DEFAULT_SETTINGS, type Settings } from '../src/domain/settings.js';
import { initDataRoot } from '../src/store/data-root.js';
import { Layout } from '../src/store/layout.js';
import { percentile, type BenchRow } from './table.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/packdesk.js');

function settingsWith(heartbeatMs: number, staleMs: number): Settings {
  return { ...structuredClone(DEFAULT_SETTINGS), locking: { heartbeatMs, staleMs } };
}

async function world(root: string, settings: Settings, lists = 1) {
  const layout = new Layout(root);
  await mkdir(path.dirname(layout.root), { recursive: true });
  await initDataRoot(layout, 10_000);
  await createClient({ layout, settings, station: 'BENCH' }, 'B', 'Bench');
  const deps = { layout, settings };
  const files = [];
  for (let i = 0; i < lists; i++) {
    const file = path.join(root, `l${i}.json`);
    await writeFile(
      file,
      JSON.stringify({ orders: [{ order_number: '1', courier: 'DHL', items: [{ sku: 'A', quantity: 1 }] }] }),
    );
    files.push({ file });
  }
  const info = await createSession(deps, 'B', files, { station: 'BENCH', worker: 'bench' });
  return { deps, session: info.session_id };
}

async function acquireRelease(root: string, label: string, rounds: number): Promise<BenchRow> {
  const { deps, session } = await world(root, settingsWith(1_000, 6_000));
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    const lease = await openList(deps, { client: 'B', session, station: 'BENCH', worker: 'bench' });
    await lease.release();
    times.push(performance.now() - t);
  }
  const perSecond = rounds / ((performance.now() - started) / 1000);
  times.sort((a, b) => a - b);
  return {
    what: `lease acquire+release (${label})`,
    size: `${rounds} cycles`,
    figure: `${perSecond.toFixed(0)} /s (p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms)`,
    budget: '-',
    withinBudget: null,
  };
}

async function deathToTakeover(
  root: string,
  label: string,
  heartbeatMs: number,
  staleMs: number,
): Promise<BenchRow> {
  const settings = settingsWith(heartbeatMs, staleMs);
  const { deps, session } = await world(root, settings);
  const config = path.join(root, 'config.ini');
  await writeFile(
    config,
    `[Locking]\nHeartbeatSeconds=${heartbeatMs / 1000}\nStaleSeconds=${staleMs / 1000}\n`,
  );
  const holder = spawn(
    process.execPath,
    [BIN, 'session', 'open', 'B', session, '--root', root, '--config', config, '--station', 'DEAD'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on('data', (d: Buffer) => d.toString().includes('"acquired"') && resolve());
    holder.on('exit', () => reject(new Error('holder exited before acquiring')));
  });
  holder.removeAllListeners('exit');
  holder.kill('SIGKILL');
  const died = performance.now();
  const lease = await openList(deps, {
    client: 'B',
    session,
    station: 'TAKER',
    worker: 'bench',
    takeOver: true,
  });
  const tookMs = performance.now() - died;
  await lease.release();
  return {
    what: `holder death to takeover (${label})`,
    size: `heartbeat ${heartbeatMs / 1000} s, TTL ${staleMs / 1000} s`,
    figure: `${(tookMs / 1000).toFixed(2)} s`,
    budget: `TTL..TTL+2 beats (${staleMs / 1000}..${(staleMs + 2 * heartbeatMs) / 1000} s)`,
    withinBudget: tookMs >= staleMs && tookMs < staleMs + 2 * heartbeatMs,
  };
}

/** Writes session folders the way `session create` lays them out, without fsync, to build a large share quickly. */
async function fillSessions(layout: Layout, count: number): Promise<string[]> {
  const ids: string[] = [];
  const day = Date.parse('2025-01-01T00:00:00Z');
  for (let i = 0; i < count; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, count - i) }, async (_, j) => {
        const n = i + j;
        const created = new Date(day + n * 60_000).toISOString();
        const id = `${created.slice(0, 10)}_${created.slice(11, 19).replaceAll(':', '')}_BENCH_${(n % 65536).toString(16).padStart(4, '0')}`;
        ids.push(id);
        const lists = ['DHL', 'UPS'].map((name) => ({
          name,
          file: `packing_lists/${name}.json`,
          work_directory: `packing/${name}`,
          orders_total: 120,
          items_total: 300,
        }));
        const info: SessionInfo = {
          schema_version: 1,
          session_id: id,
          client_id: 'B',
          created_at: created,
          started_at: created,
          pc_name: 'bench',
          packing_list_path: lists[0]!.file,
          created_by: { station: 'BENCH', worker: 'bench' },
          lists,
        };
        for (const l of lists) await mkdir(layout.listLeasesDir('B', id, l.name), { recursive: true });
        await writeFile(layout.sessionInfoFile('B', id), JSON.stringify(info));
      }),
    );
  }
  return ids;
}

async function listTenThousand(root: string): Promise<BenchRow[]> {
  const settings = settingsWith(1_000, 6_000);
  const layout = new Layout(root);
  await mkdir(path.dirname(layout.root), { recursive: true });
  await initDataRoot(layout, 10_000);
  await createClient({ layout, settings, station: 'BENCH' }, 'B', 'Bench');
  const deps = { layout, settings };
  const count = 10_000;
  const ids = await fillSessions(layout, count);
  let t = performance.now();
  const first = await listSessions(deps, 'B');
  const rebuildMs = performance.now() - t;
  if (first.length !== count) throw new Error(`listed ${first.length} sessions, expected ${count}`);
  // Some lists in use while listing, so their live lease state is read too.
  const held = [];
  for (const id of ids.slice(0, 20))
    held.push(
      await openList(deps, {
        client: 'B',
        session: id,
        list: 'DHL',
        station: 'BENCH',
        worker: 'bench',
      }),
    );
  for (const id of ids.slice(20, 120))
    await (
      await openList(deps, { client: 'B', session: id, list: 'UPS', station: 'BENCH', worker: 'bench' })
    ).release({ completed: true });
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    t = performance.now();
    const views = await listSessions(deps, 'B');
    times.push(performance.now() - t);
    if (
      views.length !== count ||
      views.filter((v) => v.lists.some((l) => l.state === 'active')).length !== 20
    )
      throw new Error('unexpected listing');
  }
  for (const lease of held) await lease.release();
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  return [
    {
      what: 'list sessions with status and progress',
      size: `${count} sessions × 2 lists, 20 held, 100 completed`,
      figure: `${p50.toFixed(0)} ms (p50 of 7; max ${times[times.length - 1]!.toFixed(0)} ms)`,
      budget: '≤ 500 ms',
      withinBudget: p50 <= 500,
    },
    {
      what: 'rebuild the session index from the folders',
      size: `${count} sessions`,
      figure: `${(rebuildMs / 1000).toFixed(2)} s (once, when the index is missing or damaged)`,
      budget: '-',
      withinBudget: null,
    },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const local = await mkdtemp(path.join(os.tmpdir(), 'packdesk-bench-leases-'));
  try {
    rows.push(await acquireRelease(path.join(local, 'ar'), 'local', 300));
    rows.push(await deathToTakeover(path.join(local, 'death'), 'local', 200, 1_200));
    rows.push(...(await listTenThousand(path.join(local, 'list'))));
  } finally {
    await rm(local, { recursive: true, force: true });
  }
  const pc1 = process.env.SMB_RIG_PC1;
  if (pc1) {
    const smb = path.join(pc1, `bench-leases-${process.pid}-${Date.now()}`);
    try {
      rows.push(await acquireRelease(path.join(smb, 'ar'), 'SMB', 40));
      rows.push(await deathToTakeover(path.join(smb, 'death'), 'SMB', 500, 3_000));
    } finally {
      await rm(smb, { recursive: true, force: true }).catch(() => {});
    }
  } else {
    rows.push({
      what: 'lease benchmarks over SMB',
      size: '-',
      figure: 'skipped: SMB_RIG_PC1 not set',
      budget: '-',
      withinBudget: null,
    });
  }
  return rows;
}
