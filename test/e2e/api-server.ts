// An in-process packdesk server on a temp data folder for the API tests, with fast leases.
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { initialiseDataFolder } from '../../src/app/setup.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/domain/settings.js';
import { serverRouteGroups } from '../../src/server/route-groups.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { Layout } from '../../src/store/layout.js';

export interface ApiServer {
  server: RunningServer;
  url: string;
  root: string;
  stop(): Promise<void>;
}

export async function apiServer(
  options: { host?: string; stationKey?: string | null } = {},
): Promise<ApiServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'packdesk-api-'));
  const settings: Settings = structuredClone(DEFAULT_SETTINGS);
  settings.locking = { heartbeatMs: 500, staleMs: 3_000 };
  const layout = new Layout(path.join(dir, 'data'));
  await initialiseDataFolder(layout, settings);
  const server = await startServer({
    layout,
    settings,
    station: 'API-TEST',
    logger: pino({ level: 'silent' }),
    host: options.host ?? '127.0.0.1',
    port: 0,
    stationKey: options.stationKey ?? null,
    routes: serverRouteGroups(),
  });
  return {
    server,
    url: server.url,
    root: layout.root,
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export async function call(
  url: string,
  method: string,
  p: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) init.body = body;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
  }
  const res = await fetch(`${url}${p}`, init);
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export function packingListJson(
  orders: Array<{ order_number: string; items: Array<{ sku: string; quantity: number }> }>,
): string {
  const now = new Date().toISOString();
  return JSON.stringify({
    format_version: 1,
    list_name: 'DHL',
    created_at: now,
    source: { format: 'packdesk-json', file: 'DHL.json', imported_at: now },
    orders: orders.map((o) => ({
      order_number: o.order_number,
      courier: 'DHL',
      items: o.items.map((i) => ({ ...i, product_name: `Product ${i.sku}` })),
      metadata: {},
    })),
  });
}

/** A GET with the path sent byte for byte (fetch would resolve "%2e%2e" and ".." before sending). */
export function rawGet(
  url: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return rawRequest(url, 'GET', rawPath, null, headers);
}

/** A request with exactly these headers (a forged Host, say), which fetch would not send. */
export function rawRequest(
  url: string,
  method: string,
  rawPath: string,
  body: string | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: rawPath, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    request.end(body ?? undefined);
  });
}
