// The crash proof of the packing station (DESIGN §4, §5): `packdesk pack` fed scripted scans is
// killed with SIGKILL at hundreds of random moments — during start-up and recovery, right after a
// line was typed (the kill lands in the middle of the journal append), after k answers, while
// pausing — and each time a new station process opens the list again, by restarting under the same
// station name or by taking it over from another station (and, over SMB, from the other PC).
//
// A ledger keeps what the stations acknowledged. Lines typed but not answered before the kill may or
// may not have reached the journal; as the station handles lines one at a time, what reached it is a
// prefix of them. Each time a station reports ready, the list's state as its journal has it must be
// exactly the acknowledged history plus such a prefix, and the counts in the ready line must agree.
// In some rounds a shift lead force-releases the list while the station scans as fast as it can; the
// next recovery must then hold exactly what that station acknowledged, not one refused line more.
// On the local folder (as root) the data root is a small tmpfs in a private mount namespace, and in
// some rounds the disk fills up while the station scans: every line it could not write must be
// answered "not saved", never acknowledged, and the next recovery holds exactly what was acknowledged.
// At the end the list is packed to the last order and ended: every order complete, counted once in
// the statistics and the report.
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadListIndex } from '../src/store/load-list.js';
import { readListState } from '../src/store/list-workspace.js';
import { normalizeCode, normalizeOrderNumber } from '../src/domain/normalize.js';
import type { IndexedOrder, PackingListIndex } from '../src/domain/packing-list.js';
import { parseStationInput } from '../src/domain/scan-commands.js';
import { apply, decide } from '../src/domain/scan-engine.js';
import type { ScanOutcome } from '../src/domain/scan-outcomes.js';
import {
  restoreScanState,
  ScanSnapshotSchema,
  snapshotScanState,
  createScanState,
  type ScanState,
} from '../src/domain/scan-state.js';
import { Layout } from '../src/store/layout.js';
import { runCliJson, tempDir } from './helpers/cli.js';
import { setUpPacking, type PackingSetup } from './helpers/packing-session.js';
import type { OrderSpec } from './helpers/packing-lists.js';
import { canMount, privateMounts } from './helpers/mount-namespace.js';
import { envSize, smbRig, smbSlowdown } from './helpers/smb-rig.js';
import { StationProcess, type StationLine } from './helpers/station-process.js';

// Sizes for a slow share (the kernel SMB3 client in a guest, see .ci/smb-vm): PACK_CRASH_ROUNDS,
// PACK_CRASH_ORDERS, PACK_CRASH_HEARTBEAT_S / PACK_CRASH_STALE_S, PACK_CRASH_TAKEOVER_SHARE /
// PACK_CRASH_RELEASE_SHARE and PACKDESK_SMB_SLOWDOWN (deadlines).
const ROUNDS = envSize('PACK_CRASH_ROUNDS', 200);
const ORDERS = envSize('PACK_CRASH_ORDERS', 70);
// Small enough that a takeover waits about 1.5 s, large enough that a busy 2-core machine does not
// make a live station fence itself (it stops answering after TTL/2 without a confirmed heartbeat).
const LOCKING = {
  heartbeat: envSize('PACK_CRASH_HEARTBEAT_S', 0.1),
  stale: envSize('PACK_CRASH_STALE_S', 1.5),
};
const SLOWDOWN = smbSlowdown();
// Few rounds (a slow share) raise these so that a run still has takeovers and force releases.
const TAKEOVER_SHARE = envSize('PACK_CRASH_TAKEOVER_SHARE', 0.1);
/** Rounds in which a shift lead force-releases the list while the station scans as fast as it can. */
const RELEASE_SHARE = envSize('PACK_CRASH_RELEASE_SHARE', 0.03);
/** Rounds in which the disk fills up under the scanning station (only where the test can mount a tmpfs). */
const FULL_DISK_SHARE = envSize('PACK_CRASH_FULL_DISK_SHARE', 0.04);

type Rand = () => number;

