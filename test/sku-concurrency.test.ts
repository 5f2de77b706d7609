// Many stations changing one client's mappings at once lose nothing: every acknowledged set and
// delete is in the final file, deletes stay deleted, and replaying the operations in the order of
// the revisions the store handed out gives exactly the final mappings. Proven with real processes,
// on a local folder and over the loopback SMB rig (two SMB clients of one share).
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCliJson, tempDir } from './helpers/cli.js';
import { smbRig, envSize } from './helpers/smb-rig.js';

interface LoggedOp {
  op: 'set' | 'delete';
  barcode: string;
  sku: string | null;
  revision: number;
  changed: boolean;
  /** A refusal because the lock stayed busy (nothing saved); the worker tried again. */
  busy?: boolean;
  error?: string;
  message?: string;
}

function runWorker(
  root: string,
  client: string,
  station: string,
  count: number,
  seed: number,
  lock: { heartbeatMs: number; staleMs: number; busyRetries: number },
): Promise<LoggedOp[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(REPO, 'test', 'sku-worker.mjs'),
        root,
        client,
        station,
        String(count),
        String(seed),
        String(lock.heartbeatMs),
        String(lock.staleMs),
        String(lock.busyRetries),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${station} exited ${code}: ${err}`));
      else
        resolve(
          out
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as LoggedOp),
        );
    });
  });
}

async function hammer(
  roots: string[],
  client: string,
  processes: number,
  opsEach: number,
  lock = { heartbeatMs: 100, staleMs: 1_000, busyRetries: 0 },
): Promise<number> {
  const logs = await Promise.all(
    Array.from({ length: processes }, (_, i) =>
      runWorker(roots[i % roots.length]!, client, `ST${i}`, opsEach, 1000 + i, lock),
    ),
  );
  const ops = logs.flat().filter((o) => !o.busy);
  expect(ops.filter((o) => o.error)).toEqual([]);
  const changed = ops.filter((o) => o.changed);
  // Every change got its own revision, and no revision was skipped.
  const revisions = changed.map((o) => o.revision).sort((a, b) => a - b);
  expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => i + 1));
  // Replay in completion order; a set that changed nothing is placed after the change it observed.
  const ordered = [...ops].sort((a, b) => a.revision - b.revision || Number(b.changed) - Number(a.changed));
  const model = new Map<string, string>();
  for (const o of ordered) {
    if (o.op === 'set') model.set(o.barcode, o.sku!);
    else model.delete(o.barcode);
  }
  const final = await runCliJson<{ mappings: Record<string, string>; revision: number }>([
    'sku',
    'list',
    client,
    '--root',
    roots[0]!,
  ]);
  expect(final.revision).toBe(revisions.length);
  expect(final.mappings).toEqual(Object.fromEntries([...model].sort(([a], [b]) => (a < b ? -1 : 1))));
  expect(ops.filter((o) => o.op === 'delete').length).toBeGreaterThan(opsEach);
  return logs.flat().filter((o) => o.busy).length;
}

describe('mapping changes from many processes, local folder', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await runCliJson(['init', '--root', dir]);
    await runCliJson(['client', 'create', 'MULTI', '--name', 'Concurrency', '--root', dir]);
  });
  afterAll(() => cleanup());

  it('8 processes × 100 mixed sets and deletes: the final mapping is every operation applied in completion order', async () => {
    await hammer([dir], 'MULTI', 8, 100);
  }, 120_000);
});

const rig = smbRig();
describe.skipIf(!rig)('mapping changes from many processes over SMB (two clients, one share)', () => {
  const sub = `sku-concurrency-${process.pid}-${Date.now()}`;
  // 100 each, as on the local folder (one to two minutes on the FUSE rig); PACKDESK_SMB_SKU_OPS
  // runs a smaller size. The lock's 0.1 s heartbeat / 1 s stale time suit the FUSE rig; on the kernel
  // client in the slow guest one set in 160 ran out of them (refused, nothing saved), so CI runs it
  // there with PACKDESK_SMB_SKU_HEARTBEAT_MS=500 and PACKDESK_SMB_SKU_STALE_MS=8000. There, with one
  // CPU for 8 processes, a process can also wait out its 30 s for a queue of live holders and be told
  // to try again (nothing saved); PACKDESK_SMB_SKU_BUSY_RETRIES lets it, as a packer would. A refusal
  // that saved something anyway would show as an extra revision.
  const opsEach = envSize('PACKDESK_SMB_SKU_OPS', 100);
  const lock = {
    heartbeatMs: envSize('PACKDESK_SMB_SKU_HEARTBEAT_MS', 100),
    staleMs: envSize('PACKDESK_SMB_SKU_STALE_MS', 1_000),
    busyRetries: envSize('PACKDESK_SMB_SKU_BUSY_RETRIES', 0),
  };
  let roots: string[];
  beforeAll(async () => {
    roots = [path.join(rig!.pc1, sub), path.join(rig!.pc2, sub)];
    await runCliJson(['init', '--root', roots[0]!]);
    await runCliJson(['client', 'create', 'MULTI', '--name', 'Concurrency', '--root', roots[0]!]);
  });
  afterAll(() => fs.rm(path.join(rig!.server, sub), { recursive: true, force: true }));

  it(`8 processes (4 per SMB client) × ${opsEach} mixed sets and deletes lose nothing`, async () => {
    const busy = await hammer(roots, 'MULTI', 8, opsEach, lock);
    console.log(`8 × ${opsEach} mapping changes over SMB: ${busy} refused as busy and tried again`);
  }, 600_000);
});
