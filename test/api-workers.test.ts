// Workers through the API: add with and without a PIN, duplicates refused, PIN checked, never shown.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, call, type ApiServer } from './e2e/api-server.js';

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
