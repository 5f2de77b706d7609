// Sessions, packing stations, reports, stats and live events through the HTTP API.
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Layout } from '../src/store/layout.js';
import { waitFor } from './helpers/wait.js';
import { apiServer, call, packingListJson, type ApiServer } from './e2e/api-server.js';

let api: ApiServer;
let session: string;
const req = (method: string, p: string, body?: unknown, headers?: Record<string, string>) =>
  call(api.url, method, p, body, headers);
const upload = (p: string, body: string | Uint8Array) =>
  req('POST', p, body, { 'content-type': 'application/octet-stream' });
let n = 0;
const scan = (station: string, text: string, eventId = `event-${++n}-${Date.now()}`) =>
  req('POST', `/api/stations/${station}/scan`, { text, event_id: eventId });

/** Collects server-sent events from /api/events. */
function listen(url: string): {
  events: Array<{ type: string; data: Record<string, unknown> }>;
  close(): void;
} {
  const events: Array<{ type: string; data: Record<string, unknown> }> = [];
  const { hostname, port } = new URL(url);
  const request = http.get({ host: hostname, port, path: '/api/events' }, (res) => {
    let buffer = '';
    res.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
      }
    });
  });
  request.on('error', () => {});
  return { events, close: () => request.destroy() };
}

beforeAll(async () => {
  api = await apiServer();
  await req('POST', '/api/clients', { client_id: 'SHOP', client_name: 'Shop' });
  await req('POST', '/api/clients/SHOP/mappings', { barcode: '4006381333931', sku: 'MUG-RED' });
});
afterAll(async () => api?.stop());

describe('sessions', () => {
  it('creates a session from an uploaded packing list and lists it', async () => {
    const list = packingListJson([
      { order_number: '#1', items: [{ sku: 'MUG-RED', quantity: 2 }] },
      { order_number: '#2', items: [{ sku: 'TEA', quantity: 1 }] },
    ]);
    const created = await upload('/api/clients/SHOP/sessions?filename=DHL.json&worker=Lead', list);
    expect(created.status).toBe(201);
    session = String(created.body.session_id);
    expect(created.body).toMatchObject({
      client_id: 'SHOP',
      created_by: { worker: 'Lead' },
      lists: [expect.objectContaining({ name: 'DHL' })],
    });
    const all = await req('GET', '/api/sessions');
    expect(all.body.sessions).toEqual([
      expect.objectContaining({
        client: 'SHOP',
        session,
        lists: [expect.objectContaining({ name: 'DHL', state: 'not_started' })],
      }),
    ]);
    expect((await req('GET', '/api/sessions?client=SHOP')).body.sessions).toHaveLength(1);
    expect((await req('GET', `/api/clients/SHOP/sessions/${session}`)).body).toMatchObject({
      session,
      lists: [expect.objectContaining({ orders_total: 2 })],
    });
  });

  it("takes a CSV packing list with the client's column names, checking every row at upload", async () => {
    const csv =
      'Order_Number,SKU,Product_Name,Quantity,Courier\n#7,MUG-RED,Mug,2,DHL\n#7,TEA,Tea,1,DHL\n#8,TEA,Tea,1,DHL\n';
    const created = await upload('/api/clients/SHOP/sessions?filename=DHL%20today.csv', csv);
    expect(created.status).toBe(201);
    expect(created.body.lists).toEqual([
      expect.objectContaining({ name: 'DHL_today', orders_total: 2, items_total: 4 }),
    ]);
    // The session keeps the upload itself as the list's source: the CSV as sent, under its own name.
    const sources = path.join(
      new Layout(api.root).sessionListsDir('SHOP', String(created.body.session_id)),
      'source',
    );
    expect(await readdir(sources)).toEqual(['DHL_today__DHL today.csv']);
    expect(await readFile(path.join(sources, 'DHL_today__DHL today.csv'), 'utf8')).toBe(csv);
    const bad = await upload(
      '/api/clients/SHOP/sessions?filename=bad.csv',
      'Order_Number,SKU,Product_Name,Quantity,Courier\n#9,MUG,Mug,lots,DHL\n',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/lots|Quantity/i);
  });

  it('refuses bad uploads, unknown clients and sessions, and path tricks', async () => {
    expect((await upload('/api/clients/SHOP/sessions?filename=list.exe', 'x')).status).toBe(400);
    expect((await upload('/api/clients/SHOP/sessions', 'x')).status).toBe(400);
    expect((await upload('/api/clients/SHOP/sessions?filename=empty.json', '')).status).toBe(400);
    expect(
      (
        await upload(
          '/api/clients/NOPE/sessions?filename=a.json',
          packingListJson([{ order_number: '1', items: [{ sku: 'A', quantity: 1 }] }]),
        )
      ).status,
    ).toBe(404);
    expect((await req('GET', '/api/clients/SHOP/sessions/2020-01-01_000000_x_0000')).status).toBe(404);
    expect((await req('GET', '/api/clients/SHOP/sessions/..%2F..%2FCLIENTS')).status).toBe(400);
    expect((await req('GET', '/api/sessions?client=..%2Fx')).status).toBe(400);
    // The uploaded name cannot place the list outside the session either.
    const sneaky = await upload(
      `/api/clients/SHOP/sessions?filename=${encodeURIComponent('../../../evil.json')}`,
      packingListJson([{ order_number: '1', items: [{ sku: 'A', quantity: 1 }] }]),
    );
    expect(sneaky.status).toBe(201);
    expect(sneaky.body.lists).toEqual([expect.objectContaining({ name: 'evil' })]);
  });
});

