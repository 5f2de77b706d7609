// Shared set-up for the lease and session tests: a data folder with a client and sessions, and
// stations that are real processes (`packdesk session open`, or the fenced-writer fixture).
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '../src/app/clients.js';
import { createSession } from '../src/app/sessions.js';
import { DEFAULT_SETTINGS, type Settings } from '../src/domain/settings.js';
import { initDataRoot } from '../src/store/data-root.js';
import { Layout } from '../src/store/layout.js';
import { REPO, startCli, testEnv } from './helpers/cli.js';
import { waitFor } from './helpers/wait.js';

export interface World {
  root: string;
  config: string;
  client: string;
}

// Set-up runs in-process through the same use cases the CLI calls: starting a CLI process per step
// would cost more than the lease tests themselves on a 2-core machine.
function depsOf(world: World): { layout: Layout; settings: Settings } {
  return { layout: new Layout(world.root), settings: structuredClone(DEFAULT_SETTINGS) };
}

export async function makeWorld(
  dir: string,
  locking: { heartbeatS: number; staleS: number },
  client = 'M',
): Promise<World> {
  const root = path.join(dir, 'root');
  const config = path.join(dir, 'config.ini');
  await mkdir(dir, { recursive: true });
  await writeFile(
    config,
    `[Locking]\nHeartbeatSeconds=${locking.heartbeatS}\nStaleSeconds=${locking.staleS}\n`,
  );
  const world = { root, config, client };
  const { layout } = depsOf(world);
  await mkdir(path.dirname(layout.root), { recursive: true });
  await initDataRoot(layout, 10_000);
  await createClient({ layout, settings: depsOf(world).settings, station: 'PREP' }, client, `${client} Ltd`);
  return world;
}

export async function makeSession(
  world: World,
  dir: string,
  lists: Record<string, unknown> = {
    dhl: { orders: [{ order_number: '1', courier: 'DHL', items: [{ sku: 'A', quantity: 2 }] }] },
  },
): Promise<string> {
  const sources = [];
  for (const [name, content] of Object.entries(lists)) {
    const file = path.join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify(content));
    sources.push({ file });
  }
  const info = await createSession(depsOf(world), world.client, sources, { station: 'PREP', worker: 'prep' });
  return info.session_id;
}

export interface Station {
  name: string;
  child: ChildProcess;
  events: Record<string, unknown>[];
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitEvent(event: string, deadlineMs?: number): Promise<Record<string, unknown>>;
}

function watchProcess(name: string, child: ChildProcess): Station {
  const events: Record<string, unknown>[] = [];
  let err = '';
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    name,
    child,
    events,
    stderr: () => err,
    exit,
    waitEvent: (event, deadlineMs = 20_000) =>
      waitFor(
        () => events.find((e) => e.event === event),
        `${name} to report "${event}" (stderr: ${err})`,
        deadlineMs,
      ),
  };
}

export function openStation(
  world: World,
  session: string,
  station: string,
  options: { list?: string; takeOver?: boolean; env?: Record<string, string>; root?: string } = {},
): Station {
  const args = [
    'session',
    'open',
    world.client,
    session,
    '--root',
    options.root ?? world.root,
    '--config',
    world.config,
    '--station',
    station,
    '--worker',
    `${station}-worker`,
    '--json',
  ];
  if (options.list) args.push('--list', options.list);
  if (options.takeOver) args.push('--take-over');
  return watchProcess(station, startCli(args, { env: options.env }));
}

/** A station that appends each line written to its stdin as a fenced journal write (test/lease-writer-fixture.mjs). */
export function writerStation(
  world: World,
  session: string,
  list: string,
  station: string,
  options: { takeOver?: boolean | 'on-go'; root?: string; env?: Record<string, string> } = {},
): Station {
  const mode = options.takeOver === 'on-go' ? 'go-take-over' : options.takeOver ? 'take-over' : '';
  const child = spawn(
    process.execPath,
    [
      path.join(REPO, 'test', 'lease-writer-fixture.mjs'),
      options.root ?? world.root,
      world.config,
      world.client,
      session,
      list,
      station,
      mode,
    ],
    { cwd: REPO, env: testEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return watchProcess(station, child);
}

export function errorOf(station: Station): Record<string, unknown> {
  const line = station.stderr().trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Record<string, unknown>;
}
