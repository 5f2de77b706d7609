// The API contract (src/contract/) is what the server sends: every route the server has is in the
// contract's table and the other way round, and while tests run every answer, error body and live
// event is checked against its schema, so a change of shape fails the tests loudly instead of reaching
// a browser. In production (no PACKDESK_CHECK_CONTRACT) nothing is checked.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialiseDataFolder } from '../src/app/setup.js';
import { API_ROUTES, EVENTS, type RouteName } from '../src/contract/routes.js';
import { LiveEventSchema } from '../src/contract/live-events.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings.js';
import { LiveHub } from '../src/server/live.js';
import { serverRouteGroups } from '../src/server/route-groups.js';
import type { Router } from '../src/server/router.js';
import { startServer, type RunningServer } from '../src/server/server.js';
import { Layout } from '../src/store/layout.js';
import { call } from './e2e/api-server.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'packdesk-contract-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A server with the real routes, plus `extra` registered first (so it answers in their place). */
async function server(
  name: string,
  options: { checkContract?: boolean; extra?: (router: Router) => void } = {},
): Promise<RunningServer> {
  const settings = structuredClone(DEFAULT_SETTINGS);
  const layout = new Layout(path.join(dir, name));
  await initialiseDataFolder(layout, settings);
  return startServer({
    layout,
    settings,
    station: 'CONTRACT',
    logger: pino({ level: 'silent' }),
    host: '127.0.0.1',
    port: 0,
    ...(options.checkContract === undefined ? {} : { checkContract: options.checkContract }),
    routes: [...(options.extra ? [(router: Router) => options.extra!(router)] : []), ...serverRouteGroups()],
  });
}

/** A route of the stations group answering a view with a field of the wrong type. */
function offContract(router: Router): void {
  const broken = async () => ({ json: { stations: [{ station: 7 }] } });
  // Deliberately past the type check: the point is what happens at run time when a shape drifts.
  router.get('/api/stations', broken as unknown as Parameters<Router['get']>[1]);
}

describe('the API contract', () => {
  it('is checked in every test run (and in every server a test starts)', () => {
    expect(process.env.PACKDESK_CHECK_CONTRACT).toBe('1');
  });

  it('is served route by route (and the router takes no route the contract does not name)', async () => {
    const s = await server('routes');
    try {
      for (const route of Object.keys(API_ROUTES) as RouteName[]) {
        const [method, pattern] = route.split(' ') as [string, string];
        const url = pattern.replaceAll(/:[a-z]+/g, 'X');
        if (API_ROUTES[route] === EVENTS) {
          // The live stream never ends: its headers say it is there.
          const stop = new AbortController();
          const res = await fetch(`${s.url}${url}`, { signal: stop.signal });
          expect(res.headers.get('content-type'), route).toMatch(/^text\/event-stream/);
          stop.abort();
          continue;
        }
        const answer = await call(s.url, method, url);
        expect(answer.body.error, route).not.toBe('NO_SUCH_ENDPOINT');
        expect(answer.body.error, route).not.toBe('METHOD_NOT_ALLOWED');
      }
      // And a route the contract does not name does not exist.
      expect((await call(s.url, 'GET', '/api/nothing-here')).body.error).toBe('NO_SUCH_ENDPOINT');
    } finally {
      await s.close();
    }
  });

  it('turns an answer that breaks its schema into a loud 500 naming the route and the field', async () => {
    const s = await server('breach', { extra: offContract });
    try {
      const answer = await call(s.url, 'GET', '/api/stations');
      expect(answer.status).toBe(500);
      expect(answer.body.error).toBe('INTERNAL');
      expect(answer.body.message).toMatch(
        /The answer of GET \/api\/stations does not match the API contract/,
      );
      expect(answer.body.message).toMatch(/stations\.0\.station/);
    } finally {
      await s.close();
    }
  });

  it('sends the answer as it is where nothing is checked (production)', async () => {
    const s = await server('production', { checkContract: false, extra: offContract });
    try {
      const answer = await call(s.url, 'GET', '/api/stations');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ stations: [{ station: 7 }] });
    } finally {
      await s.close();
    }
  });

  it('checks error bodies and live events too', async () => {
    const s = await server('errors');
    try {
      // A refused request's body is the contract's error body (code from the one list, message).
      const refused = await call(s.url, 'GET', '/api/clients/bad..id');
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'VALIDATION', message: expect.any(String) });
    } finally {
      await s.close();
    }
    const checked = new LiveHub({ checkContract: true });
    try {
      expect(() =>
        checked.publish({ type: 'mappings_changed', client: 'SHOP', revision: 'two' } as never),
      ).toThrow(/A live event does not match the API contract.*revision/);
      expect(() => checked.publish({ type: 'mappings_changed', client: 'SHOP', revision: 2 })).not.toThrow();
    } finally {
      checked.close();
    }
    expect(LiveEventSchema.safeParse({ type: 'station', station: 'PC1', view: {} }).success).toBe(false);
  });
});
