// The packdesk HTTP server: the API under /api, live events, and the web app's files.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Settings } from '../domain/settings.js';
import type { Layout } from '../app/station-context.js';
import type { Logger } from '../app/station-context.js';
import type { ServerContext } from './context.js';
import { checkAnswer, checkErrorBody, contractCheckWanted } from './contract-check.js';
import { errorResponse, HttpError } from './http-errors.js';
import { LiveHub } from './live.js';
import { clientRoutes } from './routes/clients.js';
import { mappingRoutes } from './routes/mappings.js';
import { systemRoutes } from './routes/system.js';
import { Router } from './router.js';
import {
  checkAccess,
  hostNamesFor,
  isLoopbackHost,
  KEY_COOKIE,
  keyMatches,
  type AccessPolicy,
} from './security.js';
import { defaultWebDir, serveStatic } from './static-files.js';
import { PinAttempts } from '../app/worker-pins.js';

export interface ServerOptions {
  layout: Layout;
  settings: Settings;
  station: string;
  logger: Logger;
  host: string;
  port: number;
  /** Needed when `host` is not a loopback address; ignored otherwise. */
  stationKey?: string | null;
  /** Further names this server may be opened as (a DNS alias of the hub); IP addresses always work. */
  hostNames?: readonly string[];
  webDir?: string;
  /** Extra route groups (e.g. packing stations) registered after the built-in ones. */
  routes?: Array<(router: Router, ctx: ServerContext) => void>;
  /** Check every answer, error body and live event against the API contract (default: PACKDESK_CHECK_CONTRACT=1). */
  checkContract?: boolean;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  stationKey: string | null;
  ctx: ServerContext;
  close(): Promise<void>;
  onClose(hook: () => Promise<void>): void;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const loopback = isLoopbackHost(options.host);
  const policy: AccessPolicy = {
    stationKey: loopback ? null : (options.stationKey ?? null),
    hostNames: hostNamesFor(options.host, options.hostNames),
  };
  if (!loopback && !policy.stationKey) {
    throw new HttpError(
      500,
      'STATION_KEY_REQUIRED',
      `Serving on ${options.host} needs a station key (--key or PACKDESK_STATION_KEY).`,
    );
  }
  const checkContract = options.checkContract ?? contractCheckWanted();
  const live = new LiveHub({ checkContract });
  const closeHooks: Array<() => Promise<void>> = [];
  const ctx: ServerContext = {
    layout: options.layout,
    settings: options.settings,
    station: options.station,
    logger: options.logger,
    live,
    pins: new PinAttempts(),
    onClose: (hook) => void closeHooks.push(hook),
  };
  const router = new Router();
  systemRoutes(router, ctx);
  clientRoutes(router, ctx);
  mappingRoutes(router, ctx);
  for (const add of options.routes ?? []) add(router, ctx);
  const webDir = options.webDir ?? defaultWebDir();

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err) => {
      options.logger.error({ err }, 'request failed after the answer began');
      res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://packdesk.invalid');
    const method = req.method ?? 'GET';
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    try {
      checkAccess(req, policy);
    } catch (err) {
      // A browser off this PC signs in once with the link the server printed: the key becomes a cookie.
      const key = url.searchParams.get('key');
      if (
        !isApi &&
        method === 'GET' &&
        key !== null &&
        keyMatches(policy, key) &&
        !(err instanceof HttpError && err.code === 'FORBIDDEN_ORIGIN')
      ) {
        res.writeHead(303, {
          location: url.pathname,
          'set-cookie': `${KEY_COOKIE}=${encodeURIComponent(key)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=31536000`,
        });
        res.end();
        return;
      }
      return sendError(res, err, checkContract);
    }
    if (!isApi) {
      if (method !== 'GET' && method !== 'HEAD')
        return sendError(
          res,
          new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is only for /api.`),
          checkContract,
        );
      return serveStatic(webDir, url.pathname, res, method === 'HEAD');
    }
    try {
      const { name, handler, params } = router.match(method, url.pathname);
      const result = await handler(router.request(req, res, url, params));
      if ('streamed' in result) return;
      if ('file' in result) {
        res.writeHead(result.status ?? 200, {
          'content-type': result.file.type,
          'content-disposition': `attachment; filename="${result.file.name.replace(/[^A-Za-z0-9_.-]/g, '_')}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        res.end(result.file.data);
        return;
      }
      if (checkContract) checkAnswer(name, result.json);
      sendJson(res, result.status ?? 200, result.json);
    } catch (err) {
      if (!(err instanceof HttpError) && errorResponse(err).status >= 500)
        options.logger.error({ err, path: url.pathname }, 'API request failed');
      sendError(res, err, checkContract);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // Bound to every address: this PC still reaches it on loopback, which needs no key.
  const local =
    address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  const shownHost = local.includes(':') ? `[${local}]` : local;
  return {
    url: `http://${shownHost}:${address.port}`,
    host: address.address,
    port: address.port,
    stationKey: policy.stationKey,
    ctx,
    onClose(hook) {
      closeHooks.push(hook);
    },
    async close() {
      for (const hook of closeHooks)
        await hook().catch((err) => options.logger.warn({ err }, 'close hook failed'));
      live.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: unknown, checkContract = contractCheckWanted()): void {
  let { status, body } = errorResponse(err);
  if (checkContract) {
    try {
      checkErrorBody(body);
    } catch (breach) {
      ({ status, body } = errorResponse(breach));
    }
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Bodies we refused to read are not drained: close the connection instead of reading megabytes.
  if (status === 413) res.setHeader('connection', 'close');
  sendJson(res, status, body);
}
