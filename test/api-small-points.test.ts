// Smaller ways a hostile or clumsy input went wrong: a reserved Windows name as a station, the key
// "__proto__" as a barcode or a courier, a GET that wrote to the share, terminal escape codes from a product name.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, call, packingListJson, type ApiServer } from './e2e/api-server.js';
import { runCli, tempDir } from './helpers/cli.js';
import { setUpPacking } from './helpers/packing-session.js';

let api: ApiServer;
const req = (method: string, p: string, body?: unknown, headers?: Record<string, string>) =>
  call(api.url, method, p, body, headers);
let session: string;
beforeAll(async () => {
  api = await apiServer();
  await req('POST', '/api/clients', { client_id: 'SHOP', client_name: 'Shop' });
  const list = packingListJson([{ order_number: '1', items: [{ sku: 'A', quantity: 1 }] }]);
  session = (
    await req('POST', '/api/clients/SHOP/sessions?filename=DHL.json', list, {
      'content-type': 'application/octet-stream',
    })
  ).body.session_id as string;
});
afterAll(async () => api?.stop());

describe('small points', () => {
  it('refuses station names Windows cannot hold', async () => {
    for (const name of ['CON', 'nul', 'COM1', 'a.'])
      expect((await req('GET', `/api/stations/${name}`)).status, name).toBe(400);
    expect((await req('GET', '/api/stations/PACK-1')).status).toBe(404);
  });

  it('refuses "__proto__" as a barcode or SKU instead of answering 201 and dropping it', async () => {
    const answer = await req('POST', '/api/clients/SHOP/mappings', { barcode: '__proto__', sku: 'A' });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/__proto__/);
    expect(
      (await req('POST', '/api/clients/SHOP/mappings', { barcode: '123', sku: '__proto__' })).status,
    ).toBe(400);
  });

  it('refuses "__proto__" as a courier instead of answering 200 and dropping its deadline', async () => {
    // Sent as text: a JavaScript object literal would take "__proto__" as its prototype, not a key.
    const body = '{"courier_deadlines":{"DPD":"14:00","__proto__":"15:00"}}';
    const json = { 'content-type': 'application/json' };
    const answer = await req('PUT', '/api/clients/SHOP/settings', body, json);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/__proto__/);
    const kept = await req(
      'PUT',
      '/api/clients/SHOP/settings',
      '{"courier_deadlines":{"DPD":"14:00"}}',
      json,
    );
    expect(kept.status).toBe(200);
    expect(kept.body.courier_deadlines).toEqual({ DPD: '14:00' });
  });

  it('downloads the report of a list not ended yet without writing anything to the share', async () => {
    const answer = await fetch(
      `${api.url}/api/clients/SHOP/sessions/${session}/lists/DHL/report?file=summary`,
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(await answer.text())).toMatchObject({ orders_total: 1 });
    const output = path.join(api.root, 'SESSIONS', 'CLIENT_SHOP', session, 'output', 'DHL');
    await expect(fs.readdir(output)).rejects.toThrow(/ENOENT/);
  });

  it('shows terminal escape codes from a product name as "?" in packdesk pack', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const setup = await setUpPacking(dir, path.join(dir, 'root'), { '#1': [['A-1', 1]] });
      const listFile = path.join(
        setup.root,
        'SESSIONS',
        'CLIENT_ACME',
        setup.session,
        'packing_lists',
        'DHL.json',
      );
      const list = JSON.parse(await fs.readFile(listFile, 'utf8'));
      list.orders[0].items[0].product_name = 'Mug \u001b[2J\u001b]0;owned\u0007';
      await fs.writeFile(listFile, JSON.stringify(list));
      const run = await runCli(
        [
          'pack',
          'ACME',
          setup.session,
          '--root',
          setup.root,
          '--config',
          setup.config,
          '--station',
          'S1',
          '--worker',
          'Ann\u001b[31m',
        ],
        { input: '1\n' },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.includes('\u001b') || run.stdout.includes('\u0007')).toBe(false);
      expect(run.stdout).toMatch(/Ann\?\[31m/);
    } finally {
      await cleanup();
    }
  });
});

describe('uploads', () => {
  it('take a file type, never a form post or plain text another web page could send', async () => {
    const list = packingListJson([{ order_number: '9', items: [{ sku: 'B', quantity: 1 }] }]);
    for (const type of [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain',
    ]) {
      const answer = await req('POST', '/api/clients/SHOP/sessions?filename=UPS.json', list, {
        'content-type': type,
      });
      expect(answer.status, type).toBe(415);
    }
    const ok = await req('POST', '/api/clients/SHOP/sessions?filename=UPS.json', list, {
      'content-type': 'application/json',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });
});
