// A data folder with a client and a session made from a packdesk JSON list, through the real CLI.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeList, type OrderSpec } from './packing-lists.js';
import { runCliJson } from './cli.js';

export interface PackingSetup {
  root: string;
  config: string;
  client: string;
  session: string;
  list: string;
}

/** `orders` × `items` lines of 1–2 units each: order numbers 1001…, SKUs A-1001-1…. */
export function ordersSpec(orders: number, items = 2): OrderSpec {
  const spec: OrderSpec = {};
  for (let o = 0; o < orders; o++) {
    const number = `#${1001 + o}`;
    spec[number] = Array.from(
      { length: items },
      (_, i) => [`A-${1001 + o}-${i + 1}`, 1 + ((o + i) % 2)] as [string, number],
    );
  }
  return spec;
}

/** Every scan that packs `spec` completely, in order: the order number, then each unit of each line. */
export function fullScript(spec: OrderSpec): string[] {
  const lines: string[] = [];
  for (const [order, items] of Object.entries(spec)) {
    lines.push(order.replace('#', ''));
    for (const [sku, quantity] of items) for (let u = 0; u < quantity; u++) lines.push(sku);
  }
  return lines;
}

export async function setUpPacking(
  dir: string,
  root: string,
  spec: OrderSpec,
  locking = { heartbeat: 0.25, stale: 2 },
): Promise<PackingSetup> {
  const config = path.join(dir, 'config.ini');
  await writeFile(
    config,
    `[Locking]\nHeartbeatSeconds = ${locking.heartbeat}\nStaleSeconds = ${locking.stale}\n[Network]\nConnectionTimeout = 10\n`,
  );
  const listFile = path.join(dir, 'DHL.json');
  await writeFile(listFile, JSON.stringify(makeList(spec, 'DHL')));
  const common = ['--root', root, '--config', config];
  await runCliJson(['init', ...common]);
  await runCliJson(['client', 'create', 'ACME', '--name', 'Acme Ltd', ...common]);
  const created = await runCliJson<{ session: string; session_id?: string }>([
    'session',
    'create',
    'ACME',
    '--list',
    listFile,
    ...common,
  ]);
  const session = created.session ?? created.session_id!;
  return { root, config, client: 'ACME', session, list: 'DHL' };
}

/** `--root … --config …` of a set-up data folder. */
export const commonArgs = (s: PackingSetup) => ['--root', s.root, '--config', s.config];

/** `packdesk pack` of the set-up list at station S1, answering in JSON lines. */
export const packArgs = (s: PackingSetup) => [
  'pack',
  s.client,
  s.session,
  ...commonArgs(s),
  '--json',
  '--station',
  'S1',
];

/** The journal folder of the set-up list. */
export const journalOf = (s: PackingSetup) =>
  path.join(s.root, 'SESSIONS', `CLIENT_${s.client}`, s.session, 'packing', s.list, 'journal');
