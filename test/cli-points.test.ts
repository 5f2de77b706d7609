// The packdesk command as people use it: common options before the command, exit 2 for bad input,
// --version, init that never makes a missing share's parent folders, calendar days in stats, doctor's
// plain message for a missing folder, a lost lease printed once, and each command loading only the
// code it uses.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, REPO, runCli, runCliJson, startCli, tempDir, testEnv } from './helpers/cli.js';
import { setUpPacking } from './helpers/packing-session.js';
import { waitFor } from './helpers/wait.js';

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});
async function temp() {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('packdesk command line', () => {
  it('takes --root, --config and --json before the command as well as after it', async () => {
    const dir = await temp();
    const root = path.join(dir, 'data');
    const before = await runCli(['--root', root, '--json', 'init']);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ root });
    await runCliJson(['client', 'create', 'M', '--name', 'M shop', '--root', root]);
    const listed = await runCli(['--root', root, 'client', 'list', '--json']);
    expect(JSON.parse(listed.stdout).clients).toHaveLength(1);
  });

  it('exits 2 for a missing option, a missing argument or an unknown command, and prints --version', async () => {
    const dir = await temp();
    for (const args of [['client', 'create', 'M', '--root', dir], ['session', 'show'], ['nope']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/error:/);
    }
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('init makes the data folder but never the missing folders above it (an unmounted share)', async () => {
    const dir = await temp();
    const r = await runCli(['init', '--root', path.join(dir, 'share', 'packdesk'), '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: 'NOT_FOUND' });
    expect(JSON.parse(r.stderr).message).toMatch(/does not exist.*mounted/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('stats refuses days that are not on the calendar', async () => {
    const dir = await temp();
    const root = path.join(dir, 'data');
    await runCliJson(['init', '--root', root]);
    for (const day of ['2026-13-01', '2026-02-30', '26-01-01']) {
      const r = await runCli(['stats', '--from', day, '--root', root, '--json']);
      expect(r.code, day).toBe(2);
      expect(JSON.parse(r.stderr).message).toContain(`"${day}"`);
    }
    expect((await runCli(['stats', '--from', '2026-02-28', '--to', '2026-03-01', '--root', root])).code).toBe(
      0,
    );
  });

  it('doctor says in words that the data folder is missing', async () => {
    const dir = await temp();
    const r = await runCli(['doctor', '--root', path.join(dir, 'nope')]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/FAIL\s+reachable\s+The data folder .* does not exist/);
    expect(r.stdout + r.stderr).not.toMatch(/ENOENT ENOENT/);
  });

  it('prints a lost lease once on the JSON stream', async () => {
    const dir = await temp();
    const setup = await setUpPacking(dir, path.join(dir, 'data'), { '#1': [['MUG', 2]] });
    const common = ['--root', setup.root, '--config', setup.config];
    const proc = startCli(['pack', setup.client, setup.session, '--json', ...common]);
    let out = '';
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
    await waitFor(() => out.includes('station_ready'), 'the station to be ready');
    const unlock = await runCli([
      'session',
      'unlock',
      setup.client,
      setup.session,
      '--force',
      '--yes',
      '--reason',
      'test',
      ...common,
    ]);
    expect(unlock.code, unlock.stderr).toBe(0);
    await waitFor(() => out.includes('lease_lost'), 'the station to learn it lost the list');
    proc.stdin!.end('1\n');
    expect(await exited).toBe(9);
    const kinds = out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds.filter((k) => k === 'lease_lost')).toHaveLength(1);
  });

  it('loads only what a command uses: session list needs no spreadsheet, log-file or web-server code', async () => {
    const dir = await temp();
    const root = path.join(dir, 'data');
    await runCliJson(['init', '--root', root]);
    // Module hooks print every module the process loads.
    const hooks = `data:text/javascript,${encodeURIComponent(
      `export async function load(url, context, next) { process._rawDebug('LOADED ' + url); return next(url, context); }`,
    )}`;
    const register = `data:text/javascript,${encodeURIComponent(
      `import { register } from 'node:module'; register(${JSON.stringify(hooks)});`,
    )}`;
    const child = spawn(process.execPath, ['--import', register, CLI, 'session', 'list', '--root', root], {
      cwd: REPO,
      env: testEnv(),
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, err).toBe(0);
    const loaded = err.split('\n').filter((l) => l.startsWith('LOADED '));
    expect(loaded.some((l) => l.includes('/dist/src/app/session-views.js'))).toBe(true);
    for (const heavy of [
      '/node_modules/exceljs/',
      '/node_modules/pino-roll/',
      // A command that logs nothing does not load the logger; a listing needs no lease-taking code.
      '/node_modules/pino/',
      '/dist/src/app/open-list.js',
      '/dist/src/store/list-lease.js',
      '/dist/src/store/list-workspace.js',
      '/dist/src/app/packing-station.js',
      '/dist/src/server/',
      '/csv-parse/',
    ])
      expect(
        loaded.filter((l) => l.includes(heavy)),
        heavy,
      ).toEqual([]);
  });
});
