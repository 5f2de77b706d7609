// A read-only part of the share is a storage problem the shift lead can act on (exit 7), never an
// internal error, and a station that cannot write its statistics at pause still lets the list go.
// Folders are made read-only with read-only bind mounts in a private mount namespace: as root,
// permission bits alone would not stop anything.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from './helpers/cli.js';
import { canMount, privateMounts, type PrivateMounts } from './helpers/mount-namespace.js';
import { fullScript, ordersSpec, setUpPacking, type PackingSetup } from './helpers/packing-session.js';
import { StationProcess } from './helpers/station-process.js';

let dir: string;
let cleanup: () => Promise<void>;
let mounts: PrivateMounts | null = null;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  await mounts?.close();
  mounts = null;
  await cleanup();
});

const readOnly = (target: string) =>
  privateMounts('mount --bind "$1" "$1"; mount -o remount,bind,ro "$1"', [target]);

function packArgs(s: PackingSetup, root: string): string[] {
  return ['pack', s.client, s.session, '--root', root, '--config', s.config, '--json', '--station', 'S1'];
}

describe.skipIf(!canMount)('read-only parts of the share', () => {
  it('a read-only STATS folder: scans are kept, the pause reports a storage error, and the list is let go', async () => {
    const spec = ordersSpec(2);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    mounts = await readOnly(path.join(setup.root, 'STATS'));
    const root = `${mounts.prefix}${setup.root}`;
    const run = await runCli(packArgs(setup, root), {
      input: fullScript(spec)
        .map((l) => `${l}\n`)
        .join(''),
    });
    expect(run.code, run.stderr).toBe(7);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: 'STORAGE' });
    expect(JSON.parse(run.stderr).message, run.stderr).toMatch(/read-only/);
    const shown = await runCliJson<{ lists: { state: string; orders_done: number }[] }>([
      'session',
      'show',
      setup.client,
      setup.session,
      '--root',
      setup.root,
    ]);
    expect(shown.lists[0]).toMatchObject({ state: 'paused', orders_done: 2 });
  });

  it('a read-only journal folder or session index is exit 7 with words, not an internal error', async () => {
    const setup = await setUpPacking(dir, path.join(dir, 'root'), ordersSpec(1), {
      heartbeat: 0.1,
      stale: 1,
    });
    const listDir = path.join(setup.root, 'SESSIONS', 'CLIENT_ACME', setup.session, 'packing', 'DHL');
    // The list was never opened: its work folder is made here so it can be mounted read-only.
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(listDir, 'journal'), { recursive: true });
    for (const target of [path.join(listDir, 'journal'), path.join(setup.root, 'SESSIONS', 'CLIENT_ACME')]) {
      mounts = await readOnly(target);
      const run = await runCli(packArgs(setup, `${mounts.prefix}${setup.root}`));
      expect(run.code, `${target}: ${run.stderr}`).toBe(7);
      expect(JSON.parse(run.stderr)).toMatchObject({ error: 'STORAGE' });
      await mounts.close();
      mounts = null;
    }
  });

  it('an unreadable journal or session index is exit 7 "not allowed to read or write there", not an internal error', async () => {
    const spec = ordersSpec(2);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    const first = await runCli(packArgs(setup, setup.root), { input: `${fullScript(spec)[0]}\n` });
    expect(first.code, first.stderr).toBe(0);
    // A warehouse PC's user, for whom permission bits count (root ignores them).
    const { chmod, readdir } = await import('node:fs/promises');
    const { execFileSync } = await import('node:child_process');
    execFileSync('chmod', ['-R', 'a+rwX', dir]);
    for (let up = dir; up !== path.dirname(up); up = path.dirname(up)) await chmod(up, 0o755).catch(() => {});
    await chmod(path.dirname(dir), 0o1777).catch(() => {});
    const work = path.join(setup.root, 'SESSIONS', 'CLIENT_ACME', setup.session, 'packing', 'DHL');
    const journal = path.join(work, 'journal');
    const snapshot = (await readdir(journal)).find((n) => n.endsWith('.packing_state.json'))!;
    for (const target of [
      path.join(journal, 'segment.00000001.jsonl'),
      path.join(journal, snapshot),
      path.join(setup.root, 'SESSIONS', 'CLIENT_ACME', '.index'),
    ]) {
      await chmod(target, 0);
      const run = await runCli(packArgs(setup, setup.root), { uid: 65534, gid: 65534 });
      await chmod(target, target.endsWith('.index') ? 0o777 : 0o666);
      if (target.endsWith(snapshot)) {
        // A snapshot only shortens recovery: the journal has every event, so the list opens from it.
        expect(run.code, `${target}: ${run.stderr}`).toBe(0);
        expect(JSON.parse(run.stdout.split('\n')[0]!)).toMatchObject({ kind: 'station_ready', packed: 0 });
        continue;
      }
      expect(run.code, `${target}: ${run.stderr}`).toBe(7);
      expect(JSON.parse(run.stderr)).toMatchObject({ error: 'STORAGE' });
      expect(JSON.parse(run.stderr).message).toMatch(/not allowed to (read|write) there/);
    }
    const after = await runCli(packArgs(setup, setup.root), { uid: 65534, gid: 65534 });
    expect(after.code, after.stderr).toBe(0);
  });

  it('an unreadable lease record of a list still held is exit 7 "not allowed to read there" wherever it is read', async () => {
    const spec = ordersSpec(2);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    // A station dies holding the list: its lease record is what tells the next one who holds it.
    const holder = new StationProcess(packArgs(setup, setup.root));
    expect((await holder.line(0))!.kind).toBe('station_ready');
    holder.send(fullScript(spec)[0]!);
    expect((await holder.line(1))!.kind).toBe('order_opened');
    await holder.kill();
    const { chmod, readdir } = await import('node:fs/promises');
    const { execFileSync } = await import('node:child_process');
    execFileSync('chmod', ['-R', 'a+rwX', dir]);
    for (let up = dir; up !== path.dirname(up); up = path.dirname(up)) await chmod(up, 0o755).catch(() => {});
    await chmod(path.dirname(dir), 0o1777).catch(() => {});
    const leases = path.join(
      setup.root,
      'SESSIONS',
      'CLIENT_ACME',
      setup.session,
      'packing',
      'DHL',
      'leases',
    );
    const record = path.join(leases, (await readdir(leases)).sort().at(-1)!, 'record.json');
    await chmod(record, 0);
    const common = ['--root', setup.root, '--config', setup.config, '--json'];
    const asNobody = { uid: 65534, gid: 65534 };
    for (const args of [
      [...packArgs(setup, setup.root), '--station', 'S2'],
      [...packArgs(setup, setup.root), '--station', 'S2', '--take-over'],
      ['session', 'show', setup.client, setup.session, ...common],
      ['session', 'list', ...common],
      ['session', 'unlock', setup.client, setup.session, '--reason', 'test', '--yes', '--force', ...common],
    ]) {
      const run = await runCli(args, asNobody);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(7);
      expect(JSON.parse(run.stderr)).toMatchObject({ error: 'STORAGE', path: record });
      expect(JSON.parse(run.stderr).message).toMatch(/not allowed to read there/);
    }
    // Readable again, the same station picks the list up where it stopped.
    await chmod(record, 0o666);
    const back = await runCli(packArgs(setup, setup.root), asNobody);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout.split('\n')[0]!)).toMatchObject({ kind: 'station_ready', packed: 0 });
  });
});
