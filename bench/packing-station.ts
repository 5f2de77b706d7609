// The packing station end to end (DESIGN §9): time from a scan handed to PackingStation.handle() to
// its answer, which comes only once the event is durable in the list's journal; the time to open a
// list at a station (lease, list, journal recovery); and the memory of a station process with a
// 50,000-order list open. Lists of 1,000 / 10,000 / 50,000 orders, fresh and with 90 % packed, on a
// local folder and, when the SMB rig's variables are set, over the share.
//
// "90 % packed" is built the way a station leaves it: the scan engine packs the orders and every
// event is written as a journal record of an earlier holder's epoch, with a snapshot 500 orders
// before the end, so opening the list seals that epoch, reads the snapshot and replays the rest.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pino from 'pino';
import { createClient } from '../src/app/clients.js';
import { loadListIndex } from '../src/store/load-list.js';
import { openList } from '../src/app/open-list.js';
import { PackingStation } from '../src/app/packing-station.js';
import { createSession } from '../src/app/sessions.js';
import { encodeJournalRecord } from '../src/domain/journal-record.js';
import type { PackingList } from '../src/domain/packing-list.js';
import { parseStationInput } from '../src/domain/scan-commands.js';
import { apply, decide } from '../src/domain/scan-engine.js';
import { createScanState, snapshotScanState } from '../src/domain/scan-state.js';
import { DEFAULT_SETTINGS, type Settings } from '../src/domain/settings.js';
import { initDataRoot } from '../src/store/data-root.js';
import { JournalAppender } from '../src/store/journal.js';
import { Layout } from '../src/store/layout.js';
import { FencedWriter, segmentName } from '../src/store/lease/fenced-writes.js';
import { LeaseLostError } from '../src/domain/errors.js';
import { fsyncRow } from './fsync-probe.js';
import { bigList } from './packing.js';
import { percentile, type BenchRow } from './table.js';

const SIZES = [1_000, 10_000, 50_000];
const SCANS = 2_000;
/** Orders packed after the snapshot, replayed from the journal at open. */
const REPLAYED_ORDERS = 500;
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'packing-station-child.js');

export interface BenchList {
  deps: { layout: Layout; settings: Settings; logger: pino.Logger };
  ids: { client: string; session: string; list: string };
  list: PackingList;
}

// The product's defaults (heartbeat 5 s, TTL 30 s): what a station opening such a list runs with.
const settings: Settings = structuredClone(DEFAULT_SETTINGS);

/** The scans that pack order `i` completely: its number, then one scan per unit. */
function orderScans(list: PackingList, i: number): string[] {
  const order = list.orders[i]!;
  return [
    order.order_number,
    ...order.items.flatMap((it) => Array.from({ length: it.quantity }, () => it.sku)),
  ];
}

export async function makeList(root: string, orders: number): Promise<BenchList> {
  const layout = new Layout(root);
  const deps = { layout, settings, logger: pino({ level: 'silent' }) };
  await fs.mkdir(path.dirname(layout.root), { recursive: true });
  await initDataRoot(layout, 10_000);
  await createClient({ layout, settings, station: 'BENCH' }, 'BENCH', 'Bench Ltd');
  const list = bigList(orders);
  const file = path.join(root, `list-${orders}.json`);
  await fs.writeFile(file, JSON.stringify(list));
  const info = await createSession(deps, 'BENCH', [{ file, name: 'L' }], {
    station: 'BENCH',
    worker: 'bench',
  });
  await fs.rm(file);
  return { deps, ids: { client: 'BENCH', session: info.session_id, list: 'L' }, list };
}

/** Packs the first `done` orders as an earlier station's epoch: journal records and a snapshot, written in bulk. */
export async function packEarlier(bench: BenchList, done: number): Promise<number> {
  const { deps, ids, list } = bench;
  // Computed before taking the lease: a station that spends seconds without a heartbeat fences itself.
  const epoch = 1;
  const { index } = await loadListIndex(deps.layout, ids.client, ids.session, ids.list);
  const state = createScanState(index);
  const before: string[] = [];
  let after: string[] = before;
  let snapshot: { state: ReturnType<typeof snapshotScanState>; seq: number; at: string } | null = null;
  let seq = 0;
  const at = Date.now() - 8 * 3_600_000;
  for (let i = 0; i < done; i++) {
    const when = new Date(at + i * 500).toISOString();
    if (i === done - REPLAYED_ORDERS) {
      snapshot = { state: snapshotScanState(state), seq, at: when };
      after = [];
    }
    for (const line of orderScans(list, i)) {
      const ctx = {
        id: `fill-${seq + 1}`,
        at: when,
        station: 'EARLIER',
        worker: 'earlier',
        skuLookup: new Map<string, string>(),
        allowForceComplete: false,
      };
      const { event } = decide(state, parseStationInput(line)!, ctx);
      if (!event) continue;
      apply(state, event);
      const { id, at: time, station, worker, ...body } = event;
      after.push(encodeJournalRecord({ seq: ++seq, epoch, id, at: time, station, worker, event: body }));
    }
  }

  const lease = await openList(deps, { ...ids, station: 'EARLIER', worker: 'earlier' });
  if (lease.epoch !== epoch)
    throw new Error(`a fresh list should start at epoch ${epoch}, not ${lease.epoch}`);
  const segment = path.join(lease.journalDir, segmentName(epoch));
  await fs.mkdir(lease.journalDir, { recursive: true });
  const handle = await fs.open(segment, 'wx');
  const head = before.length > 0 ? `${before.join('\n')}\n` : '';
  await handle.writeFile(head);
  if (snapshot) {
    // The records were written straight to the segment: tell the snapshot where they end. This
    // epoch's lease is held just above and nobody else writes, so the bulk writer needs no fencing.
    const writer = new FencedWriter(lease.journalDir, {
      epoch,
      mayWrite: () => true,
      checkNotSuperseded: async () => true,
      lostError: () => new LeaseLostError('the bench lost its lease', {}),
    });
    const target = {
      epoch,
      segmentBytes: Buffer.byteLength(head),
      appendFenced: (line: string) => writer.appendFenced(line),
      writeSnapshotFenced: (name: string, data: string) => writer.writeSnapshotFenced(name, data),
    };
    await new JournalAppender(target, snapshot.seq).snapshot(snapshot.state, snapshot.at);
  }
  if (after !== before && after.length > 0) await handle.writeFile(`${after.join('\n')}\n`);
  await handle.sync();
  await handle.close();
  await lease.release();
  return seq;
}

