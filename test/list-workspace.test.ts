// The list workspace (store/list-workspace.ts) as its users see it, on a real folder: what a holder
// appends is what a reader recovers, before and after a snapshot and across a reopening; a shift
// lead's force release ends the holder's writes at once, and nothing it was refused counts.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/app/clients.js';
import { openList } from '../src/app/open-list.js';
import { createSession } from '../src/app/sessions.js';
import { parseStationInput } from '../src/domain/scan-commands.js';
import { apply, decide } from '../src/domain/scan-engine.js';
import type { ScanState } from '../src/domain/scan-state.js';
import { DEFAULT_SETTINGS, type Settings } from '../src/domain/settings.js';
import { initDataRoot } from '../src/store/data-root.js';
import { Layout } from '../src/store/layout.js';
import {
  forceReleaseList,
  observeLease,
  readListState,
  type LeaseEvent,
  type ListWorkspace,
} from '../src/store/list-workspace.js';
import { tempDir } from './helpers/cli.js';
import { waitFor } from './helpers/wait.js';

const settings: Settings = {
  ...structuredClone(DEFAULT_SETTINGS),
  locking: { heartbeatMs: 100, staleMs: 600 },
};

const LIST = {
  orders: [
    { order_number: '1', courier: 'DHL', items: [{ sku: 'A', quantity: 3 }] },
    { order_number: '2', courier: 'DHL', items: [{ sku: 'B', quantity: 1 }] },
  ],
};

async function setup(dir: string) {
  const layout = new Layout(path.join(dir, 'root'));
  await mkdir(path.dirname(layout.root), { recursive: true });
  await initDataRoot(layout, 5_000);
  const deps = { layout, settings };
  await createClient({ ...deps, station: 'PREP' }, 'M', 'M Ltd');
  const info = await createSession(
    deps,
    'M',
    [{ file: 'dhl.json', data: Buffer.from(JSON.stringify(LIST)) }],
    { station: 'PREP', worker: 'Ann' },
  );
  return { deps, ids: { client: 'M', session: info.session_id, list: 'dhl' } };
}

let n = 0;
/** One packer input, decided by the scan engine, appended durably, then applied (as a station does). */
async function pack(workspace: ListWorkspace, state: ScanState, text: string): Promise<string> {
  const id = `event-${++n}`;
  const { event } = decide(state, parseStationInput(text)!, {
    id,
    at: new Date().toISOString(),
    station: 'PACK-1',
    worker: 'Bo',
    skuLookup: new Map(),
    allowForceComplete: false,
  });
  if (!event) throw new Error(`${text} changed nothing`);
  await workspace.append(event);
  apply(state, event);
  return id;
}

describe('the list workspace', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (tmp = await tempDir()));
  afterAll(() => tmp.cleanup());

  it('recovers exactly what was appended, through a snapshot and a reopening', async () => {
    const { deps, ids } = await setup(path.join(tmp.dir, 'recover'));
    const first = await openList(deps, { ...ids, station: 'PACK-1', worker: 'Bo' });
    const { state } = await first.recover();
    await pack(first, state, '1');
    await pack(first, state, 'A');
    expect((await readListState(deps.layout, ids)).packed_items).toBe(1);
    await first.snapshot(state, new Date().toISOString());
    const last = await pack(first, state, 'A');
    expect(first.seq).toBe(3);
    await first.release();

    const again = await openList(deps, { ...ids, station: 'PACK-2', worker: 'Cy' });
    expect(again.epoch).toBe(first.epoch + 1);
    const recovered = await again.recover();
    expect(recovered.state.packed_items).toBe(2);
    expect(recovered.state.current).toBe(state.current);
    // The records after the snapshot are read, so a retried last scan is recognised.
    expect(recovered.eventIds.get(last)).toBe(3);
    expect(again.seq).toBe(3);
    await again.release({ completed: false });
    expect((await readListState(deps.layout, ids)).packed_items).toBe(2);
  });

  it("stops the holder's writes at a force release: what it was refused never counts", async () => {
    const { deps, ids } = await setup(path.join(tmp.dir, 'force'));
    const events: LeaseEvent[] = [];
    const holder = await openList(deps, { ...ids, station: 'PACK-1', worker: 'Bo' }, (e) => events.push(e));
    const { state } = await holder.recover();
    await pack(holder, state, '1');
    await pack(holder, state, 'A');

    const observed = await observeLease(deps.layout, ids, settings.locking.staleMs);
    expect(observed).toMatchObject({
      held: true,
      snapshot: { epoch: holder.epoch, record: { station: 'PACK-1' } },
    });
    const { epoch } = await forceReleaseList(
      deps.layout,
      ids,
      observed,
      { station: 'LEAD', worker: 'Lea', heartbeatMs: 100, ttlMs: 600 },
      'moved to another bench',
    );
    expect(epoch).toBe(holder.epoch + 1);

    await expect(pack(holder, state, 'A')).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await waitFor(() => events.some((e) => e.event === 'lost'), 'the holder to learn it lost the list');
    expect(events.find((e) => e.event === 'lost')).toMatchObject({
      reason: 'superseded',
      by: { kind: 'force_release', station: 'LEAD' },
    });
    expect((await readListState(deps.layout, ids)).packed_items).toBe(1);
    expect((await observeLease(deps.layout, ids, 600)).held).toBe(false);
    await holder.release();
  });
});
