// The clients and mappings endpoints: every route with good and bad payloads, unknown ids, path
// tricks and oversized bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, call, rawGet, type ApiServer } from './e2e/api-server.js';

let api: ApiServer;
const req = (method: string, p: string, body?: unknown, headers?: Record<string, string>) =>
  call(api.url, method, p, body, headers);

beforeAll(async () => {
  api = await apiServer();
});
afterAll(async () => api?.stop());

describe('clients', () => {
  it('creates, lists and shows a client', async () => {
    const created = await req('POST', '/api/clients', { client_id: 'ACME', client_name: 'Acme Ltd' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ client_id: 'ACME', client_name: 'Acme Ltd' });
    const list = await req('GET', '/api/clients');
    expect(list.body.clients).toEqual([
      expect.objectContaining({ client_id: 'ACME', client_name: 'Acme Ltd' }),
    ]);
    const shown = await req('GET', '/api/clients/ACME');
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ config: { client_id: 'ACME' }, mappings: { count: 0 } });
  });

  it('refuses a duplicate with 409 and bad payloads with 400 naming the problem', async () => {
    expect((await req('POST', '/api/clients', { client_id: 'ACME', client_name: 'Again' })).status).toBe(409);
    const cases: Array<[unknown, RegExp]> = [
      [{ client_name: 'No id' }, /client_id/],
      [{ client_id: 'acme', client_name: 'Lower' }, /capital letters/],
      [{ client_id: 'CLIENT_X', client_name: 'Prefix' }, /CLIENT_/],
      [{ client_id: 'CON', client_name: 'Reserved' }, /reserved/],
      [{ client_id: 'TOOLONGID12', client_name: 'Long' }, /too long/],
      [{ client_id: 'OK', client_name: 'x', extra: true }, /extra/i],
      [[1, 2], /expected object/i],
    ];
    for (const [payload, message] of cases) {
      const answer = await req('POST', '/api/clients', payload);
      expect(answer.status, JSON.stringify(payload)).toBe(400);
      expect(answer.body.error).toBe('VALIDATION');
      expect(String(answer.body.message)).toMatch(message);
    }
    const broken = await req('POST', '/api/clients', '{"client_id": "X",', {
      'content-type': 'application/json',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/not valid JSON/);
    // A form post (what another web page could send) is not taken as JSON.
    const form = await req('POST', '/api/clients', 'client_id=EVIL&client_name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
  });

  it('answers 404 for unknown clients and endpoints, 405 for a wrong method', async () => {
    expect((await req('GET', '/api/clients/NOPE')).status).toBe(404);
    expect((await req('GET', '/api/clients/NOPE/mappings')).status).toBe(404);
    expect((await req('GET', '/api/nothing-here')).body.error).toBe('NO_SUCH_ENDPOINT');
    expect((await req('DELETE', '/api/clients')).status).toBe(405);
  });

  it('changes settings, refusing invalid values', async () => {
    const ok = await req('PUT', '/api/clients/ACME/settings', {
      courier_deadlines: { DHL: '16:30' },
      packing_rules: { allow_force_complete: true },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      courier_deadlines: { DHL: '16:30' },
      packing_rules: { allow_force_complete: true },
      updated_by: 'API-TEST',
    });
    expect((await req('GET', '/api/clients/ACME')).body).toMatchObject({
      config: { courier_deadlines: { DHL: '16:30' } },
    });
    for (const bad of [
      { courier_deadlines: { DHL: '25:00' } },
      {},
      { client_id: 'OTHER' },
      { packing_rules: { allow_force_complete: 'yes' } },
    ]) {
      const answer = await req('PUT', '/api/clients/ACME/settings', bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await req('PUT', '/api/clients/NOPE/settings', { client_name: 'x' })).status).toBe(404);
  });
});