function ms(n: number): string {
  return n < 10 ? n.toFixed(2) : n.toFixed(0);
}

export async function scenario(
  root: string,
  where: string,
  orders: number,
  done: number,
): Promise<BenchRow[]> {
  const bench = await makeList(root, orders);
  const events = done > 0 ? await packEarlier(bench, done) : 0;
  const label = `${orders.toLocaleString('en')} orders, ${done.toLocaleString('en')} done`;

  const t0 = performance.now();
  const station = await PackingStation.open(bench.deps, { ...bench.ids, station: 'B1', worker: 'bench' });
  const openMs = performance.now() - t0;
  const recovered = station.view().progress.orders_done;
  if (recovered !== done) throw new Error(`the station recovered ${recovered} done orders, not ${done}`);

  const samples: number[] = [];
  for (let i = done; samples.length < SCANS && i < orders; i++) {
    for (const line of orderScans(bench.list, i)) {
      const t = performance.now();
      const answer = await station.handle(line);
      samples.push(performance.now() - t);
      if (!answer || !['order_opened', 'item_ok', 'order_complete'].includes(answer.kind))
        throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    }
  }
  await station.close();
  samples.sort((a, b) => a - b);
  const p99 = percentile(samples, 99);
  const budgeted = orders === 50_000 && done > 0 && where === 'local';
  const rows: BenchRow[] = [
    {
      what: `scan answered durable (${where})`,
      size: `${label}, ${samples.length} scans`,
      figure: `p50 ${ms(percentile(samples, 50))} ms, p99 ${ms(p99)} ms, max ${ms(samples.at(-1)!)} ms`,
      budget: budgeted ? 'p99 ≤ 2 ms (Python: mean 3.3 s)' : '-',
      withinBudget: budgeted ? p99 <= 2 : null,
    },
    {
      what: `open list at a station (${where})`,
      size: `${label}${events > 0 ? `, ${events.toLocaleString('en')} journal records, last ${REPLAYED_ORDERS} orders replayed` : ''}`,
      figure: `${ms(openMs)} ms`,
      budget: orders === 50_000 && where === 'local' ? '≤ 2 s (Python: 299 s)' : '-',
      withinBudget: orders === 50_000 && where === 'local' ? openMs <= 2_000 : null,
    },
  ];
  if (orders === 50_000) {
    // A fresh process opens the list, so the figure is one open list, not this process's churn.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', CHILD, root, JSON.stringify(bench.ids)],
      { maxBuffer: 1 << 20 },
    );
    const mem = JSON.parse(stdout) as {
      rss: number;
      maxRss: number;
      heapUsed: number;
      openMs: number;
      done: number;
    };
    const peak = mem.maxRss / 1024 / 1024;
    rows.push({
      what: `memory, station process with the list open (${where})`,
      size: `${orders.toLocaleString('en')} orders, ${mem.done.toLocaleString('en')} done`,
      figure: `peak ${peak.toFixed(0)} MB RSS while opening, ${(mem.rss / 1024 / 1024).toFixed(0)} MB open after GC (heap ${(mem.heapUsed / 1024 / 1024).toFixed(0)} MB)`,
      budget: where === 'local' ? '≤ 300 MB RSS' : '-',
      withinBudget: where === 'local' ? peak <= 300 : null,
    });
  }
  return rows;
}

async function suite(base: string, where: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const orders of SIZES) {
    for (const done of [0, Math.round(orders * 0.9)]) {
      const root = path.join(base, `${orders}-${done}`);
      try {
        rows.push(...(await scenario(root, where, orders, done)));
      } finally {
        await fs.rm(root, { recursive: true, force: true }).catch(() => {});
      }
    }
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const local = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-station-'));
  try {
    rows.push(await fsyncRow(local, 'local'));
    rows.push(...(await suite(local, 'local')));
  } finally {
    await fs.rm(local, { recursive: true, force: true });
  }
  const pc1 = process.env.SMB_RIG_PC1;
  if (pc1) {
    const smb = path.join(pc1, `bench-station-${process.pid}-${Date.now()}`);
    try {
      rows.push(await fsyncRow(smb, 'SMB'));
      rows.push(...(await suite(smb, 'SMB')));
    } finally {
      await fs.rm(smb, { recursive: true, force: true }).catch(() => {});
    }
  } else {
    rows.push({
      what: 'packing station over SMB',
      size: '-',
      figure: 'skipped: SMB_RIG_PC1 not set (start the SMB rig to measure)',
      budget: '-',
      withinBudget: null,
    });
  }
  return rows;
}
