// DESIGN §4.3-§4.6: a crashed holder is taken over after the TTL (and not before), by exactly one
// station, with a higher epoch and an audit record; a frozen holder that wakes up after a takeover
// learns it lost the list and none of its writes counts. Real processes, kill -9, SIGSTOP/SIGCONT;
// on a local folder and across the SMB rig's two clients.
import { open, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealMarginMs } from '../src/domain/lease.js';
import { readAccepted } from '../src/store/lease/fenced-writes.js';
import { tempDir } from './helpers/cli.js';
import { smbRig } from './helpers/smb-rig.js';
import { waitFor } from './helpers/wait.js';
import { makeSession, makeWorld, writerStation, type Station, type World } from './lease-stations.js';

interface Backend {
  name: string;
  hbS: number;
  ttlS: number;
  /** Where the data lives, seen from PC A and from PC B (the same folder). */
  setup(tmp: string): Promise<{ world: World; rootA: string; rootB: string }>;
}

const backends: Backend[] = [
  {
    name: 'local folder',
    hbS: 0.3,
    ttlS: 1.5,
    async setup(tmp) {
      const world = await makeWorld(tmp, { heartbeatS: 0.3, staleS: 1.5 });
      return { world, rootA: world.root, rootB: world.root };
    },
  },
];
const rig = smbRig();
if (rig) {
  backends.push({
    name: 'SMB, holder on PC1, taker on PC2',
    hbS: 0.5,
    ttlS: 3,
    async setup() {
      const sub = `lease-takeover-${process.pid}-${Date.now()}`;
      const world = await makeWorld(path.join(rig.pc1, sub), { heartbeatS: 0.5, staleS: 3 });
      return { world, rootA: world.root, rootB: path.join(rig.pc2, sub, 'root') };
    },
  });
}

/** Appends the way a holder does (positional write; the FUSE SMB client fails O_APPEND with EIO). */
async function writeAtEnd(file: string, text: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(text, (await handle.stat()).size);
  } finally {
    await handle.close();
  }
}

const acked = (s: Station) => s.events.filter((e) => e.event === 'ack').map((e) => e.line);