describe('packing stations', () => {
  it('opens a list, answers scans after they are saved, counts a retried scan once, and tells a second station who holds it', async () => {
    const live = listen(api.url);
    const opened = await req('POST', '/api/stations/PC-A/open', {
      client: 'SHOP',
      session,
      list: 'DHL',
      worker: 'Ann',
    });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      station: 'PC-A',
      worker: 'Ann',
      lease: { state: 'held', epoch: 1 },
      order: null,
      progress: { orders_total: 2, items_total: 3 },
    });

    expect((await scan('PC-A', '1')).body).toMatchObject({
      outcome: { kind: 'order_opened', order: '#1' },
      state: { order: { number: '#1' } },
    });
    const first = await scan('PC-A', '4006381333931', 'retried-scan-0001');
    expect(first.body).toMatchObject({ outcome: { kind: 'item_ok', packed: 1 } });
    const again = await scan('PC-A', '4006381333931', 'retried-scan-0001');
    expect(again.body).toMatchObject({
      outcome: { kind: 'item_ok', packed: 1 },
      state: { progress: { items_done: 1 } },
    });
    expect((await scan('PC-A', 'NOT-A-THING')).body).toMatchObject({ outcome: { kind: 'unknown_barcode' } });
    expect((await scan('PC-A', '!UNDO')).body).toMatchObject({
      outcome: { kind: 'undone' },
      state: { progress: { items_done: 0 } },
    });
    expect((await req('GET', '/api/stations/PC-A')).body).toMatchObject({
      order: { number: '#1', lines: [{ sku: 'MUG-RED', packed: 0, required: 2 }] },
    });
    expect((await req('GET', '/api/stations')).body.stations).toHaveLength(1);

    const second = await req('POST', '/api/stations/PC-B/open', {
      client: 'SHOP',
      session,
      list: 'DHL',
      worker: 'Bob',
    });
    expect(second.status).toBe(423);
    expect(second.body).toMatchObject({
      error: 'SESSION_LOCKED',
      holder: { station: 'PC-A', worker: 'Ann' },
      stale: false,
    });

    await waitFor(
      () => live.events.some((e) => e.type === 'station' && e.data.station === 'PC-A'),
      'a live station event',
    );
    live.close();
  });

  it('refuses bad station requests', async () => {
    expect((await scan('PC-Z', '1')).status).toBe(404);
    expect(
      (await req('POST', '/api/stations/..%2F..%2Fx/scan', { text: '1', event_id: 'abcdefgh1' })).status,
    ).toBe(400);
    expect((await req('POST', '/api/stations/PC-A/scan', { text: '1', event_id: 'short' })).status).toBe(400);
    expect((await req('POST', '/api/stations/PC-A/scan', { text: '', event_id: 'abcdefgh1' })).status).toBe(
      400,
    );
    expect(
      (await req('POST', '/api/stations/PC-A/scan', { text: 'x'.repeat(201), event_id: 'abcdefgh1' })).status,
    ).toBe(400);
    const open = (body: Record<string, unknown>) =>
      req('POST', '/api/stations/PC-C/open', { client: 'SHOP', session, list: 'DHL', worker: 'Cy', ...body });
    expect((await open({ client: 'nope' })).status).toBe(400);
    expect((await open({ client: 'NOPE' })).status).toBe(404);
    expect((await open({ list: '../DHL' })).status).toBe(400);
    const unknownList = await open({ list: 'UPS' });
    expect([400, 404]).toContain(unknownList.status);
    expect(unknownList.body.message).toMatch(/UPS/);
    expect((await open({ worker: '' })).status).toBe(400);
    expect((await open({ take_over: 'yes' })).status).toBe(400);
  });

  it('force release needs a confirmation and a reason, and the holder stops at once', async () => {
    const base = `/api/clients/SHOP/sessions/${session}/lists/DHL/release`;
    expect((await req('POST', base, { reason: 'x' })).status).toBe(400);
    expect((await req('POST', base, { confirm: true, reason: '  ' })).status).toBe(400);
    const live = listen(api.url);
    const released = await req('POST', `${base}?worker=Lead`, {
      confirm: true,
      reason: 'moving the station',
    });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({
      released_holder: { station: 'PC-A', worker: 'Ann' },
      reason: 'moving the station',
    });
    await waitFor(
      () =>
        live.events.some(
          (e) =>
            e.type === 'lease' &&
            e.data.station === 'PC-A' &&
            (e.data.lease as { type: string }).type === 'lost',
        ),
      'the holder to be told',
    );
    live.close();
    const refused = await scan('PC-A', '1');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('LEASE_LOST');
    expect((await req('GET', '/api/stations/PC-A')).body).toMatchObject({ lease: { state: 'lost' } });
    expect((await req('POST', base, { confirm: true, reason: 'again' })).status).toBe(409);
  });

  it('resumes at another station, ends the list, and serves its reports and stats', async () => {
    const opened = await req('POST', '/api/stations/PC-B/open', {
      client: 'SHOP',
      session,
      list: 'DHL',
      worker: 'Bob',
    });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ order: { number: '#1' }, lease: { epoch: 3 } });
    await scan('PC-B', 'MUG-RED');
    expect((await scan('PC-B', 'MUG-RED')).body).toMatchObject({ outcome: { kind: 'order_complete' } });
    await scan('PC-B', '2');
    expect((await scan('PC-B', 'TEA')).body).toMatchObject({
      outcome: { kind: 'order_complete' },
      state: { progress: { orders_done: 2 } },
    });
    const ended = await scan('PC-B', '!END');
    expect(ended.body).toMatchObject({ outcome: { kind: 'ended' }, state: { lease: { state: 'released' } } });

    const summary = await req('GET', `/api/clients/SHOP/sessions/${session}/lists/DHL/report?file=summary`);
    expect(summary.status).toBe(200);
    expect(summary.headers.get('content-disposition')).toMatch(/attachment/);
    expect(summary.body).toMatchObject({ status: 'completed', orders_completed: 2, items_packed: 3 });
    const xlsx = await fetch(`${api.url}/api/clients/SHOP/sessions/${session}/lists/DHL/report`);
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    expect([400, 404]).toContain(
      (await req('GET', `/api/clients/SHOP/sessions/${session}/lists/NOPE/report`)).status,
    );

    const stats = await req('GET', '/api/stats?client=SHOP');
    expect(stats.body).toMatchObject({
      report: { by_worker: { Bob: expect.objectContaining({ orders_completed: 2 }) } },
    });
    expect((stats.body.records as unknown[]).length).toBeGreaterThan(0);
    expect((await req('GET', '/api/stats?from=yesterday')).status).toBe(400);
    expect((await req('GET', '/api/sessions?client=SHOP')).body.sessions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ session, lists: [expect.objectContaining({ state: 'completed' })] }),
      ]),
    );
  });
});