function mulberry32(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const between = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** 2–3 lines of 1–2 units per order, SKUs unique per order so another order's SKU is a wrong item. */
function crashSpec(rand: Rand): OrderSpec {
  const spec: OrderSpec = {};
  for (let o = 0; o < ORDERS; o++) {
    spec[`#${5001 + o}`] = Array.from(
      { length: between(rand, 2, 3) },
      (_, i) => [`K-${5001 + o}-${i + 1}`, between(rand, 1, 2)] as [string, number],
    );
  }
  return spec;
}

/** What must survive a crash: per order its status and units per SKU, plus the counters. Timing is left out. */
function fingerprint(state: ScanState): string {
  const orders = [...state.orders.values()]
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map((w) => [
      w.key,
      w.status,
      [...w.packed].filter(([, n]) => n > 0).sort(),
      w.packed_items,
      w.stack.length,
      w.scans,
      w.overscans,
      w.wrong_items,
      w.unknowns,
      w.corrections,
      w.skips,
    ]);
  return JSON.stringify({
    current: state.current,
    completed: state.completed_orders,
    items: state.packed_items,
    events: state.events_applied,
    orders,
  });
}

interface Pending {
  line: string;
  expected: ScanOutcome;
  after: { snapshot: string; fp: string };
}

/**
 * What the stations acknowledged, and a model of the list that follows every line sent. The model
 * is the scan engine run in memory on the same inputs; the station's answers are checked against it.
 */
class Ledger {
  state: ScanState;
  private confirmed: { snapshot: string; fp: string };
  pending: Pending[] = [];
  /** `order|sku` → units packed as the station last reported them. */
  readonly packed = new Map<string, number>();
  readonly completed = new Set<string>();
  acknowledged = 0;
  /** Lines the station answered "not saved" (a full disk): they must never count. */
  refused = 0;
  /** Set when the next recovery must hold exactly what was acknowledged. */
  strict = false;
  landedUnanswered = 0;
  lostUnanswered = 0;
  private n = 0;

  constructor(readonly index: PackingListIndex) {
    this.state = createScanState(index);
    this.confirmed = this.capture();
  }

  private capture(): { snapshot: string; fp: string } {
    return { snapshot: JSON.stringify(snapshotScanState(this.state)), fp: fingerprint(this.state) };
  }

  private restore(snapshot: string): ScanState {
    return restoreScanState(this.index, ScanSnapshotSchema.parse(JSON.parse(snapshot)));
  }

  /** The model takes the line as the station will; returns the answer the station must give. */
  send(line: string): ScanOutcome {
    const input = parseStationInput(line)!;
    const ctx = {
      id: `m${++this.n}`,
      at: new Date().toISOString(),
      station: 'model',
      worker: 'model',
      skuLookup: new Map<string, string>(),
      allowForceComplete: false,
    };
    const { event, outcome } = decide(this.state, input, ctx);
    if (event) apply(this.state, event);
    this.pending.push({ line, expected: outcome, after: this.capture() });
    return outcome;
  }

  private record(o: Pick<StationLine, 'kind' | 'order' | 'sku' | 'packed'>): void {
    if (
      o.order &&
      o.sku &&
      o.packed !== null &&
      ['item_ok', 'order_complete', 'undone', 'confirmed_manually'].includes(o.kind)
    ) {
      this.packed.set(`${normalizeOrderNumber(o.order)}|${normalizeCode(o.sku)}`, o.packed);
    }
    if (o.kind === 'order_complete' && o.order) this.completed.add(normalizeOrderNumber(o.order));
  }

  /** An answer printed by the station: it belongs to the oldest line sent and not yet answered. */
  answer(got: StationLine): void {
    const p = this.pending.shift();
    if (!p) throw new Error(`the station answered a line nobody sent: ${JSON.stringify(got)}`);
    const want = p.expected;
    const fields = (o: {
      kind: string;
      order: string | null;
      sku: string | null;
      packed: number | null;
      required: number | null;
      order_packed?: number | null;
    }) => JSON.stringify([o.kind, o.order, o.sku, o.packed, o.required, o.order_packed ?? null]);
    if (fields(got) !== fields(want)) {
      throw new Error(
        `for "${p.line}" the station answered ${fields(got)} but its recovered history says ${fields(want)}`,
      );
    }
    this.confirmed = p.after;
    this.acknowledged++;
    this.record(got);
  }

  /**
   * The station answered "not saved" to the oldest line sent: it does not count. The model goes back
   * to the acknowledged state and takes the lines sent after it again.
   */
  refuse(): void {
    const p = this.pending.shift();
    if (!p) throw new Error('the station refused a line nobody sent');
    this.refused++;
    const later = this.pending.map((q) => q.line);
    this.pending = [];
    this.state = this.restore(this.confirmed.snapshot);
    for (const line of later) this.send(line);
  }

  /**
   * The list as a station recovered it must be the acknowledged history plus a prefix of the lines
   * sent and not answered. The model continues from that prefix.
   */
  reconcile(recovered: ScanState): void {
    const got = fingerprint(recovered);
    // After a force release the station was not killed: every line it did not acknowledge was
    // refused or never read, so none of them may count.
    const candidates = this.strict ? [this.confirmed] : [this.confirmed, ...this.pending.map((p) => p.after)];
    this.strict = false;
    const landed = candidates.findIndex((c) => c.fp === got);
    if (landed < 0) {
      throw new Error(
        `the recovered list is not the acknowledged history (plus some of the ${this.pending.length} unanswered line(s) ${JSON.stringify(this.pending.map((p) => p.line))}):\n` +
          `recovered    ${got}\nacknowledged ${this.confirmed.fp}`,
      );
    }
    for (const p of this.pending.slice(0, landed)) this.record(p.expected);
    this.landedUnanswered += landed;
    this.lostUnanswered += this.pending.length - landed;
    this.confirmed = candidates[landed]!;
    this.state = this.restore(this.confirmed.snapshot);
    this.pending = [];
  }

  /** Checks a recovered state against what was acknowledged, independently of the model. */
  check(recovered: ScanState): void {
    for (const [key, units] of this.packed) {
      const [order, sku] = key.split('|') as [string, string];
      const now = recovered.orders.get(order)?.packed.get(sku) ?? 0;
      if (now !== units)
        throw new Error(
          `order ${order} ${sku}: the station reported ${units} packed, the recovered list has ${now}`,
        );
    }
    for (const order of this.completed) {
      if (recovered.orders.get(order)?.status !== 'completed')
        throw new Error(
          `order ${order} was acknowledged complete but is ${recovered.orders.get(order)?.status ?? 'untouched'} after recovery`,
        );
    }
    let completed = 0;
    for (const o of this.index.orders) {
      const work = recovered.orders.get(o.key);
      if (work?.status === 'completed') completed++;
      for (const s of o.skus.values()) {
        const n = work?.packed.get(s.key) ?? 0;
        if (n > s.required)
          throw new Error(`order ${o.order.order_number} ${s.sku}: ${n} packed of ${s.required}`);
      }
    }
    if (completed !== recovered.completed_orders)
      throw new Error(`${completed} orders are completed but the list counts ${recovered.completed_orders}`);
  }
}

/** The next thing a packer scans: mostly the right item, sometimes a mistake or a command. */
function nextLine(state: ScanState, index: PackingListIndex, rand: Rand, noise: boolean): string {
  const incomplete = index.orders.filter((o) => state.orders.get(o.key)?.status !== 'completed');
  const done = index.orders.filter((o) => state.orders.get(o.key)?.status === 'completed');
  const number = (o: IndexedOrder) =>
    rand() < 0.5 ? o.order.order_number : o.order.order_number.replace('#', '');
  const current = state.current ? index.byKey.get(state.current) : undefined;
  const r = noise ? rand() : 1;
  if (!current) {
    if (incomplete.length === 0 || r < 0.04)
      return done.length > 0 && rand() < 0.7 ? number(pick(rand, done)) : `NOPE-${between(rand, 1, 999)}`;
    if (r < 0.07) return '!UNDO';
    const touched = incomplete.filter((o) => state.orders.has(o.key));
    return number(touched.length > 0 && rand() < 0.7 ? pick(rand, touched) : pick(rand, incomplete));
  }
  const work = state.orders.get(current.key)!;
  const skus = [...current.skus.values()];
  const needed = skus.filter((s) => (work.packed.get(s.key) ?? 0) < s.required);
  const full = skus.filter((s) => (work.packed.get(s.key) ?? 0) >= s.required);
  const others = incomplete.filter((o) => o.key !== current.key);
  if (needed.length === 0) return number(current);
  if (r < 0.06) return '!UNDO';
  if (r < 0.1 && full.length > 0) return pick(rand, full).sku;
  if (r < 0.15 && others.length > 0) return pick(rand, [...pick(rand, others).skus.values()]).sku;
  if (r < 0.19) return `ZZ-${between(rand, 100, 999)}`;
  if (r < 0.21 && others.length > 0) return number(pick(rand, others));
  if (r < 0.22) return '!SKIP';
  const sku = pick(rand, needed).sku;
  return rand() < 0.15 ? sku.toLowerCase() : sku;
}

type Mode = 'startup' | 'inflight' | 'answered' | 'pausing';

interface Backend {
  name: string;
  /** Where each station PC sees the data folder. */
  roots: string[];
  /** Where the test reads the list back: the folder itself (on the SMB server's disk, not through a client's cache). */
  verifyRoot: string;
  /** Set when `verifyRoot` is on a small filesystem of the test's own that it may fill up. */
  fillable?: boolean;
}

async function crashRounds(backend: Backend, dir: string, seed: number): Promise<string> {
  const rand = mulberry32(seed);
  const spec = crashSpec(rand);
  const setup: PackingSetup = await setUpPacking(dir, backend.roots[0]!, spec, LOCKING);
  const verify = new Layout(backend.verifyRoot);
  const ids = { client: setup.client, session: setup.session, list: setup.list };
  const { index } = await loadListIndex(verify, setup.client, setup.session, setup.list);
  const ledger = new Ledger(index);
  const stations = [
    { station: 'S1', worker: 'Ann' },
    { station: 'S2', worker: 'Bob' },
  ];
  let who = 0;
  const stats = {
    takeovers: 0,
    releases: 0,
    lockedRetries: 0,
    leaseLost: 0,
    modes: { startup: 0, inflight: 0, answered: 0, pausing: 0 } as Record<Mode, number>,
    fullDisk: { rounds: 0, acknowledgedWhileFull: 0, killedWhileFull: 0 },
    readyMs: [] as number[],
  };
  let round = -1;
  /** What each round did, for the message of a failure. */
  const rounds: string[] = [];
  const started = Date.now();

  // The last sitting packs the rest and writes the reports with a longer TTL: a busy machine must not
  // make it fence itself (the crash rounds count such a lease_lost; this one must end the list).
  const calmConfig = path.join(dir, 'calm.ini');
  await writeFile(
    calmConfig,
    '[Locking]\nHeartbeatSeconds = 0.25\nStaleSeconds = 10\n[Network]\nConnectionTimeout = 10\n',
  );
  let config = setup.config;
  const start = (takeOver: boolean) => {
    const s = stations[who]!;
    const root = backend.roots[who % backend.roots.length]!;
    return new StationProcess(
      [
        'pack',
        setup.client,
        setup.session,
        '--root',
        root,
        '--config',
        config,
        '--json',
        '--station',
        s.station,
        '--worker',
        s.worker,
        ...(takeOver ? ['--take-over'] : []),
      ],
      30_000 * SLOWDOWN,
    );
  };

  const onReady = async (ready: StationLine) => {
    if (ready.kind !== 'station_ready')
      throw new Error(`the station's first line was ${JSON.stringify(ready)}`);
    const recovered = await readListState(verify, ids);
    ledger.reconcile(recovered);
    ledger.check(recovered);
    if (ready.packed !== recovered.completed_orders || ready.required !== ORDERS) {
      throw new Error(
        `station_ready says ${ready.packed} of ${ready.required} orders done; the journal has ${recovered.completed_orders} of ${ORDERS}`,
      );
    }
  };

  /** Opens the list; a lease whose holder died before recording itself is held-and-unknown until the TTL, so that case takes over. */
  const open = async (takeOver: boolean): Promise<StationProcess> => {
    const t = Date.now();
    let proc = start(takeOver);
    let ready = await proc.line(0);
    for (let attempt = 0; !ready && attempt < 3; attempt++) {
      if (proc.exit?.code === 5 && !takeOver) {
        stats.lockedRetries++;
        takeOver = true;
      } else if (proc.exit?.code === 9) {
        // It could not confirm its heartbeat in time (a busy machine, a slow share) and stopped
        // before answering anything: the safe refusal. A packer opens the list again.
        stats.leaseLost++;
      } else break;
      proc = start(takeOver);
      ready = await proc.line(0);
    }
    if (!ready)
      throw new Error(`the station did not open the list (exit ${proc.exit?.code}): ${proc.stderr}`);
    stats.readyMs.push(Date.now() - t);
    await onReady(ready);
    return proc;
  };

  /** Answers printed so far go to the ledger; stops at a lease_lost (the station stopped acknowledging). */
  const collect = (proc: StationProcess, from: number): { next: number; lost: boolean } => {
    let i = from;
    for (; i < proc.lines.length; i++) {
      const line = proc.lines[i]!;
      if (line.kind === 'lease_lost') return { next: i + 1, lost: true };
      if (line.kind === 'not_saved') ledger.refuse();
      else if (line.kind !== 'paused') ledger.answer(line);
    }
    return { next: i, lost: false };
  };

  /**
   * The disk fills up under a scanning station: a few KB are left, then it scans one line at a time.
   * Lines it could not write are answered "not saved" (the ledger drops them); the rest are
   * acknowledged as usual. Then it is killed, with the disk still full or after space came back and a
   * few more lines, some maybe still in flight. The next recovery checks what the journal holds.
   */
  const fullDiskRound = async (proc: StationProcess): Promise<void> => {
    stats.fullDisk.rounds++;
    rounds.push(`${round}: full disk at ${stations[who]!.station}`);
    let consumed = 1;
    let lost = false;
    const scan = async (): Promise<void> => {
      ledger.send(nextLine(ledger.state, index, rand, true));
      proc.send(ledger.pending.at(-1)!.line);
      if (!(await proc.line(consumed)))
        throw new Error(`the station died without being killed (exit ${proc.exit?.code}): ${proc.stderr}`);
      ({ next: consumed, lost } = collect(proc, consumed));
    };
    for (let k = between(rand, 0, 2); k > 0 && !lost; k--) await scan();
    const filler = path.join(backend.verifyRoot, `filler-${round}.bin`);
    const { bavail, bsize } = await statfs(backend.verifyRoot);
    await writeFile(filler, Buffer.alloc(Math.max(0, bavail * bsize - between(rand, 0, 8) * 1024))).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOSPC') throw err;
      },
    );
    const refusedBefore = ledger.refused;
    // Until the station has refused a few lines (or at most 30 lines, if what was left still fits them).
    const refusals = between(rand, 1, 4);
    for (let n = 0; n < 30 && ledger.refused - refusedBefore < refusals && !lost; n++) {
      const acknowledged = ledger.acknowledged;
      await scan();
      stats.fullDisk.acknowledgedWhileFull += ledger.acknowledged - acknowledged;
    }
    if (!lost && rand() < 0.5) {
      await rm(filler);
      for (let k = between(rand, 0, 3); k > 0 && !lost; k--) await scan();
      if (!lost)
        for (let m = between(rand, 0, 2); m > 0; m--) {
          ledger.send(nextLine(ledger.state, index, rand, true));
          proc.send(ledger.pending.at(-1)!.line);
        }
      spin(rand() * 4);
    } else stats.fullDisk.killedWhileFull++;
    if (lost) stats.leaseLost++;
    await proc.kill();
    if (collect(proc, consumed).lost && !lost) stats.leaseLost++;
    await rm(filler, { force: true });
  };

  const spin = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };

  try {
    for (round = 0; round < ROUNDS; round++) {
      // A short run (the slow share's 12 rounds) could draw none of a kind: its last round has one.
      const lastRound = round === ROUNDS - 1;
      const takeOver =
        round > 0 && (rand() < TAKEOVER_SHARE || (lastRound && TAKEOVER_SHARE > 0 && stats.takeovers === 0));
      if (takeOver) {
        who = 1 - who;
        stats.takeovers++;
      }
      if (round > 0 && (rand() < RELEASE_SHARE || (lastRound && RELEASE_SHARE > 0 && stats.releases === 0))) {
        // A shift lead force-releases the list at a random moment while the station keeps scanning.
        stats.releases++;
        rounds.push(`${round}: force release of ${stations[who]!.station}${takeOver ? ' (taken over)' : ''}`);
        const proc = await open(takeOver);
        let consumed = 1;
        let lost = false;
        const unlock = runCliJson(
          [
            'session',
            'unlock',
            setup.client,
            setup.session,
            '--root',
            backend.roots[0]!,
            '--config',
            config,
          ].concat(['--station', 'LEAD', '--worker', 'Lea', '--reason', 'crash test', '--yes', '--force']),
        );
        let unlocked = false;
        void unlock.then(() => (unlocked = true));
        // Scans go on until the station says it lost the list: however long the release takes to
        // start on a busy machine, and at most 20 scans after it is done.
        const until = Date.now() + 60_000 * SLOWDOWN;
        for (let after = 0; !lost && after < 20 && Date.now() < until;) {
          ledger.send(nextLine(ledger.state, index, rand, true));
          proc.send(ledger.pending.at(-1)!.line);
          if (!(await proc.line(consumed))) break;
          ({ next: consumed, lost } = collect(proc, consumed));
          if (unlocked) after++;
        }
        await unlock;
        // Scans that save nothing (an order already completed) do not touch the lease: then the
        // station learns of the release from its next heartbeat.
        const heardBy = Date.now() + 10_000 * SLOWDOWN;
        while (!lost && Date.now() < heardBy && proc.exit === null) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          ({ next: consumed, lost } = collect(proc, consumed));
        }
        if (!lost)
          throw new Error(
            `the station did not notice the force release: exit ${JSON.stringify(proc.exit)}, last ${JSON.stringify(proc.lines.slice(-3))}, stderr ${proc.stderr.slice(-500)}`,
          );
        proc.endInput();
        expect((await proc.exited).code).toBe(9);
        collect(proc, consumed);
        ledger.strict = true;
        continue;
      }
      if (backend.fillable && round > 0 && rand() < FULL_DISK_SHARE) {
        await fullDiskRound(await open(takeOver));
        continue;
      }
      const r = rand();
      const mode: Mode = r < 0.12 ? 'startup' : r < 0.55 ? 'inflight' : r < 0.93 ? 'answered' : 'pausing';
      stats.modes[mode]++;
      rounds.push(`${round}: ${mode} at ${stations[who]!.station}${takeOver ? ' (taken over)' : ''}`);

      if (mode === 'startup') {
        const typical =
          stats.readyMs.length > 0
            ? stats.readyMs.slice(-10).reduce((a, b) => a + b, 0) / Math.min(10, stats.readyMs.length)
            : 800;
        const proc = start(takeOver);
        await new Promise((resolve) => setTimeout(resolve, rand() * typical * (takeOver ? 2.5 : 1.2)));
        await proc.kill();
        if (proc.lines[0]) await onReady(proc.lines[0]);
        continue;
      }

      const proc = await open(takeOver);
      let consumed = 1;
      let lost = false;
      const k = mode === 'answered' ? between(rand, 1, 4) : between(rand, 0, 3);
      for (let i = 0; i < k && !lost; i++) {
        ledger.send(nextLine(ledger.state, index, rand, true));
        proc.send(ledger.pending.at(-1)!.line);
        const answer = await proc.line(consumed);
        if (!answer)
          throw new Error(`the station died without being killed (exit ${proc.exit?.code}): ${proc.stderr}`);
        ({ next: consumed, lost } = collect(proc, consumed));
      }
      if (lost) {
        stats.leaseLost++;
        await proc.kill();
        continue;
      }
      if (mode === 'inflight') {
        for (let m = between(rand, 1, 3); m > 0; m--) {
          ledger.send(nextLine(ledger.state, index, rand, true));
          proc.send(ledger.pending.at(-1)!.line);
        }
        // From at once to a few ms: before the station reads the line, mid-append, after the fsync.
        spin(rand() < 0.3 ? 0 : rand() * 4);
      } else if (mode === 'pausing') {
        proc.endInput();
        spin(rand() * 30);
      }
      await proc.kill();
      if (collect(proc, consumed).lost) stats.leaseLost++;
    }

    // Pack the rest without mistakes and end the list: everything is there, once.
    round = ROUNDS;
    config = calmConfig;
    const proc = await open(false);
    let consumed = 1;
    for (let guard = 0; ledger.state.completed_orders < ORDERS; guard++) {
      if (guard > ORDERS * 20) throw new Error('the list does not get complete');
      ledger.send(nextLine(ledger.state, index, rand, false));
      proc.send(ledger.pending.at(-1)!.line);
      if (!(await proc.line(consumed))) throw new Error(`the last station died: ${proc.stderr}`);
      const { next, lost } = collect(proc, consumed);
      if (lost) throw new Error('the last station lost its lease');
      consumed = next;
    }
    proc.send('!END');
    const ended = await proc.line(consumed);
    expect(ended?.kind, JSON.stringify({ lines: proc.lines.slice(-3), stderr: proc.stderr })).toBe('ended');
    expect((await proc.exited).code).toBe(0);

    const final = await readListState(verify, ids);
    ledger.check(final);
    expect(final.completed_orders).toBe(ORDERS);
    expect(ledger.completed.size).toBe(ORDERS);

    const common = ['--root', setup.root, '--config', setup.config];
    const statsOut = await runCliJson<{
      totals: { orders_completed: number; items_packed: number; sittings: number };
      damaged_records: string[];
    }>(['stats', '--client', setup.client, ...common]);
    expect(statsOut.damaged_records).toEqual([]);
    expect(statsOut.totals.orders_completed).toBe(ORDERS);
    expect(statsOut.totals.items_packed).toBe(index.totalItems);
    const report = await runCliJson<{
      summary: { orders_completed: number; items_packed: number; orders_total: number };
    }>(['report', setup.client, setup.session, ...common]);
    expect(report.summary).toMatchObject({
      orders_completed: ORDERS,
      orders_total: ORDERS,
      items_packed: index.totalItems,
    });

    const ready = [...stats.readyMs].sort((a, b) => a - b);
    return (
      `${backend.name}: ${ROUNDS} kills in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${seed}); modes ${JSON.stringify(stats.modes)}; ` +
      `${stats.takeovers} takeovers, ${stats.releases} force releases mid-scan, ${stats.lockedRetries} opens had to take over a lease left without a record, ${stats.leaseLost} lease_lost; ` +
      `${ledger.acknowledged} answers checked, ${ledger.landedUnanswered} unanswered lines reached the journal, ${ledger.lostUnanswered} did not; ` +
      (backend.fillable
        ? `${stats.fullDisk.rounds} full-disk rounds: ${ledger.refused} lines answered "not saved" (none counted), ${stats.fullDisk.acknowledgedWhileFull} acknowledged while the disk was full, ${stats.fullDisk.killedWhileFull} kills with the disk full; `
        : '') +
      `open→ready p50 ${ready[Math.floor(ready.length / 2)]} ms, max ${ready.at(-1)} ms; ${statsOut.totals.sittings} sittings recorded`
    );
  } catch (err) {
    const e = err as Error;
    e.message = `[${backend.name}, seed ${seed} (PACK_CRASH_SEED=${seed} to replay), round ${round}; the rounds before: ${rounds.slice(-4).join(', ')}] ${e.message}`;
    throw e;
  }
}

