// Client profiles through the real `packdesk` command: id rules, all-or-nothing create, list/show,
// and what a station sees when the data folder is missing or read-only.
import { execFileSync } from 'node:child_process';
import { promises as fs, watch } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/app/clients.js';
import { setMapping } from '../src/app/sku-mappings.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings.js';
import { Layout } from '../src/store/layout.js';
import { runCli, runCliJson, startCli, tempDir } from './helpers/cli.js';
import { smbRig } from './helpers/smb-rig.js';

let dir: string;
let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  root = path.join(dir, 'data');
  for (const sub of ['CLIENTS', 'SESSIONS', 'STATS'])
    await fs.mkdir(path.join(root, sub), { recursive: true });
});

/** Set-up steps run in this process (the commands under test run as real processes). */
const app = () => ({ layout: new Layout(root), settings: DEFAULT_SETTINGS, station: 'TEST' });
afterEach(() => cleanup());

async function clientsFolder(): Promise<string[]> {
  return (await fs.readdir(path.join(root, 'CLIENTS'))).sort();
}

describe('client create', () => {
  it('creates the seed layout: config.json with the seed fields, empty mappings, backups, a sessions folder', async () => {
    const out = await runCliJson<{ created: boolean; client: Record<string, unknown> }>([
      'client',
      'create',
      'M',
      '--name',
      'M Cosmetics',
      '--root',
      root,
    ]);
    expect(out.created).toBe(true);
    const clientDir = path.join(root, 'CLIENTS', 'CLIENT_M');
    const config = JSON.parse(await fs.readFile(path.join(clientDir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      schema_version: 1,
      client_id: 'M',
      client_name: 'M Cosmetics',
      barcode_label: {
        width_mm: 68,
        height_mm: 38,
        dpi: 203,
        show_quantity: false,
        show_client_name: false,
        font_size: 10,
      },
      courier_deadlines: { PostOne: '15:00', Speedy: '16:00', DHL: '17:00' },
      required_columns: {
        order_number: 'Order_Number',
        sku: 'SKU',
        product_name: 'Product_Name',
        quantity: 'Quantity',
        courier: 'Courier',
      },
      barcode_settings: { auto_generate: true, format: 'CODE128' },
      packing_rules: { allow_force_complete: false },
    });
    expect(Date.parse(config.created_at)).not.toBeNaN();
    expect(config.updated_by).toEqual(expect.any(String));
    const mapping = JSON.parse(await fs.readFile(path.join(clientDir, 'sku_mapping.json'), 'utf8'));
    expect(mapping).toMatchObject({ mappings: {}, revision: 0, updated_by: expect.any(String) });
    expect((await fs.readdir(path.join(clientDir, 'backups'))).length).toBe(2);
    expect((await fs.stat(path.join(root, 'SESSIONS', 'CLIENT_M'))).isDirectory()).toBe(true);
    expect(await clientsFolder()).toEqual(['CLIENT_M']);
  });

  it('answers "already exists" on its own exit code and leaves the existing client untouched', async () => {
    await runCliJson(['client', 'create', 'M', '--name', 'M Cosmetics', '--root', root]);
    const before = await fs.readFile(path.join(root, 'CLIENTS', 'CLIENT_M', 'config.json'), 'utf8');
    const again = await runCli(['client', 'create', 'M', '--name', 'Other', '--root', root, '--json']);
    expect(again.code).toBe(4);
    expect(again.stdout).toBe('');
    expect(JSON.parse(again.stderr)).toMatchObject({
      error: 'ALREADY_EXISTS',
      message: expect.stringMatching(/Client M already exists/),
    });
    expect(await fs.readFile(path.join(root, 'CLIENTS', 'CLIENT_M', 'config.json'), 'utf8')).toBe(before);
  });

  const badIds: Array<[string, string, RegExp]> = [
    ['empty', '', /cannot be empty/],
    ['11 characters', 'ABCDEFGHIJK', /too long/],
    ['CLIENT_ prefix', 'CLIENT_X', /must not start with "CLIENT_"/],
    ['Windows device name', 'CON', /reserved Windows device name/],
    ['COM1', 'COM1', /reserved Windows device name/],
    ['parent folder', '../x', /may only contain/],
    ['slash', 'A/B', /may only contain/],
    ['non-ASCII', 'ÄB', /may only contain/],
    ['lowercase', 'm', /capital letters/],
    ['backslash', 'A\\B', /may only contain/],
  ];
  it.each(badIds)(
    'refuses a bad id (%s) with a clear message and creates nothing',
    async (_label, id, message) => {
      await expect(createClient(app(), id, 'X')).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(message),
      });
      expect(await clientsFolder()).toEqual([]);
      expect((await fs.readdir(root)).sort()).toEqual(['CLIENTS', 'SESSIONS', 'STATS']);
      expect(await fs.readdir(path.join(root, 'SESSIONS'))).toEqual([]);
    },
  );

  it('the command answers a bad id with exit code 2 and a JSON error', async () => {
    for (const [id, message] of [
      ['../x', /may only contain/],
      ['CON', /reserved Windows device name/],
    ] as const) {
      const result = await runCli(['client', 'create', id, '--name', 'X', '--root', root, '--json']);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(JSON.parse(result.stderr)).toMatchObject({
        error: 'VALIDATION',
        message: expect.stringMatching(message),
      });
    }
    expect(await clientsFolder()).toEqual([]);
  });

  it('refuses an empty client name', async () => {
    await expect(createClient(app(), 'M', '   ')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/name cannot be empty/),
    });
    expect(await clientsFolder()).toEqual([]);
  });

  it('a failure half-way leaves no client behind', async () => {
    // A file where the client's sessions folder must go: that step fails after config.json,
    // sku_mapping.json and the backups were already written.
    await fs.writeFile(path.join(root, 'SESSIONS', 'CLIENT_M'), 'in the way');
    const result = await runCli(['client', 'create', 'M', '--name', 'M Cosmetics', '--root', root, '--json']);
    expect(result.code).toBe(7);
    expect(JSON.parse(result.stderr)).toMatchObject({
      error: 'STORAGE',
      message: expect.stringMatching(/Could not create client M/),
    });
    expect(await clientsFolder()).toEqual([]);
  });

  it('a leftover staging folder from a killed create is not a client and does not block the id', async () => {
    await fs.mkdir(path.join(root, 'CLIENTS', '.creating-M-0123456789ab'));
    await fs.writeFile(
      path.join(root, 'CLIENTS', '.creating-M-0123456789ab', 'config.json'),
      '{"client_id":"M"',
    );
    await createClient(app(), 'M', 'M Cosmetics');
    expect(
      (
        await runCliJson<{ clients: Array<{ client_id: string }> }>(['client', 'list', '--root', root])
      ).clients.map((c) => c.client_id),
    ).toEqual(['M']);
  });

  it('of four processes creating the same id at once, exactly one wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        runCli(['client', 'create', 'RACE', '--name', `Creator ${i}`, '--root', root, '--json']),
      ),
    );
    const codes = results.map((r) => r.code).sort();
    expect(codes).toEqual([0, 4, 4, 4]);
    const winner = results.find((r) => r.code === 0)!;
    const config = JSON.parse(
      await fs.readFile(path.join(root, 'CLIENTS', 'CLIENT_RACE', 'config.json'), 'utf8'),
    );
    expect(config.client_name).toBe(JSON.parse(winner.stdout).client.client_name);
    expect(await clientsFolder()).toEqual(['CLIENT_RACE']);
  });
});

