// Sessions and the per-client index (DESIGN §3): unique ids from concurrent creators, list states
// from not started to completed, and an index that is cheap to read (it never opens session
// folders), safe with concurrent writers, and rebuilt from the folders when missing or damaged.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openList } from '../src/app/open-list.js';
import { createClient } from '../src/app/clients.js';
import { createSession, listSessions, showSession } from '../src/app/sessions.js';
import { DEFAULT_SETTINGS, type Settings } from '../src/domain/settings.js';
import { initDataRoot } from '../src/store/data-root.js';
import { Layout } from '../src/store/layout.js';
import { runCli, runCliJson, tempDir } from './helpers/cli.js';

const settings: Settings = {
  ...structuredClone(DEFAULT_SETTINGS),
  locking: { heartbeatMs: 100, staleMs: 600 },
};

async function setup(dir: string) {
  const layout = new Layout(path.join(dir, 'root'));
  await mkdir(path.dirname(layout.root), { recursive: true });
  await initDataRoot(layout, 5_000);
  await createClient({ layout, settings, station: 'PREP' }, 'M', 'M Ltd');
  const list = path.join(dir, 'dhl.json');
  await writeFile(
    list,
    JSON.stringify({
      orders: [
        {
          order_number: '1',
          courier: 'DHL',
          items: [
            { sku: 'A', quantity: 2 },
            { sku: 'B', quantity: 1 },
          ],
        },
        { order_number: '2', courier: 'DHL', items: [{ sku: 'A', quantity: 1 }] },
      ],
    }),
  );
  const csv = path.join(dir, 'ups.csv');
  await writeFile(csv, 'Order_Number,SKU,Product_Name,Quantity,Courier\n1,A,Apple,1,UPS\n');
  return { deps: { layout, settings }, list, csv };
}

const by = { station: 'PREP', worker: 'Ann' };

