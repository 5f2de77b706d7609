// A full disk under a packing station (DESIGN §4.11): the data root is a 1 MB tmpfs in a private
// mount namespace, filled to a few KB free while a `packdesk pack` station scans. Every scan the
// disk could not take must be answered "not saved", never acknowledged; once space is freed the
// packer scans it again; after a kill -9 and a restart, the list holds exactly what was
// acknowledged and the journal has no hole.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/cli.js';
import { fullScript, ordersSpec, setUpPacking } from './helpers/packing-session.js';
import { StationProcess } from './helpers/station-process.js';
import { canMount, privateMounts } from './helpers/mount-namespace.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  cleanups = [];
});

describe.skipIf(!canMount)('journal on a full disk', () => {
  it('never acknowledges a scan the disk did not take, and loses nothing once space is back', async () => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    const mountPoint = path.join(t.dir, 'share');
    await fs.mkdir(mountPoint);
    const tmpfs = await privateMounts('mount -t tmpfs -o size=1m tmpfs "$1"', [mountPoint]);
    cleanups.push(tmpfs.close);
    const root = path.join(`${tmpfs.prefix}${mountPoint}`, 'data');
    const spec = ordersSpec(12, 3);
    const setup = await setUpPacking(t.dir, root, spec);
    const args = ['pack', setup.client, setup.session, '--root', root, '--config', setup.config, '--json'];

    const station = new StationProcess([...args, '--station', 'PC-1', '--worker', 'anna']);
    cleanups.push(() => station.kill().then(() => undefined));
    expect((await station.line(0))!.kind).toBe('station_ready');

    // Leave about 6 KB: room for a few dozen journal lines, then the disk is full mid-line.
    const filler = path.join(root, 'filler.bin');
    const { bavail, bsize } = await fs.statfs(root);
    await fs.writeFile(filler, Buffer.alloc(Math.max(0, bavail * bsize - 6 * 1024)));

    const script = fullScript(spec);
    let next = 1;
    let notSaved = 0;
    let acknowledged = 0;
    let freed = false;
    for (let i = 0; i < script.length;) {
      station.send(script[i]!);
      const answer = (await station.line(next++))!;
      expect(answer, station.stderr).not.toBeNull();
      if (answer.kind === 'not_saved') {
        notSaved++;
        // The packer scans it again; after a few refusals the shift lead frees some space.
        if (notSaved >= 3 && !freed) {
          await fs.rm(filler);
          freed = true;
        }
        continue;
      }
      expect(['order_opened', 'item_ok', 'order_complete']).toContain(answer.kind);
      acknowledged++;
      i++;
    }
    expect(notSaved).toBeGreaterThanOrEqual(3);
    expect(acknowledged).toBe(script.length);
    await station.kill();

    // No NUL hole and no half line anywhere in the journal.
    const journalDir = path.join(root, 'SESSIONS', 'CLIENT_ACME', setup.session, 'packing', 'DHL', 'journal');
    for (const name of await fs.readdir(journalDir)) {
      if (!name.startsWith('segment.')) continue;
      const data = await fs.readFile(path.join(journalDir, name));
      expect(data.includes(0), `${name} has NUL bytes`).toBe(false);
    }

    const again = new StationProcess([...args, '--station', 'PC-1', '--worker', 'anna']);
    cleanups.push(() => again.kill().then(() => undefined));
    const ready = (await again.line(0))!;
    expect(ready.kind, again.stderr).toBe('station_ready');
    expect(ready.packed).toBe(Object.keys(spec).length);
    expect(ready.required).toBe(Object.keys(spec).length);
    again.endInput();
    expect((await again.exited).code).toBe(0);
  });
});