describe('client list and show', () => {
  it('lists clients sorted, and shows one with its settings and mapping count', async () => {
    await createClient(app(), 'R', 'R Shop');
    await createClient(app(), 'M', 'M Cosmetics');
    await fs.mkdir(path.join(root, 'CLIENTS', 'not-a-client'));
    const list = await runCliJson<{ clients: Array<{ client_id: string; client_name: string }> }>([
      'client',
      'list',
      '--root',
      root,
    ]);
    expect(list.clients.map((c) => [c.client_id, c.client_name])).toEqual([
      ['M', 'M Cosmetics'],
      ['R', 'R Shop'],
    ]);
    await setMapping(app(), 'M', '4006381333931', 'LIP-RED');
    const show = await runCliJson<{
      config: { client_name: string };
      mappings: { count: number; revision: number };
    }>(['client', 'show', 'M', '--root', root]);
    expect(show.config.client_name).toBe('M Cosmetics');
    expect(show.mappings).toMatchObject({ count: 1, revision: 1 });
    const text = await runCli(['client', 'show', 'M', '--root', root]);
    expect(text.stdout).toMatch(/Client M: M Cosmetics/);
    expect(text.stdout).toMatch(/barcode mappings: 1/);
  });

  it('show of an unknown client says how to create it', async () => {
    const result = await runCli(['client', 'show', 'NOPE', '--root', root, '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stderr)).toMatchObject({
      error: 'NOT_FOUND',
      message: expect.stringMatching(/packdesk client create NOPE/),
    });
  });
});

