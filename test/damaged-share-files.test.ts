// Every file on the share is read through its schema (DESIGN §3): a file that is damaged in a way
// its checksum or JSON syntax does not catch is still never taken at face value. Where it holds
// acknowledged work (a journal event, a seal) the station stops with exit 8 and says what is damaged;
// where it only shortens recovery or adds figures (a snapshot, a sitting's start file, a lock's owner
// file) it is passed over and the work goes on from what is sound.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32 } from '../src/domain/journal-record.js';
import { withDirLock } from '../src/store/dir-lock.js';
import { runCli, tempDir } from './helpers/cli.js';
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

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** Packs the first `orders` orders of `spec` in a sitting that is then killed: no closing snapshot. */
async function crashedSitting(setup: PackingSetup, spec: ReturnType<typeof ordersSpec>, orders: number) {
  const station = new StationProcess(packArgs(setup));
  expect((await station.line(0))!.kind).toBe('station_ready');
  const script = fullScript(Object.fromEntries(Object.entries(spec).slice(0, orders)));
  for (const line of script) station.send(line);
  expect((await station.line(script.length))!.kind).toBe('order_complete');
  await station.kill();
}

/** The segment with its last record's event changed by `change`, and a checksum that matches again. */
async function rewriteLastEvent(segment: string, change: (event: { type: string; data: object }) => void) {
  const lines = (await fs.readFile(segment, 'utf8')).split('\n');
  const last = lines.length - 2; // the text ends with a line break
  const { crc: _crc, ...record } = JSON.parse(lines[last]!);
  change(record.event);
  const body = JSON.stringify(record);
  lines[last] = `${body.slice(0, -1)},"crc":"${crc32(body)}"}`;
  await fs.writeFile(segment, lines.join('\n'));
  return record.seq as number;
}

describe('damaged files on the share', () => {
  it('a stored packing list edited to hold a 20 MB product name is refused as damaged, never sent with every scan answer', async () => {
    const spec = ordersSpec(2);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    const sessionDir = path.join(setup.root, 'SESSIONS', `CLIENT_${setup.client}`, setup.session);
    const file = path.join(sessionDir, 'packing_lists', `${setup.list}.json`);
    const list = JSON.parse(await fs.readFile(file, 'utf8'));
    list.orders[0].items[0].product_name = 'x'.repeat(20_000_000);
    await fs.writeFile(file, JSON.stringify(list));

    const packed = await runCli(packArgs(setup));
    expect(packed.code, packed.stderr.slice(0, 500)).toBe(8);
    expect(packed.stdout).toBe('');
    // The refusal names the file and stays short: the 20 MB text is never printed either.
    expect(packed.stderr.length).toBeLessThan(4_000);
    expect(JSON.parse(packed.stderr).message).toMatch(new RegExp(`${setup.list}\\.json`));
  });
  it('a journal event that is no scan event stops the station and the reports with exit 8, naming the record', async () => {
    const spec = ordersSpec(3);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    await crashedSitting(setup, spec, 2);
    const segment = path.join(journalOf(setup), 'segment.00000001.jsonl');
    const seq = await rewriteLastEvent(segment, (event) => {
      event.data = { order: '1002' }; // an item scan without its SKU
    });

    const packed = await runCli(packArgs(setup));
    expect(packed.code, packed.stderr).toBe(8);
    const error = JSON.parse(packed.stderr);
    expect(error.error).toBe('CORRUPT');
    expect(error.message).toMatch(new RegExp(`damaged at record ${seq} .*"event\\.data\\.sku" is invalid`));

    const report = await runCli(['report', setup.client, setup.session, ...commonArgs(setup), '--json']);
    expect(report.code, report.stderr).toBe(8);
    expect(JSON.parse(report.stderr).message).toMatch(new RegExp(`damaged at record ${seq} `));
  });

  it('a damaged seal stops the station with exit 8 instead of guessing which writes count', async () => {
    const spec = ordersSpec(2);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    await crashedSitting(setup, spec, 1);
    // The next sitting seals the crashed one's epoch and is killed before any snapshot of its own,
    // so the seal is what says which of the first sitting's records count.
    const second = new StationProcess(packArgs(setup));
    expect((await second.line(0))!).toMatchObject({ kind: 'station_ready', packed: 1 });
    await second.kill();
    const seal = path.join(journalOf(setup), 'seal.00000001.json');
    const sealed = JSON.parse(await fs.readFile(seal, 'utf8'));
    await fs.writeFile(seal, JSON.stringify({ ...sealed, bytes: 'all of them' }));

    const packed = await runCli(packArgs(setup));
    expect(packed.code, packed.stderr).toBe(8);
    expect(JSON.parse(packed.stderr).message).toMatch(
      /journal seal seal\.00000001\.json is damaged.*"bytes"/,
    );
  });

  it("a crashed sitting's damaged start file is passed over: the next station opens the list with nothing lost", async () => {
    const spec = ordersSpec(3);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    await crashedSitting(setup, spec, 2);
    const journal = journalOf(setup);
    const start = (await fs.readdir(journal)).find((n) => n.endsWith('.sitting_start.json'))!;
    // Valid JSON, but no totals: read as they are, the earlier sitting's figures would be NaN or a TypeError.
    await fs.writeFile(path.join(journal, start), JSON.stringify({ epoch: 1, station: 'S1' }));

    const rest = fullScript(Object.fromEntries(Object.entries(spec).slice(2)));
    const next = await runCli(packArgs(setup), { input: rest.map((l) => `${l}\n`).join('') });
    expect(next.code, next.stderr).toBe(0);
    const lines = next.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ kind: 'station_ready', packed: 2, required: 3 });
    expect(lines.filter((l) => l.kind === 'order_complete')).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ kind: 'paused' });
  });

  it('a lock whose owner file is damaged is taken over once it is stale, and no holder is made up', async () => {
    const lockDir = path.join(dir, 'mappings.lock');
    await fs.mkdir(lockDir);
    // Valid JSON from no packdesk: its "stale time" of an hour must not keep everyone waiting.
    await fs.writeFile(
      path.join(lockDir, 'owner.json'),
      JSON.stringify({ station: 'S9', stale_ms: '3600000' }),
    );
    const options = { station: 'S1', staleMs: 400, heartbeatMs: 100, what: 'the test file' };

    // A waiter that gives up before the stale time says someone holds it, without naming a station.
    await expect(
      withDirLock(lockDir, { ...options, waitMs: 150 }, async () => 'never'),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Another station is still saving the test file. Try again in a moment.',
    });
    const started = performance.now();
    await expect(withDirLock(lockDir, { ...options, waitMs: 10_000 }, async () => 'saved')).resolves.toBe(
      'saved',
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });
});
