// `npm start` on a fresh machine: sets up ./packdesk-data with a demo client and session, serves the
// app and prints its address; a second start keeps the data as it is.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli, tempDir } from './helpers/cli.js';
import { waitFor } from './helpers/wait.js';

async function start(cwd: string): Promise<{ url: string; out: () => string; stop: () => Promise<void> }> {
  const child = startCli(['start', '--port', '0'], { cwd, env: { PACKDESK_STATION: 'DEMO-PC' } });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const url = await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`packdesk start exited ${child.exitCode}: ${err}`);
    return /Open (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  }, 'packdesk start to print its address');
  return {
    url,
    out: () => out,
    async stop() {
      child.kill('SIGTERM');
      await waitFor(() => child.exitCode !== null, 'packdesk start to stop', 10_000);
    },
  };
}

describe('npm start', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('seeds a demo client and session on first run, serves the app, and leaves the data alone on the next run', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const first = await start(dir);
    expect(first.out()).toMatch(
      /First run: created client DEMO with 4 barcode mappings and session \S+ with 5 orders/,
    );
    expect(existsSync(path.join(dir, 'packdesk-data', 'CLIENTS', 'CLIENT_DEMO', 'config.json'))).toBe(true);
    const page = await fetch(`${first.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/<div id="app">/);
    const sessions = (await (await fetch(`${first.url}/api/sessions`)).json()) as {
      sessions: Array<{ client: string; lists: Array<{ orders_total: number }> }>;
    };
    expect(sessions.sessions).toEqual([
      expect.objectContaining({ client: 'DEMO', lists: [expect.objectContaining({ orders_total: 5 })] }),
    ]);
    await first.stop();

    const second = await start(dir);
    cleanups.push(second.stop);
    expect(second.out()).not.toMatch(/First run/);
    const again = (await (await fetch(`${second.url}/api/sessions`)).json()) as { sessions: unknown[] };
    expect(again.sessions).toHaveLength(1);
  });
});