describe('archiving a session', () => {
  it('hides it from the list until asked for, keeps every file, refuses while a station packs it, and brings it back', async () => {
    const created = await upload(
      '/api/clients/SHOP/sessions?filename=UPS.json&worker=Lead',
      packingListJson([{ order_number: '#51', items: [{ sku: 'TEA', quantity: 1 }] }]),
    );
    const id = String(created.body.session_id);
    const archive = (archived: unknown) =>
      req('POST', `/api/clients/SHOP/sessions/${id}/archive`, { archived, worker: 'Lead' });
    const listed = async (q = '') =>
      (
        (await req('GET', `/api/sessions?client=SHOP${q}`)).body.sessions as Array<Record<string, unknown>>
      ).find((s) => s.session === id);

    // A station is packing its list: archiving it is refused with the list and the station named.
    expect(
      (
        await req('POST', '/api/stations/PC-D/open', {
          client: 'SHOP',
          session: id,
          list: 'UPS',
          worker: 'Di',
        })
      ).status,
    ).toBe(200);
    const refused = await archive(true);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/UPS.*PC-D.*Di/);
    expect(await listed()).toBeDefined();
    await req('POST', '/api/stations/PC-D/close');

    expect((await archive('yes')).status).toBe(400);
    const live = listen(api.url);
    const done = await archive(true);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      session: id,
      archived: true,
      changed: true,
      by: { worker: 'Lead', station: 'API-TEST' },
    });
    await waitFor(
      () => live.events.some((e) => e.type === 'sessions_changed' && e.data.client === 'SHOP'),
      'the session browsers to be told',
    );
    live.close();
    expect(await listed()).toBeUndefined();
    expect(await listed('&archived=1')).toMatchObject({ archived: true, lists: [{ name: 'UPS' }] });
    expect((await req('GET', `/api/clients/SHOP/sessions/${id}`)).body).toMatchObject({ archived: true });
    // Nothing is deleted: the list, its journal and the session's folder are all where they were.
    const folder = path.join(api.root, 'SESSIONS', 'CLIENT_SHOP', id);
    expect(await readdir(path.join(folder, 'packing_lists'))).toContain('UPS.json');
    expect(await readdir(path.join(folder, 'packing', 'UPS'))).toContain('journal');
    expect((await archive(true)).body).toMatchObject({ archived: true, changed: false });

    const back = await archive(false);
    expect(back.body).toMatchObject({ archived: false, changed: true });
    expect(await listed()).toMatchObject({ session: id, lists: [{ name: 'UPS', state: 'paused' }] });
    expect((await listed())!.archived).toBeUndefined();
    expect(
      (await req('POST', '/api/clients/SHOP/sessions/2020-01-01_000000_x_0000/archive', { archived: true }))
        .status,
    ).toBe(404);
  });
});
