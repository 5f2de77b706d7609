// A journal shorter than what is known to have been acknowledged is damage (DESIGN §4.11): cut,
// emptied or deleted after a crash, it must stop the station with exit 8 and `session show` must say
// what is missing, instead of reading back fewer orders with no warning.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from './helpers/cli.js';
import {
  commonArgs,
  fullScript,
  journalOf,
  ordersSpec,
  packArgs,
  setUpPacking,
  type PackingSetup,
} from './helpers/packing-session.js';
import { StationProcess } from './helpers/station-process.js';
import { waitFor } from './helpers/wait.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

interface Shown {
  lists: { orders_done: number; damage?: { message: string } }[];
}

/** Packs every order of `spec` in one sitting that is then killed: no closing snapshot, no seal. */
async function crashedSitting(setup: PackingSetup, spec: ReturnType<typeof ordersSpec>): Promise<void> {
  const station = new StationProcess(packArgs(setup));
  expect((await station.line(0))!.kind).toBe('station_ready');
  const script = fullScript(spec);
  for (const line of script) station.send(line);
  expect((await station.line(script.length))!.kind).toBe('order_complete');
  // The station publishes its progress to the session index a moment after the last order.
  const total = Object.keys(spec).length;
  await waitFor(
    async () =>
      (await runCliJson<Shown>(['session', 'show', setup.client, setup.session, ...commonArgs(setup)]))
        .lists[0]!.orders_done === total,
    'the progress to reach the index',
  );
  await station.kill();
}

interface DoctorReport {
  journals: {
    lists_checked: number;
    damaged: {
      client: string;
      session: string;
      list: string;
      message: string;
      details: Record<string, unknown>;
    }[];
  };
}

/** `packdesk doctor` names the damaged list and what is missing, with exit 8; read before any station tried it. */
async function expectDoctorFinds(
  setup: PackingSetup,
  missing: RegExp,
): Promise<DoctorReport['journals']['damaged'][number]> {
  const doctor = await runCli(['doctor', ...commonArgs(setup), '--json']);
  expect(doctor.code, doctor.stderr).toBe(8);
  expect(JSON.parse(doctor.stderr)).toMatchObject({ error: 'CORRUPT', damaged: 1 });
  const report = JSON.parse(doctor.stdout) as DoctorReport;
  expect(report.journals.lists_checked).toBe(1);
  expect(report.journals.damaged).toHaveLength(1);
  const found = report.journals.damaged[0]!;
  expect(found).toMatchObject({ client: setup.client, session: setup.session, list: 'DHL' });
  expect(found.message).toMatch(missing);
  const text = await runCli(['doctor', ...commonArgs(setup)]);
  expect(text.code).toBe(8);
  expect(text.stdout).toMatch(/FAIL\s+journals\s+1 of 1 list\(s\) damaged/);
  expect(text.stdout).toContain(`ACME / ${setup.session} / DHL: `);
  return found;
}

async function expectRefused(setup: PackingSetup, missing: RegExp): Promise<void> {
  await expectDoctorFinds(setup, missing);
  const reopened = await runCli(packArgs(setup));
  expect(reopened.code, reopened.stdout).toBe(8);
  expect(JSON.parse(reopened.stderr).message).toMatch(missing);
  const shown = await runCliJson<Shown>([
    'session',
    'show',
    setup.client,
    setup.session,
    ...commonArgs(setup),
  ]);
  expect(shown.lists[0]!.damage?.message).toMatch(missing);
}

describe('a shortened journal', () => {
  it('cut or deleted after a crash is reported as damage, and the station refuses to pack on it', async () => {
    const spec = ordersSpec(5);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    await crashedSitting(setup, spec);
    const segment = path.join(journalOf(setup), 'segment.00000001.jsonl');
    const whole = await fs.readFile(segment);

    await fs.writeFile(segment, whole.subarray(0, Math.floor(whole.length * 0.4)));
    await expectRefused(setup, /records \d+–\d+ are missing/);

    // (The refused opening sealed what was left; an emptied segment falls short of that seal too.)
    await fs.writeFile(segment, '');
    await expectRefused(setup, /are missing/);

    await fs.rm(journalOf(setup), { recursive: true });
    await expectRefused(setup, /ends at record 0.*are missing/);

    // Put back, the list opens again with all five orders.
    await fs.mkdir(journalOf(setup), { recursive: true });
    await fs.writeFile(segment, whole);
    const back = await runCli(packArgs(setup));
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout.split('\n')[0]!)).toMatchObject({ kind: 'station_ready', packed: 5 });
    const doctor = await runCliJson<DoctorReport>(['doctor', ...commonArgs(setup)]);
    expect(doctor.journals).toEqual({ lists_checked: 1, damaged: [] });
  });

  it('doctor names a record garbled in place, and where it is', async () => {
    const spec = ordersSpec(4);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    await crashedSitting(setup, spec);
    const segment = path.join(journalOf(setup), 'segment.00000001.jsonl');
    const lines = (await fs.readFile(segment, 'utf8')).split('\n');
    // The fifth record's JSON broken in the middle, its length unchanged.
    lines[4] = `${lines[4]!.slice(0, 10)}#${lines[4]!.slice(11)}`;
    await fs.writeFile(segment, lines.join('\n'));
    const found = await expectDoctorFinds(setup, /damaged at record 5/);
    expect(found.details).toMatchObject({ journal: journalOf(setup), record: 5 });
  });

  it('an earlier sitting cut below its seal is damage even when the session index is gone', async () => {
    const spec = ordersSpec(4);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    // A sitting killed after packing everything, then one killed right after opening (it sealed the
    // first sitting's segment), so no snapshot covers the first sitting's records.
    const first = new StationProcess(packArgs(setup));
    const script = fullScript(spec);
    for (const line of script) first.send(line);
    expect((await first.line(script.length))!.kind).toBe('order_complete');
    await first.kill();
    const second = new StationProcess(packArgs(setup));
    expect((await second.line(0))!).toMatchObject({ kind: 'station_ready', packed: 4 });
    await second.kill();
    await fs.rm(path.join(setup.root, 'SESSIONS', 'CLIENT_ACME', '.index'), { recursive: true });
    const segment = path.join(journalOf(setup), 'segment.00000001.jsonl');
    const whole = await fs.readFile(segment);
    await fs.writeFile(segment, whole.subarray(0, whole.length - 40));
    await expectRefused(setup, /segment\.00000001\.jsonl has only \d+ bytes, but its seal says/);
  });

  it('a snapshot edited to claim more than its list holds is not believed; the journal is replayed', async () => {
    const spec = ordersSpec(5);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    const two = fullScript(Object.fromEntries(Object.entries(spec).slice(0, 2)));
    const first = await runCli(packArgs(setup), { input: two.map((l) => `${l}\n`).join('') });
    expect(first.code, first.stderr).toBe(0);
    const journal = journalOf(setup);
    const name = (await fs.readdir(journal))
      .filter((n) => n.endsWith('.packing_state.json'))
      .sort()
      .at(-1)!;
    const snapshot = JSON.parse(await fs.readFile(path.join(journal, name), 'utf8'));
    snapshot.state.completed_orders = 9999;
    snapshot.state.packed_items = 2e9;
    await fs.writeFile(path.join(journal, name), JSON.stringify(snapshot));
    const again = await runCli(packArgs(setup));
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.split('\n')[0]!)).toMatchObject({
      kind: 'station_ready',
      packed: 2,
      required: 5,
    });
  });
});
