// Workers through the API: add with and without a PIN, duplicates refused, PIN checked, never shown.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, call, packingListJson, type ApiServer } from './e2e/api-server.js';

let api: ApiServer;
const req = (method: string, p: string, body?: unknown) => call(api.url, method, p, body);
beforeAll(async () => {
  api = await apiServer();
});
afterAll(async () => api?.stop());

describe('workers', () => {
  it('starts empty, adds workers, refuses duplicates and bad PINs', async () => {
    expect((await req('GET', '/api/workers')).body).toEqual({ workers: [] });
    const ann = await req('POST', '/api/workers', { name: 'Ann', pin: '4321' });
    expect(ann.status).toBe(201);
    expect(ann.body).toEqual(expect.objectContaining({ id: 'W001', name: 'Ann', has_pin: true }));
    expect((await req('POST', '/api/workers', { name: 'Bob' })).body).toMatchObject({
      id: 'W002',
      has_pin: false,
    });
    const dup = await req('POST', '/api/workers', { name: '  ann ' });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toMatch(/already a worker called ann/i);
    for (const bad of [
      { name: '' },
      { name: 'Cy', pin: '12' },
      { name: 'Cy', pin: 'abcd' },
      { name: 'x'.repeat(61) },
      { pin: '1234' },
    ]) {
      expect((await req('POST', '/api/workers', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    const list = (await req('GET', '/api/workers')).body.workers as Array<Record<string, unknown>>;
    expect(list.map((w) => w.name)).toEqual(['Ann', 'Bob']);
    expect(JSON.stringify(list)).not.toMatch(/pin_hash|4321/);
  });

  it('checks the PIN before a worker starts, and stores only a hash', async () => {
    expect((await req('POST', '/api/workers/W001/check', { pin: '4321' })).status).toBe(200);
    expect((await req('POST', '/api/workers/W001/check', { pin: '0000' })).status).toBe(400);
    expect((await req('POST', '/api/workers/W001/check', {})).status).toBe(400);
    expect((await req('POST', '/api/workers/W002/check', {})).status).toBe(200);
    expect((await req('POST', '/api/workers/W999/check', {})).status).toBe(404);
    expect((await req('POST', '/api/workers/..%2Fx/check', {})).status).toBe(400);
    const stored = await readFile(path.join(api.root, 'WORKERS', 'workers.json'), 'utf8');
    expect(stored).not.toMatch(/"4321"/);
    expect(stored).toMatch(/"pin_hash": "[0-9a-f]{32}:[0-9a-f]{64}"/);
  });
});

describe('PINs where a worker is named', () => {
  let session: string;
  const open = (station: string, body: Record<string, unknown>) =>
    req('POST', `/api/stations/${station}/open`, { client: 'PINS', session, list: 'DHL', ...body });
  beforeAll(async () => {
    await req('POST', '/api/clients', { client_id: 'PINS', client_name: 'Pins' });
    const list = packingListJson([{ order_number: '1', items: [{ sku: 'A', quantity: 1 }] }]);
    const created = await call(api.url, 'POST', '/api/clients/PINS/sessions?filename=DHL.json', list, {
      'content-type': 'application/octet-stream',
    });
    session = created.body.session_id as string;
  });

  it('opening a list as a worker with a PIN needs the PIN or the pass a PIN check gave; any spelling of the name counts', async () => {
    for (const worker of ['Ann', ' ann ', 'ANN']) {
      const refused = await open('S1', { worker });
      expect(refused.status, worker).toBe(400);
      expect(refused.body).toMatchObject({ error: 'VALIDATION', field: 'pin' });
    }
    expect((await open('S1', { worker: 'Ann', pin: '0000' })).status).toBe(400);
    const checked = await req('POST', '/api/workers/W001/check', { pin: '4321' });
    const opened = await open('S1', { worker: 'Ann', worker_pass: checked.body.pass });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body).toMatchObject({ worker: 'Ann', lease: { state: 'held' } });
    // A pass is for its own worker only, and a forged one is nothing.
    expect((await open('S2', { worker: 'Ann', worker_pass: `${checked.body.pass}x` })).status).toBe(400);
    await req('POST', '/api/stations/S1/close');
    expect((await open('S1', { worker: 'Ann', pin: '4321' })).status).toBe(200);
    await req('POST', '/api/stations/S1/close');
    // Bob has no PIN, and a name nobody registered needs none.
    expect((await open('S1', { worker: 'Bob' })).status).toBe(200);
    await req('POST', '/api/stations/S1/close');
  });

  it('locks a worker after 5 wrong PINs, even for the right one, until a shift lead unlocks it', async () => {
    await req('POST', '/api/workers', { name: 'Dora', pin: '2468' });
    const dora = ((await req('GET', '/api/workers')).body.workers as { id: string; name: string }[]).find(
      (w) => w.name === 'Dora',
    )!;
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push((await req('POST', `/api/workers/${dora.id}/check`, { pin: `000${i}` })).body);
    expect(answers[0]).toMatchObject({ tries_left: 4 });
    expect(answers[4]!.message).toMatch(/now locked/);
    const locked = await req('POST', `/api/workers/${dora.id}/check`, { pin: '2468' });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('LOCKED_OUT');
    expect((await open('S3', { worker: 'Dora', pin: '2468' })).status).toBe(429);
    expect((await req('POST', `/api/workers/${dora.id}/unlock`)).status).toBe(200);
    expect((await req('POST', `/api/workers/${dora.id}/check`, { pin: '2468' })).status).toBe(200);
  });

  it('locks a device that guesses across many workers', async () => {
    const ids: string[] = [];
    for (let w = 0; w < 5; w++) {
      const made = await req('POST', '/api/workers', { name: `Guess${w}`, pin: '1357' });
      ids.push(made.body.id as string);
    }
    // 4 workers × 4 wrong PINs stays under each worker's limit, but not under the device's (20)...
    let status = 0;
    for (let round = 0; round < 5 && status !== 429; round++)
      for (const id of ids.slice(0, 4)) {
        status = (await req('POST', `/api/workers/${id}/check`, { pin: '9999' })).status;
        if (status === 429) break;
      }
    // ...so even the right PIN of a fifth worker is refused from here.
    const fifth = await req('POST', `/api/workers/${ids[4]}/check`, { pin: '1357' });
    expect(fifth.status).toBe(429);
    expect(fifth.body.message).toMatch(/from this device/);
    await req('POST', `/api/workers/${ids[4]}/unlock`);
    expect((await req('POST', `/api/workers/${ids[4]}/check`, { pin: '1357' })).status).toBe(200);
  });
});
