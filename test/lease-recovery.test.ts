// DESIGN §4.3, §4.7, §4.8 and the record rules: a crashed station's own restart resumes at once; a
// damaged lease record is held-and-unknown, never free; a shift lead's force release is confirmed,
// audited and noticed by the old holder; wall-clock skew of an hour changes nothing.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealMarginMs } from '../src/domain/lease.js';
import { readAccepted } from '../src/store/lease/fenced-writes.js';
import { runCli, runCliJson, tempDir } from './helpers/cli.js';
import { errorOf, makeSession, makeWorld, openStation, writerStation, type World } from './lease-stations.js';

const HB_S = 0.2;
const TTL_S = 1.2;

describe('lease recovery and audit (local folder)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let world: World;
  const leasesOf = (session: string) =>
    path.join(world.root, 'SESSIONS', 'CLIENT_M', session, 'packing', 'dhl', 'leases');
  const journalOf = (session: string) =>
    path.join(world.root, 'SESSIONS', 'CLIENT_M', session, 'packing', 'dhl', 'journal');
  const common = () => ['--root', world.root, '--config', world.config];
  beforeAll(async () => {
    tmp = await tempDir();
    world = await makeWorld(tmp.dir, { heartbeatS: HB_S, staleS: TTL_S });
  });
  afterAll(() => tmp.cleanup());

  it('a station restarted after kill -9 on the same PC gets its list back at once; another station does not', async () => {
    // A long TTL: waiting it out would be obvious.
    const longConfig = path.join(tmp.dir, 'long.ini');
    await writeFile(longConfig, '[Locking]\nHeartbeatSeconds=1\nStaleSeconds=30\n');
    const w = { ...world, config: longConfig };
    const session = await makeSession(w, tmp.dir);
    const first = openStation(w, session, 'PACK-1');
    await first.waitEvent('acquired');
    first.child.kill('SIGKILL');
    await first.exit;

    const other = openStation(w, session, 'PACK-2');
    expect((await other.exit).code).toBe(5);
    expect(errorOf(other).holder).toMatchObject({ station: 'PACK-1' });

    const started = performance.now();
    const again = openStation(w, session, 'PACK-1');
    const acquired = await again.waitEvent('acquired', 15_000);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(acquired).toMatchObject({ epoch: 2, kind: 'restart', previous: { station: 'PACK-1', epoch: 1 } });
    again.child.stdin!.end();
    expect((await again.exit).code).toBe(0);
  });

  it('a lease whose record is empty, torn or missing is held by "unknown" and only taken over after the TTL', async () => {
    const damaged: Record<string, string | null> = {
      empty: '',
      torn: '{"schema_version":1,"kind":"acq',
      missing: null,
    };
    const session = await makeSession(
      world,
      tmp.dir,
      Object.fromEntries(
        Object.keys(damaged).map((n) => [
          n,
          { orders: [{ order_number: '1', courier: 'DHL', items: [{ sku: 'A', quantity: 1 }] }] },
        ]),
      ),
    );
    for (const [list, content] of Object.entries(damaged)) {
      const dir = path.join(
        world.root,
        'SESSIONS',
        'CLIENT_M',
        session,
        'packing',
        list,
        'leases',
        'e00000001',
      );
      await mkdir(dir, { recursive: true });
      if (content !== null) await writeFile(path.join(dir, 'record.json'), content);
    }

    const plain = await runCli([
      'session',
      'open',
      'M',
      session,
      '--list',
      'torn',
      ...common(),
      '--station',
      'X',
      '--json',
    ]);
    expect(plain.code).toBe(5);
    expect(JSON.parse(plain.stderr)).toMatchObject({
      error: 'SESSION_LOCKED',
      holder: { station: 'unknown', worker: 'unknown' },
    });
    const shown = await runCliJson<{ lists: { name: string; state: string; holder: unknown }[] }>([
      'session',
      'show',
      'M',
      session,
      ...common(),
    ]);
    for (const l of shown.lists) {
      expect(['active', 'stale'], l.name).toContain(l.state);
      expect(l.holder, l.name).toMatchObject({ station: 'unknown' });
    }

    const started = performance.now();
    const takers = Object.keys(damaged).map((list) =>
      openStation(world, session, `TAKER-${list}`, { list, takeOver: true }),
    );
    for (const taker of takers) {
      expect(await taker.waitEvent('acquired', 20_000)).toMatchObject({
        epoch: 2,
        kind: 'takeover',
        previous: { epoch: 1, station: null },
      });
    }
    expect(performance.now() - started).toBeGreaterThanOrEqual(TTL_S * 1000);
    for (const taker of takers) taker.child.stdin!.end();
    await Promise.all(takers.map((t) => t.exit));
  });

  it('force release needs --yes, refuses a live lease without --force, is audited, and the holder learns it lost', async () => {
    const session = await makeSession(world, tmp.dir);
    const holder = writerStation(world, session, 'dhl', 'HOLDER');
    await holder.waitEvent('acquired');
    const unlock = (...extra: string[]) =>
      runCli([
        'session',
        'unlock',
        'M',
        session,
        ...common(),
        '--station',
        'LEAD-PC',
        '--worker',
        'Lea',
        '--json',
        ...extra,
      ]);

    expect((await unlock('--reason', 'moving the list')).code).toBe(2);
    const notForced = await unlock('--reason', 'moving the list', '--yes');
    expect(notForced.code).toBe(5);
    expect(JSON.parse(notForced.stderr).message).toMatch(/--force/);

    const done = await unlock('--reason', 'moving the list', '--yes', '--force');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      released_epoch: 1,
      epoch: 2,
      released_holder: { station: 'HOLDER', worker: 'HOLDER-worker' },
      // It sealed the holder's journal only after the seal margin, from the holder's own TTL.
      waited_ms: sealMarginMs(TTL_S * 1000),
    });
    const seal = JSON.parse(await readFile(path.join(journalOf(session), 'seal.00000001.json'), 'utf8'));
    expect(seal).toMatchObject({ epoch: 1, sealed_by_epoch: 2, waited_ms: sealMarginMs(TTL_S * 1000) });

    const lost = await holder.waitEvent('lost', 5_000);
    expect(lost).toMatchObject({
      reason: 'superseded',
      by: { epoch: 2, station: 'LEAD-PC', kind: 'force_release' },
    });
    holder.child.stdin!.write('after-release\n');
    await holder.waitEvent('refused');

    const audit = JSON.parse(
      await readFile(path.join(leasesOf(session), 'e00000002', 'record.json'), 'utf8'),
    );
    expect(audit).toMatchObject({
      kind: 'force_release',
      station: 'LEAD-PC',
      worker: 'Lea',
      reason: 'moving the list',
      previous: { epoch: 1, station: 'HOLDER' },
    });
    const shown = await runCliJson<{ lists: { state: string; epoch: number }[] }>([
      'session',
      'show',
      'M',
      session,
      ...common(),
    ]);
    expect(shown.lists[0]).toMatchObject({ state: 'paused', epoch: 2 });

    const next = openStation(world, session, 'NEXT');
    expect(await next.waitEvent('acquired')).toMatchObject({ epoch: 3, kind: 'acquire' });
    next.child.stdin!.end();
    holder.child.stdin!.end();
    await Promise.all([next.exit, holder.exit]);
  });

  it('a holder paused for more than half the TTL fences itself on waking, even though nobody took over', async () => {
    const session = await makeSession(world, tmp.dir);
    const holder = writerStation(world, session, 'dhl', 'NAPPER');
    await holder.waitEvent('acquired');
    holder.child.stdin!.write('before\n');
    await holder.waitEvent('ack');
    holder.child.kill('SIGSTOP');
    holder.child.stdin!.write('after-nap\n');
    // The pause itself is the scenario: longer than TTL/2, shorter than the TTL.
    await new Promise((r) => setTimeout(r, TTL_S * 750));
    holder.child.kill('SIGCONT');
    expect(await holder.waitEvent('lost')).toMatchObject({ reason: 'fenced' });
    expect(await holder.waitEvent('refused')).toMatchObject({ line: 'after-nap' });
    const journal = path.join(world.root, 'SESSIONS', 'CLIENT_M', session, 'packing', 'dhl', 'journal');
    expect((await readAccepted(journal)).entries.map((e) => e.line)).toEqual(['before']);
    holder.child.stdin!.end();
    await holder.exit;
  });

  it('a wall clock an hour ahead or behind neither steals a live lease nor keeps a dead one alive', async () => {
    const session = await makeSession(world, tmp.dir);
    const ahead = { PACKDESK_TEST_CLOCK_SKEW_MS: String(3_600_000) };
    const behind = { PACKDESK_TEST_CLOCK_SKEW_MS: String(-3_600_000) };
    const holder = openStation(world, session, 'AHEAD', { env: ahead });
    await holder.waitEvent('acquired');

    const plain = openStation(world, session, 'BEHIND', { env: behind });
    expect((await plain.exit).code).toBe(5);
    const err = errorOf(plain);
    expect(err).toMatchObject({ stale: false, holder: { station: 'AHEAD' } });
    expect((err.holder as { heartbeat_age_ms: number }).heartbeat_age_ms).toBeLessThan(TTL_S * 1000);
    // Watching a live lease for a TTL on its own clock, a skewed station sees the heartbeat move and backs off.
    const grab = openStation(world, session, 'BEHIND', { env: behind, takeOver: true });
    expect((await grab.exit).code).toBe(5);
    expect(errorOf(grab).message).toMatch(/still moving/);
    const listed = await runCliJson<{ lists: { state: string; holder: { heartbeat_age_ms: number } }[] }[]>(
      ['session', 'list', 'M', ...common()],
      { env: behind },
    );
    expect(
      listed.find((s) => (s as unknown as { session: string }).session === session)!.lists[0],
    ).toMatchObject({ state: 'active' });

    holder.child.kill('SIGKILL');
    await holder.exit;
    const started = performance.now();
    const taker = openStation(world, session, 'AHEAD-2', { env: ahead, takeOver: true });
    expect(await taker.waitEvent('acquired', 20_000)).toMatchObject({ epoch: 2, kind: 'takeover' });
    expect(performance.now() - started).toBeLessThan(TTL_S * 1000 + 10_000);
    taker.child.stdin!.end();
    await taker.exit;
  });
});