const seedFor = () =>
  process.env.PACK_CRASH_SEED ? Number(process.env.PACK_CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);

describe('packdesk pack survives kill -9 at random points', () => {
  it(
    `local folder: ${ROUNDS} kills${canMount ? ' and full disks' : ''}, every acknowledged scan recovered, no order packed twice`,
    { timeout: 600_000 },
    async () => {
      const { dir, cleanup } = await tempDir('packdesk-crash-');
      // As root the data root is a tmpfs of the test's own, which the full-disk rounds fill up.
      const mountPoint = path.join(dir, 'disk');
      await mkdir(mountPoint);
      const disk = canMount
        ? await privateMounts('mount -t tmpfs -o size=64m tmpfs "$1"', [mountPoint])
        : null;
      try {
        const root = path.join(`${disk?.prefix ?? ''}${mountPoint}`, 'data');
        console.log(
          await crashRounds(
            {
              name: disk ? 'local tmpfs' : 'local',
              roots: [root],
              verifyRoot: root,
              fillable: disk !== null,
            },
            dir,
            seedFor(),
          ),
        );
      } finally {
        await disk?.close();
        await cleanup();
      }
    },
  );

  const rig = smbRig();
  // Over the FUSE rig every open reads each earlier epoch's segment, seal and sitting start, so the
  // last of 200 rounds open slower than the first (see the report of this test's figures).
  it.skipIf(!rig)(
    `SMB share, two PCs: ${ROUNDS} kills, every acknowledged scan recovered, no order packed twice`,
    { timeout: 1_200_000 },
    async () => {
      const { dir, cleanup } = await tempDir('packdesk-crash-smb-');
      const sub = `pack-crash-${process.pid}-${Date.now()}`;
      try {
        const backend = {
          name: 'SMB',
          roots: [path.join(rig!.pc1, sub), path.join(rig!.pc2, sub)],
          verifyRoot: path.join(rig!.server, sub),
        };
        console.log(await crashRounds(backend, dir, seedFor()));
      } finally {
        await cleanup();
        const { rm } = await import('node:fs/promises');
        await rm(path.join(rig!.server, sub), { recursive: true, force: true }).catch(() => {});
      }
    },
  );
});