describe('mappings', () => {
  it('adds, searches, deletes', async () => {
    const added = await req('POST', '/api/clients/ACME/mappings', {
      barcode: '4006381333931',
      sku: 'MUG-RED',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ changed: true, barcode: '4006381333931', sku: 'MUG-RED' });
    await req('POST', '/api/clients/ACME/mappings', { barcode: '5901234123457', sku: 'TEA-GREEN' });
    const same = await req('POST', '/api/clients/ACME/mappings', {
      barcode: '4006381333931',
      sku: 'MUG-RED',
    });
    expect(same.status).toBe(200);
    const found = await req('GET', '/api/clients/ACME/mappings?q=tea-green');
    expect(found.body).toMatchObject({ count: 1, total: 2, mappings: { '5901234123457': 'TEA-GREEN' } });
    const gone = await req('DELETE', '/api/clients/ACME/mappings/5901234123457');
    expect(gone.body).toMatchObject({ changed: true });
    expect((await req('GET', '/api/clients/ACME/mappings')).body).toMatchObject({ count: 1 });
  });

  it('refuses bad mappings', async () => {
    for (const bad of [
      { barcode: '', sku: 'X' },
      { barcode: 'X' },
      { barcode: 'A'.repeat(101), sku: 'X' },
      { barcode: 1, sku: 'X' },
    ]) {
      expect((await req('POST', '/api/clients/ACME/mappings', bad)).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('imports a CSV all-or-nothing and exports CSV and Excel', async () => {
    const good = await req(
      'POST',
      '/api/clients/ACME/mappings/import?filename=supplier.csv',
      'barcode,sku\n111,A-1\n222,B-2\n',
      { 'content-type': 'text/csv' },
    );
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ added: 2, file: 'supplier.csv' });
    const bad = await req(
      'POST',
      '/api/clients/ACME/mappings/import?filename=bad.csv',
      'barcode,sku\n333,C-3\n333,D-4\n',
      { 'content-type': 'text/csv' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/row 3/);
    expect((await req('GET', '/api/clients/ACME/mappings?q=D-4')).body).toMatchObject({ count: 0 });
    const exe = await req('POST', '/api/clients/ACME/mappings/import?filename=run.exe', 'MZ', {
      'content-type': 'application/octet-stream',
    });
    expect(exe.status).toBe(400);

    const csv = await fetch(`${api.url}/api/clients/ACME/mappings/export?format=csv`);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="sku_mapping_ACME.csv"/);
    expect(await csv.text()).toMatch(/^barcode,sku\n111,A-1\n222,B-2\n4006381333931,MUG-RED\n$/);
    const xlsx = await fetch(`${api.url}/api/clients/ACME/mappings/export?format=xlsx`);
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('requests that try to escape or overload', () => {
  it('never turns URL tricks into paths', async () => {
    for (const p of [
      '/api/clients/..%2F..%2Fetc/mappings',
      '/api/clients/%2e%2e/mappings',
      '/api/clients/ACME%2F..%2F..%2F..%2Ftmp/mappings',
      '/api/clients/ACME%00/mappings',
      '/api/clients/%E0%A4%A/mappings',
    ]) {
      // Either the id is refused (400), or the URL's own dot segments resolved to no endpoint (404).
      const answer = await rawGet(api.url, p);
      expect([400, 404], p).toContain(answer.status);
      expect(['VALIDATION', 'NO_SUCH_ENDPOINT']).toContain(JSON.parse(answer.text).error);
    }
    const del = await req('DELETE', '/api/clients/ACME/mappings/..%2F..%2Fconfig.json');
    expect([400, 404]).toContain(del.status);
    expect((await req('GET', '/api/clients/ACME')).status).toBe(200);
    // Static files: nothing outside the web app's folder.
    for (const p of [
      '/../../package.json',
      '/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/assets/..%2F..%2F..%2F..%2Fpackage.json',
      '/..%5c..%5c..%5cpackage.json',
    ]) {
      const { text } = await rawGet(api.url, p);
      expect(text, p).not.toMatch(/"devDependencies"/);
    }
  });

  it('refuses oversized bodies with 413 before reading them', async () => {
    const big = JSON.stringify({ client_id: 'BIG', client_name: 'x'.repeat(300 * 1024) });
    const answer = await req('POST', '/api/clients', big, { 'content-type': 'application/json' });
    expect(answer.status).toBe(413);
    const upload = Buffer.alloc(26 * 1024 * 1024, 0x41);
    const res = await fetch(`${api.url}/api/clients/ACME/mappings/import?filename=huge.csv`, {
      method: 'POST',
      body: upload,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(413);
    expect((await req('GET', '/api/clients')).status).toBe(200);
  });
});