describe('sessions and the session index', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (tmp = await tempDir()));
  afterAll(() => tmp.cleanup());

  it('shows every list with its state, holder and counts as the documented JSON', async () => {
    const { deps, list, csv } = await setup(path.join(tmp.dir, 'states'));
    const info = await createSession(deps, 'M', [{ file: list }, { file: csv }], by);
    const [empty] = await listSessions(deps, 'M');
    expect(empty).toEqual({
      client: 'M',
      session: info.session_id,
      created_at: info.created_at,
      lists: [
        {
          name: 'dhl',
          state: 'not_started',
          holder: null,
          epoch: null,
          orders_total: 2,
          orders_done: 0,
          items_total: 4,
          items_done: 0,
        },
        {
          name: 'ups',
          state: 'not_started',
          holder: null,
          epoch: null,
          orders_total: 1,
          orders_done: 0,
          items_total: 1,
          items_done: 0,
        },
      ],
    });

    const lease = await openList(deps, {
      client: 'M',
      session: info.session_id,
      list: 'dhl',
      station: 'PACK-1',
      worker: 'Bo',
    });
    const ups = await openList(deps, {
      client: 'M',
      session: info.session_id,
      list: 'ups',
      station: 'PACK-2',
      worker: 'Cy',
    });
    const [active] = await listSessions(deps, 'M');
    expect(active!.lists[0]).toMatchObject({
      state: 'active',
      epoch: 1,
      holder: { station: 'PACK-1', worker: 'Bo', since: lease.record!.acquired_at },
    });
    expect(active!.lists[0]!.holder!.heartbeat_age_ms).toBeLessThan(600);

    await lease.release({ completed: true });
    await ups.release();
    const [after] = await listSessions(deps, 'M');
    expect(after!.lists.map((l) => [l.state, l.epoch, l.holder])).toEqual([
      ['completed', 1, null],
      ['paused', 1, null],
    ]);
    expect((await showSession(deps, 'M', info.session_id)).lists.map((l) => l.state)).toEqual([
      'completed',
      'paused',
    ]);
    // Without a client: every client's sessions.
    expect((await listSessions(deps)).map((s) => [s.client, s.session])).toEqual([['M', info.session_id]]);
  });

  it('lists from the index without opening session folders, and rebuilds it when it is missing or damaged', async () => {
    const { deps, list } = await setup(path.join(tmp.dir, 'rebuild'));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createSession(deps, 'M', [{ file: list }], by)).session_id);
    const held = await openList(deps, {
      client: 'M',
      session: ids[0]!,
      station: 'PACK-1',
      worker: 'Bo',
    });
    const done = await openList(deps, {
      client: 'M',
      session: ids[1]!,
      station: 'PACK-1',
      worker: 'Bo',
    });
    await done.release({ completed: true });
    const expected = (await listSessions(deps, 'M')).map((s) => [s.session, s.lists[0]!.state]);
    expect(new Map(expected as [string, string][]).get(ids[0]!)).toBe('active');
    expect(new Map(expected as [string, string][]).get(ids[1]!)).toBe('completed');

    // A damaged session_info.json goes unnoticed by listing: the index is all it reads.
    const original = await readFile(deps.layout.sessionInfoFile('M', ids[4]!), 'utf8');
    await writeFile(deps.layout.sessionInfoFile('M', ids[4]!), '{"torn');
    expect((await listSessions(deps, 'M')).map((s) => [s.session, s.lists[0]!.state])).toEqual(expected);
    await writeFile(deps.layout.sessionInfoFile('M', ids[4]!), original);

    // Index gone: rebuilt from the folders, lease states included.
    await rm(deps.layout.sessionIndexDir('M'), { recursive: true });
    expect((await listSessions(deps, 'M')).map((s) => [s.session, s.lists[0]!.state])).toEqual(expected);

    // Index damaged: never read as "no sessions"; rebuilt.
    const indexDir = deps.layout.sessionIndexDir('M');
    const snap = (await readdir(indexDir)).find((n) => n.startsWith('snap.'))!;
    await writeFile(path.join(indexDir, snap), '{"schema_version":1,"sessions":');
    expect((await listSessions(deps, 'M')).map((s) => [s.session, s.lists[0]!.state])).toEqual(expected);
    expect((await readdir(indexDir)).filter((n) => n.startsWith('snap.'))).not.toContain(snap);
    await held.release();
  });

  it('keeps listing cheap: event files are folded into one snapshot once they pile up', async () => {
    const { deps, list } = await setup(path.join(tmp.dir, 'compact'));
    for (let i = 0; i < 70; i++) await createSession(deps, 'M', [{ file: list }], by);
    expect(await listSessions(deps, 'M')).toHaveLength(70);
    const events = await readdir(path.join(deps.layout.sessionIndexDir('M'), 'events'));
    expect(events.filter((n) => n.startsWith('ev.'))).toHaveLength(0);
    expect(await listSessions(deps, 'M')).toHaveLength(70);
  });

  it('gives distinct session ids to stations creating sessions in the same second, and lists them all', async () => {
    const dir = path.join(tmp.dir, 'concurrent');
    const { deps, list } = await setup(dir);
    const root = deps.layout.root;
    const results = await Promise.all(
      ['PC-1', 'PC-1', 'PC-2', 'PC-2', 'PC-3'].map((station) =>
        runCliJson<{ session_id: string }>([
          'session',
          'create',
          'M',
          '--list',
          list,
          '--root',
          root,
          '--station',
          station,
        ]),
      ),
    );
    const ids = results.map((r) => r.session_id);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^\d{4}-\d{2}-\d{2}_\d{6}_PC-\d_[0-9a-f]{4}$/);
    const listed = await runCliJson<{ session: string }[]>(['session', 'list', 'M', '--root', root]);
    expect(listed.map((s) => s.session).sort()).toEqual([...ids].sort());
  });

  it('archives from the CLI: hidden from `session list` unless --archived, refused while a station holds a list, kept through an index rebuild, and two PCs at once agree', async () => {
    const { deps, list } = await setup(path.join(tmp.dir, 'archive'));
    const root = deps.layout.root;
    const keep = (await createSession(deps, 'M', [{ file: list }], by)).session_id;
    const old = (await createSession(deps, 'M', [{ file: list }], by)).session_id;
    const cli = (...args: string[]) => runCli([...args, '--root', root, '--worker', 'Lead', '--json']);
    const listed = async (...flags: string[]) =>
      (
        await runCliJson<{ session: string; archived?: boolean }[]>([
          'session',
          'list',
          'M',
          '--root',
          root,
          ...flags,
        ])
      ).map((s): [string, boolean] => [s.session, s.archived ?? false]);

    const held = await openList(deps, { client: 'M', session: old, station: 'PACK-9', worker: 'Bo' });
    const refused = await cli('session', 'archive', 'M', old);
    expect(refused.code).toBe(6);
    expect(JSON.parse(refused.stderr).message).toMatch(/dhl.*PACK-9.*Bo/);
    await held.release();

    const archived = await cli('session', 'archive', 'M', old);
    expect(archived.code).toBe(0);
    expect(JSON.parse(archived.stdout)).toMatchObject({ session: old, archived: true, changed: true });
    expect(await listed()).toEqual([[keep, false]]);
    expect((await listed('--archived')).sort()).toEqual(
      [
        [keep, false],
        [old, true],
      ].sort(),
    );
    const text = await runCli(['session', 'list', 'M', '--archived', '--root', root]);
    expect(text.stdout).toMatch(new RegExp(`${old}.*archived`));

    // The index is only a cache: rebuilt from the folders, the session is still archived.
    await rm(deps.layout.sessionIndexDir('M'), { recursive: true });
    expect(await listed()).toEqual([[keep, false]]);

    // Two shift leads at two PCs, one archiving and one bringing it back at the same moment: both
    // records are kept and every reader (index, folder) names the same winner.
    const [a, b] = await Promise.all([
      cli('session', 'unarchive', 'M', old),
      cli('session', 'archive', 'M', keep),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const both = await Promise.all([
      cli('session', 'archive', 'M', old),
      cli('session', 'unarchive', 'M', old),
    ]);
    expect(both.map((r) => r.code)).toEqual([0, 0]);
    const fromIndex = new Map(await listed('--archived'));
    const shown = await runCliJson<{ archived?: boolean }>(['session', 'show', 'M', old, '--root', root]);
    expect(fromIndex.get(old)).toBe(shown.archived ?? false);
    await rm(deps.layout.sessionIndexDir('M'), { recursive: true });
    expect(new Map(await listed('--archived')).get(old)).toBe(shown.archived ?? false);
    expect(new Map(await listed('--archived')).get(keep)).toBe(true);

    expect((await cli('session', 'archive', 'M', '2026-01-01_000000_X_0000')).code).toBe(3);
  });

  it('refuses clearly: unknown client, missing list file, unknown session', async () => {
    const { deps, list } = await setup(path.join(tmp.dir, 'errors'));
    const root = deps.layout.root;
    const noClient = await runCli(['session', 'create', 'NOPE', '--list', list, '--root', root, '--json']);
    expect(noClient.code).toBe(3);
    expect(JSON.parse(noClient.stderr).message).toMatch(/client create NOPE/);
    const noFile = await runCli([
      'session',
      'create',
      'M',
      '--list',
      path.join(tmp.dir, 'nope.json'),
      '--root',
      root,
      '--json',
    ]);
    expect(noFile.code).toBe(3);
    const noSession = await runCli([
      'session',
      'show',
      'M',
      '2026-01-01_000000_X_0000',
      '--root',
      root,
      '--json',
    ]);
    expect(noSession.code).toBe(3);
    const badId = await runCli(['session', 'open', 'M', '../../etc', '--root', root, '--json']);
    expect(badId.code).toBe(2);
  });
});