describe('data folder problems', () => {
  it('a root that does not exist gives a clear error and creates nothing', async () => {
    const missing = path.join(dir, 'nowhere');
    for (const args of [
      ['client', 'create', 'M', '--name', 'M'],
      ['sku', 'set', 'M', '123', 'A'],
    ]) {
      const result = await runCli([...args, '--root', missing, '--json']);
      expect(result.code).toBe(3);
      expect(JSON.parse(result.stderr)).toMatchObject({
        error: 'NOT_FOUND',
        message: expect.stringMatching(/does not exist/),
      });
    }
    await expect(fs.stat(missing)).rejects.toThrow();
  });

  it('a read-only root gives a clear error on create and on mapping changes, and reading still works', async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip();
    await createClient(app(), 'M', 'M Cosmetics');
    await setMapping(app(), 'M', '111', 'A');
    const readOnly = path.join(dir, 'ro');
    await fs.mkdir(readOnly);
    execFileSync('mount', ['--bind', root, readOnly]);
    try {
      execFileSync('mount', ['-o', 'remount,bind,ro', readOnly]);
      const create = await runCli(['client', 'create', 'R', '--name', 'R', '--root', readOnly, '--json']);
      expect(create.code).toBe(7);
      expect(JSON.parse(create.stderr)).toMatchObject({
        error: 'STORAGE',
        message: expect.stringMatching(/not allowed to write|read-only/),
      });
      const set = await runCli(['sku', 'set', 'M', '222', 'B', '--root', readOnly, '--json']);
      expect(set.code).toBe(7);
      expect(JSON.parse(set.stderr)).toMatchObject({
        error: 'STORAGE',
        message: expect.stringMatching(/not allowed to write|read-only/),
      });
      const list = await runCliJson<{ mappings: Record<string, string> }>([
        'sku',
        'list',
        'M',
        '--root',
        readOnly,
      ]);
      expect(list.mappings).toEqual({ '111': 'A' });
    } finally {
      execFileSync('umount', [readOnly]);
    }
  });

  it('a create killed while it assembles the client leaves either the whole client or nothing', async () => {
    const clients = path.join(root, 'CLIENTS');
    for (let i = 0; i < 3; i++) {
      const child = startCli(['client', 'create', `K${i}`, '--name', 'Killed', '--root', root]);
      // Killed the moment its staging folder shows up (or later, if the watcher is slower than the create).
      const watcher = watch(clients, (_event, name) => {
        if (String(name).startsWith('.creating-')) child.kill('SIGKILL');
      });
      await new Promise((r) => child.once('close', r));
      watcher.close();
    }
    for (const name of await clientsFolder()) {
      if (name.startsWith('.creating-')) continue;
      const files = (await fs.readdir(path.join(clients, name))).sort();
      expect(files).toEqual(['backups', 'config.json', 'sku_mapping.json']);
    }
    const list = await runCliJson<{ clients: Array<{ client_id: string }>; warnings: string[] }>([
      'client',
      'list',
      '--root',
      root,
    ]);
    expect(list.warnings).toEqual([]);
    // An id whose create was killed can be created again.
    for (let i = 0; i < 3; i++) {
      if (list.clients.some((c) => c.client_id === `K${i}`)) continue;
      await createClient(app(), `K${i}`, 'Again');
    }
  });
});

const rig = smbRig();
describe.skipIf(!rig)('client create over SMB (two clients, one share)', () => {
  it('of four processes on two PCs creating the same id at once, exactly one wins', async () => {
    const sub = `client-race-${process.pid}-${Date.now()}`;
    const roots = [path.join(rig!.pc1, sub), path.join(rig!.pc2, sub)];
    try {
      for (const d of ['CLIENTS', 'SESSIONS', 'STATS'])
        await fs.mkdir(path.join(roots[0]!, d), { recursive: true });
      for (const round of ['R1']) {
        const results = await Promise.all(
          [0, 1, 2, 3].map((i) =>
            runCli(['client', 'create', round, '--name', `Creator ${i}`, '--root', roots[i % 2]!, '--json']),
          ),
        );
        expect(results.map((r) => r.code).sort(), results.map((r) => r.stderr).join('')).toEqual([
          0, 4, 4, 4,
        ]);
        const winner = JSON.parse(results.find((r) => r.code === 0)!.stdout).client.client_name;
        const onServer = JSON.parse(
          await fs.readFile(path.join(rig!.server, sub, 'CLIENTS', `CLIENT_${round}`, 'config.json'), 'utf8'),
        );
        expect(onServer.client_name).toBe(winner);
      }
      expect((await fs.readdir(path.join(rig!.server, sub, 'CLIENTS'))).sort()).toEqual(['CLIENT_R1']);
    } finally {
      await fs.rm(path.join(rig!.server, sub), { recursive: true, force: true });
    }
  }, 60_000);
});