describe.each(backends)('takeover ($name)', (backend) => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let world: World;
  let rootA: string;
  let rootB: string;
  const ttlMs = backend.ttlS * 1000;
  const hbMs = backend.hbS * 1000;
  beforeAll(async () => {
    tmp = await tempDir();
    ({ world, rootA, rootB } = await backend.setup(tmp.dir));
  });
  afterAll(() => tmp.cleanup());

  it('after kill -9 of the holder, one of two stations taking over at once wins, after the TTL and the seal margin and before 2 heartbeats more', async () => {
    const session = await makeSession(world, tmp.dir);
    const holder = writerStation(world, session, 'dhl', 'HOLDER', { root: rootA });
    await holder.waitEvent('acquired');
    const takers = [
      writerStation(world, session, 'dhl', 'TAKER1', { root: rootB, takeOver: 'on-go' }),
      writerStation(world, session, 'dhl', 'TAKER2', { root: rootA, takeOver: 'on-go' }),
    ];
    await Promise.all(takers.map((t) => t.waitEvent('ready')));

    holder.child.kill('SIGKILL');
    await holder.exit;
    const died = performance.now();
    for (const t of takers) t.child.stdin!.write('go\n');
    const first = await Promise.race(takers.map((t) => t.waitEvent('acquired', 30_000).then(() => t)));
    const tookMs = performance.now() - died;
    await Promise.all(
      takers.map((t) => Promise.race([t.waitEvent('error', 30_000), t.waitEvent('acquired', 30_000)])),
    );

    // The winner watched a TTL of silence, then waited the seal margin (the old holder might only be
    // slow to see the new epoch) before it sealed the old journal and reported the list as its own.
    const marginMs = sealMarginMs(ttlMs);
    expect(tookMs).toBeGreaterThanOrEqual(ttlMs + marginMs);
    expect(tookMs).toBeLessThan(ttlMs + marginMs + 2 * hbMs);
    expect(first.events.find((e) => e.event === 'sealing')).toMatchObject({ wait_ms: marginMs });
    const winners = takers.filter((t) => t.events.some((e) => e.event === 'acquired'));
    expect(winners).toEqual([first]);
    const loser = takers.find((t) => t !== first)!;
    expect(loser.events.find((e) => e.event === 'error')).toMatchObject({
      code: 'SESSION_LOCKED',
      holder: { station: first.name },
    });

    const acquired = first.events.find((e) => e.event === 'acquired')!;
    expect(acquired).toMatchObject({
      epoch: 2,
      kind: 'takeover',
      previous: { epoch: 1, station: 'HOLDER', worker: 'HOLDER-worker' },
    });
    // The audit record: who took over from whom, when and why, kept in the new epoch's folder.
    const leases = path.join(world.root, 'SESSIONS', 'CLIENT_M', session, 'packing', 'dhl', 'leases');
    expect((await readdir(leases)).filter((n) => n.startsWith('e')).sort()).toEqual([
      'e00000001',
      'e00000002',
    ]);
    const audit = JSON.parse(await readFile(path.join(leases, 'e00000002', 'record.json'), 'utf8'));
    expect(audit).toMatchObject({
      kind: 'takeover',
      epoch: 2,
      station: first.name,
      previous: { station: 'HOLDER', epoch: 1 },
    });
    expect(audit.reason).toMatch(/no heartbeat/);
    first.child.stdin!.end();
    expect((await first.exit).code).toBe(0);
  });

  it('a holder frozen past the TTL and taken over reports "lost" on SIGCONT, and none of its later writes is accepted', async () => {
    const session = await makeSession(world, tmp.dir);
    const old = writerStation(world, session, 'dhl', 'OLD', { root: rootA });
    await old.waitEvent('acquired');
    old.child.stdin!.write('a1\na2\n');
    await waitFor(() => acked(old).length === 2, 'OLD to save two lines');

    old.child.kill('SIGSTOP');
    old.child.stdin!.write('a3-after-freeze\n');
    const next = writerStation(world, session, 'dhl', 'NEW', { root: rootB, takeOver: true });
    const acquired = await next.waitEvent('acquired', 30_000);
    expect(acquired).toMatchObject({ epoch: 2, kind: 'takeover', sealed: [{ epoch: 1, lines: 2 }] });
    next.child.stdin!.write('b1\n');
    await waitFor(() => acked(next).length === 1, 'NEW to save a line');

    old.child.kill('SIGCONT');
    const lost = await old.waitEvent('lost');
    expect(lost).toMatchObject({ reason: 'superseded', by: { epoch: 2, station: 'NEW' } });
    await waitFor(
      () => old.events.some((e) => e.event === 'refused'),
      'OLD to refuse the write it got while frozen',
    );
    expect(acked(old)).toEqual(['a1', 'a2']);
    old.child.stdin!.write('a4-after-lost\n');
    await waitFor(
      () => old.events.filter((e) => e.event === 'refused').length === 2,
      'OLD to refuse a write after losing',
    );

    const journal = path.join(world.root, 'SESSIONS', 'CLIENT_M', session, 'packing', 'dhl', 'journal');
    const accepted = await readAccepted(journal);
    expect(accepted.entries).toEqual([
      { epoch: 1, line: 'a1' },
      { epoch: 1, line: 'a2' },
      { epoch: 2, line: 'b1' },
    ]);
    // A write the old holder had in flight that reached its segment after the seal is never accepted.
    await writeAtEnd(path.join(journal, 'segment.00000001.jsonl'), 'zombie-write\n');
    const again = await readAccepted(journal);
    expect(again.entries.map((e) => e.line)).toEqual(['a1', 'a2', 'b1']);
    expect(again.ignored).toEqual([{ epoch: 1, lines: 1 }]);

    old.child.stdin!.end();
    next.child.stdin!.end();
    await Promise.all([old.exit, next.exit]);
  });
});
