// The web app's built files (dist/web). Only files inside that folder are served; anything else
// that is not an API call gets index.html, so the app's own routes work on reload.
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** dist/web next to the compiled server (dist/src/server → dist/web). */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../web/', import.meta.url));
}

/** A file under `webDir` for a URL path, or null when the path tries to leave it. */
export function resolveWebPath(webDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const root = path.resolve(webDir);
  const full = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return full;
}

export async function serveStatic(
  webDir: string,
  pathname: string,
  res: ServerResponse,
  headOnly: boolean,
): Promise<void> {
  const target = resolveWebPath(webDir, pathname);
  const send = (status: number, type: string, body: Buffer | string, cache: string) => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': cache,
      'x-content-type-options': 'nosniff',
    });
    res.end(headOnly ? undefined : body);
  };
  if (target === null) return send(400, 'text/plain; charset=utf-8', 'Bad path.', 'no-store');
  const file = await fs.readFile(target).catch(() => null);
  if (file && path.extname(target) !== '') {
    // Vite names built assets by content hash, so they may be cached for good; pages may not.
    const immutable = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return send(200, TYPES[path.extname(target)] ?? 'application/octet-stream', file, immutable);
  }
  const index = await fs.readFile(path.join(webDir, 'index.html')).catch(() => null);
  if (!index) {
    return send(
      503,
      'text/plain; charset=utf-8',
      'The web app is not built. Run "npm run build" in the packdesk folder.',
      'no-store',
    );
  }
  send(200, TYPES['.html']!, index, 'no-cache');
}
