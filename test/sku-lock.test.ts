// The mapping lock cannot be left stuck by a killed or frozen station, and a slow but live station
// is never robbed of it. Real processes: kill -9, SIGSTOP/SIGCONT.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/app/clients.js';
import { listMappings } from '../src/app/sku-mappings.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings.js';
import { Layout } from '../src/store/layout.js';
import { REPO, runCli, tempDir } from './helpers/cli.js';
import { waitFor } from './helpers/wait.js';

const HEARTBEAT_MS = 100;
const STALE_MS = 500;

let dir: string;
let root: string;
let config: string;
let cleanup: () => Promise<void>;
const children: ChildProcess[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  root = path.join(dir, 'data');
  config = path.join(dir, 'config.ini');
  await fs.writeFile(
    config,
    `[Locking]\nHeartbeatSeconds = ${HEARTBEAT_MS / 1000}\nStaleSeconds = ${STALE_MS / 1000}\n[General]\nStationName = PC2\n`,
  );
  for (const sub of ['CLIENTS', 'SESSIONS', 'STATS'])
    await fs.mkdir(path.join(root, sub), { recursive: true });
  await createClient(app(), 'M', 'M Cosmetics');
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
  await cleanup();
});

function startHolder(
  holdMs = 0,
  timing = { heartbeatMs: HEARTBEAT_MS, staleMs: STALE_MS, waitMs: 10_000 },
): { child: ChildProcess; lines: string[] } {
  const args = [
    path.join(REPO, 'test', 'sku-lock-holder.mjs'),
    root,
    'M',
    ...[timing.heartbeatMs, timing.staleMs, holdMs, timing.waitMs].map(String),
  ];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const lines: string[] = [];
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  return { child, lines };
}

/** Set-up and checks in this process; the stations under test are real processes. */
const app = () => ({ layout: new Layout(root), settings: DEFAULT_SETTINGS, station: 'TEST' });

async function mappings(): Promise<Record<string, string>> {
  return (await listMappings(app(), 'M')).mappings;
}

describe('mapping lock', () => {
  it('a station killed while holding the lock blocks others only until the lock is stale', async () => {
    const holder = startHolder();
    await waitFor(() => holder.lines.includes('held'), 'the holder to take the lock');
    holder.child.kill('SIGKILL');
    const started = performance.now();
    const set = await runCli(['sku', 'set', 'M', '111', 'A', '--root', root, '--config', config, '--json']);
    const took = performance.now() - started;
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ revision: 1, changed: true });
    expect(took).toBeGreaterThanOrEqual(STALE_MS);
    expect(await mappings()).toEqual({ '111': 'A' });
    // The takeover is on record: who took it, from whom.
    const claims = path.join(root, 'CLIENTS', 'CLIENT_M', '.sku_mapping.lock.takeovers');
    const [claim] = await fs.readdir(claims);
    const record = JSON.parse(await fs.readFile(path.join(claims, claim!, 'takeover.json'), 'utf8'));
    expect(record).toMatchObject({
      by_station: 'PC2',
      previous_owner: { station: `HOLDER-${holder.child.pid}` },
    });
    expect(record.stale_for_ms).toBeGreaterThanOrEqual(STALE_MS);
  });

  it('a station killed half-way through taking over a dead lock does not leave it stuck', async () => {
    // A dead holder's lock, and the claim of a station that died right after claiming the takeover
    // (the claim is named after the lock contents it judged stale: owner, heartbeat, folder identity).
    const lockDir = path.join(root, 'CLIENTS', 'CLIENT_M', '.sku_mapping.lock');
    const owner = JSON.stringify({
      token: 'dead-token',
      stale_ms: STALE_MS,
      station: 'DEAD',
      host: 'x',
      pid: 1,
      acquired_at: '2026-01-01T00:00:00Z',
    });
    await fs.mkdir(lockDir);
    await fs.writeFile(path.join(lockDir, 'owner.json'), owner);
    const claim = createHash('sha256').update(`${owner}\n-\n`).digest('hex').slice(0, 24);
    await fs.mkdir(path.join(`${lockDir}.takeovers`, `${claim}.0`), { recursive: true });
    const started = performance.now();
    const set = await runCli(['sku', 'set', 'M', '111', 'A', '--root', root, '--config', config, '--json']);
    expect(set.code, set.stderr).toBe(0);
    // One stale period to find the first claim taken, another before trying the next claim.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * STALE_MS);
    expect(await mappings()).toEqual({ '111': 'A' });
    expect((await fs.readdir(`${lockDir}.takeovers`)).sort()).toEqual([`${claim}.0`, `${claim}.1`]);
  });

  it('a frozen station loses the lock, and when it wakes up it knows and saves nothing', async () => {
    const holder = startHolder();
    await waitFor(() => holder.lines.includes('held'), 'the holder to take the lock');
    holder.child.kill('SIGSTOP');
    const set = await runCli(['sku', 'set', 'M', '111', 'A', '--root', root, '--config', config, '--json']);
    expect(set.code, set.stderr).toBe(0);
    holder.child.kill('SIGCONT');
    holder.child.stdin!.write('check\n');
    await waitFor(() => holder.lines.length > 1, 'the woken holder to answer');
    expect(holder.lines[1]).toBe('LEASE_LOST');
    expect(await mappings()).toEqual({ '111': 'A' });
  });

  it('a live station that holds the lock longer than the stale time keeps it (its heartbeat moves)', async () => {
    const holdMs = STALE_MS * 4;
    const holder = startHolder(holdMs);
    await waitFor(() => holder.lines.includes('held'), 'the holder to take the lock');
    const set = await runCli(['sku', 'set', 'M', '111', 'A', '--root', root, '--config', config, '--json']);
    expect(set.code, set.stderr).toBe(0);
    // The set could only finish after the holder let go: the holder's "released" came first.
    expect(holder.lines).toContain('released');
    const claims = await fs
      .readdir(path.join(root, 'CLIENTS', 'CLIENT_M', '.sku_mapping.lock.takeovers'))
      .catch(() => []);
    expect(claims).toEqual([]);
  });

  it('a station with a much shorter stale time still waits out a live holder, then says who holds the lock', async () => {
    const holder = startHolder(60_000);
    await waitFor(() => holder.lines.includes('held'), 'the holder to take the lock');
    // Stale after 50 ms by its own settings, but the holder's record says 500 ms and it keeps beating.
    const impatient = startHolder(0, { heartbeatMs: 20, staleMs: 50, waitMs: 1_500 });
    await waitFor(() => impatient.lines.length >= 2, 'the second station to give up', 10_000);
    expect(impatient.lines[0]).toBe('CONFLICT');
    expect(impatient.lines[1]).toMatch(
      new RegExp(`Another station \\(HOLDER-${holder.child.pid}\\) is still saving`),
    );
    expect(holder.lines).toEqual(['held']);
    const claims = await fs
      .readdir(path.join(root, 'CLIENTS', 'CLIENT_M', '.sku_mapping.lock.takeovers'))
      .catch(() => []);
    expect(claims).toEqual([]);
  });
});
