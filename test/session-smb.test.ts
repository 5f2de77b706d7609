// Sessions over the SMB rig: two PCs create sessions at the same time into one client's index and
// each sees all of them, with the live state of a list held from the other PC.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/app/clients.js';
import { openList } from '../src/app/open-list.js';
import { createSession, listSessions } from '../src/app/sessions.js';
import { DEFAULT_SETTINGS, type Settings } from '../src/domain/settings.js';
import { initDataRoot } from '../src/store/data-root.js';
import { Layout } from '../src/store/layout.js';
import { smbRig } from './helpers/smb-rig.js';

const rig = smbRig();
const settings: Settings = {
  ...structuredClone(DEFAULT_SETTINGS),
  locking: { heartbeatMs: 500, staleMs: 4_000 },
};

describe.skipIf(!rig)('sessions over SMB', () => {
  it('two PCs create sessions at once; both list all of them, with a list held from the other PC shown active', async () => {
    const sub = `session-smb-${process.pid}-${Date.now()}`;
    const pc1 = { layout: new Layout(path.join(rig!.pc1, sub, 'root')), settings };
    const pc2 = { layout: new Layout(path.join(rig!.pc2, sub, 'root')), settings };
    await mkdir(path.dirname(pc1.layout.root), { recursive: true });
    await initDataRoot(pc1.layout, 10_000);
    await createClient({ ...pc1, station: 'PC1' }, 'M', 'M Ltd');
    const list = path.join(rig!.pc1, sub, 'dhl.json');
    await writeFile(
      list,
      JSON.stringify({ orders: [{ order_number: '1', courier: 'DHL', items: [{ sku: 'A', quantity: 1 }] }] }),
    );

    const make = (deps: typeof pc1, station: string) =>
      Array.from({ length: 6 }, () => createSession(deps, 'M', [{ file: list }], { station, worker: 'w' }));
    const created = await Promise.all([...make(pc1, 'PC1'), ...make(pc2, 'PC2')]);
    const ids = created.map((c) => c.session_id).sort();
    expect(new Set(ids).size).toBe(12);

    const lease = await openList(pc1, { client: 'M', session: ids[0]!, station: 'PC1', worker: 'Ann' });
    const seen = await listSessions(pc2, 'M');
    expect(seen.map((s) => s.session).sort()).toEqual(ids);
    expect(seen.find((s) => s.session === ids[0])!.lists[0]).toMatchObject({
      state: 'active',
      epoch: 1,
      holder: { station: 'PC1', worker: 'Ann' },
    });
    await lease.release();
    const after = await listSessions(pc1, 'M');
    expect(after.map((s) => s.session).sort()).toEqual(ids);
    expect(after.find((s) => s.session === ids[0])!.lists[0]).toMatchObject({
      state: 'paused',
      epoch: 1,
      holder: null,
    });
  });
});
