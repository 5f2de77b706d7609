// Who may call the API: loopback needs nothing; off loopback the station key is required; pages of
// other origins are refused on any address; a loopback server only answers to local host names.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, call, rawGet, rawRequest, type ApiServer } from './e2e/api-server.js';

const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('a server on 127.0.0.1', () => {
  let api: ApiServer;
  beforeAll(async () => {
    api = await apiServer();
  });
  afterAll(async () => api?.stop());

  it('answers this PC without a key', async () => {
    expect((await call(api.url, 'GET', '/api/clients')).status).toBe(200);
  });

  it('refuses requests from another origin, even on loopback', async () => {
    const port = new URL(api.url).port;
    const evil = await call(
      api.url,
      'POST',
      '/api/clients',
      { client_id: 'EVIL', client_name: 'x' },
      { origin: 'http://evil.example' },
    );
    expect(evil.status).toBe(403);
    expect(evil.body.error).toBe('FORBIDDEN_ORIGIN');
    expect((await call(api.url, 'GET', '/api/clients', undefined, { origin: 'null' })).status).toBe(403);
    expect((await call(api.url, 'GET', '/api/clients')).body.clients).toEqual([]);
    const own = await call(api.url, 'GET', '/api/clients', undefined, { origin: `http://127.0.0.1:${port}` });
    expect(own.status).toBe(200);
  });

  it('refuses a Host name that is not this PC (DNS rebinding)', async () => {
    const port = new URL(api.url).port;
    const answer = await rawGet(api.url, '/api/clients', { host: `evil.example:${port}` });
    expect(answer.status).toBe(403);
    expect((await rawGet(api.url, '/api/clients', { host: `localhost:${port}` })).status).toBe(200);
  });
});

describe.skipIf(!lanAddress)('a server on the warehouse network', () => {
  let api: ApiServer;
  let lanUrl: string;
  beforeAll(async () => {
    api = await apiServer({ host: '0.0.0.0', stationKey: 'k3y-for-tests-only' });
    lanUrl = `http://${lanAddress}:${new URL(api.url).port}`;
  });
  afterAll(async () => api?.stop());

  it('refuses to start without a station key', async () => {
    await expect(apiServer({ host: '0.0.0.0', stationKey: null })).rejects.toThrow(/station key/);
  });

  it('requires the key from other machines, by header or by the cookie its login link sets', async () => {
    const without = await call(lanUrl, 'GET', '/api/clients');
    expect(without.status).toBe(401);
    expect(without.body.error).toBe('STATION_KEY_REQUIRED');
    expect((await call(lanUrl, 'GET', '/api/clients', undefined, { 'x-packdesk-key': 'wrong' })).status).toBe(
      401,
    );
    expect(
      (await call(lanUrl, 'GET', '/api/clients', undefined, { 'x-packdesk-key': 'k3y-for-tests-only' }))
        .status,
    ).toBe(200);
    // The page itself is not served without the key either.
    expect((await fetch(`${lanUrl}/`)).status).toBe(401);

    const login = await fetch(`${lanUrl}/?key=k3y-for-tests-only`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await call(lanUrl, 'GET', '/api/clients', undefined, {
      cookie: cookie.split(';')[0]!,
    });
    expect(withCookie.status).toBe(200);
    expect((await fetch(`${lanUrl}/?key=guess`, { redirect: 'manual' })).status).toBe(401);
  });

  it('checks Origin off loopback too, even with the key', async () => {
    const answer = await call(
      lanUrl,
      'POST',
      '/api/clients',
      { client_id: 'X', client_name: 'x' },
      { 'x-packdesk-key': 'k3y-for-tests-only', origin: 'http://evil.example' },
    );
    expect(answer.status).toBe(403);
  });

  it('still answers this PC without a key', async () => {
    expect((await call(api.url.replace('0.0.0.0', '127.0.0.1'), 'GET', '/api/clients')).status).toBe(200);
  });
});

describe('a hub started with a station key, called from a browser on the hub PC', () => {
  let api: ApiServer;
  let url: string;
  beforeAll(async () => {
    api = await apiServer({ host: '0.0.0.0', stationKey: 'k3y-for-tests-only' });
    url = api.url.replace('0.0.0.0', '127.0.0.1');
  });
  afterAll(async () => api?.stop());

  it('refuses a hostile name rebound to 127.0.0.1, with or without a matching Origin (DNS rebinding)', async () => {
    const port = new URL(url).port;
    const forged = await rawRequest(
      url,
      'POST',
      '/api/clients',
      JSON.stringify({ client_id: 'EVIL', client_name: 'x' }),
      {
        host: `evil.example:${port}`,
        origin: `http://evil.example:${port}`,
        'content-type': 'application/json',
      },
    );
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.text).error).toBe('FORBIDDEN_HOST');
    expect((await rawGet(url, '/api/clients', { host: `evil.example:${port}` })).status).toBe(403);
    // The address and the PC's own name still work.
    expect((await rawGet(url, '/api/clients', { host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await rawGet(url, '/api/clients', { host: `${os.hostname()}:${port}` })).status).toBe(200);
    expect((await call(url, 'GET', '/api/clients')).body.clients).toEqual([]);
  });

  it('checks the Origin scheme too', async () => {
    const port = new URL(url).port;
    const answer = await rawGet(url, '/api/clients', {
      host: `127.0.0.1:${port}`,
      origin: `https://127.0.0.1:${port}`,
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text).error).toBe('FORBIDDEN_ORIGIN');
  });

  it.skipIf(!lanAddress)('answers a malformed key cookie with 401, not a server error', async () => {
    const lanUrl = `http://${lanAddress}:${new URL(url).port}`;
    const answer = await call(lanUrl, 'GET', '/api/clients', undefined, { cookie: 'packdesk_key=%E0%A4%A' });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('STATION_KEY_REQUIRED');
  });
});
