// Epochs only ever grow (DESIGN §4.5, §4.6), whatever happened to the lease folder: a clumsy clean-up
// that deleted a list's leases/ folder, or a stray folder with a huge epoch number, must not make a
// new sitting write where readers ignore it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { fullScript, ordersSpec, setUpPacking, type PackingSetup } from './helpers/packing-session.js';
import { PackLineSchema, type PackLine } from '../src/contract/pack-line.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** A `packdesk pack --json` line, read through the API contract's schema. */
type Line = PackLine;

async function sitting(setup: PackingSetup, lines: string[], extra: string[] = []): Promise<Line[]> {
  const result = await runCli(
    ['pack', setup.client, setup.session, '--root', setup.root, '--config', setup.config, '--json'].concat([
      '--station',
      'S1',
      '--worker',
      'Ann',
      ...extra,
    ]),
    { input: lines.map((l) => `${l}\n`).join('') },
  );
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((l) => PackLineSchema.parse(JSON.parse(l)));
}

/** The scans that pack orders [from, to) of `spec`. */
function ordersScript(spec: ReturnType<typeof ordersSpec>, from: number, to: number): string[] {
  return fullScript(Object.fromEntries(Object.entries(spec).slice(from, to)));
}

describe('lease epochs', () => {
  it('a deleted leases/ folder or a stray huge epoch folder never makes acknowledged orders disappear', async () => {
    const spec = ordersSpec(10);
    const setup = await setUpPacking(dir, path.join(dir, 'root'), spec, { heartbeat: 0.1, stale: 1 });
    const work = path.join(setup.root, 'SESSIONS', 'CLIENT_ACME', setup.session, 'packing', 'DHL');
    const completes = (lines: Line[]) => lines.filter((l) => l.kind === 'order_complete').length;

    expect(completes(await sitting(setup, ordersScript(spec, 0, 2)))).toBe(2);
    expect(completes(await sitting(setup, ordersScript(spec, 2, 4)))).toBe(2);

    // Someone tidies the share and deletes the lease folder between two sittings.
    await fs.rm(path.join(work, 'leases'), { recursive: true });
    const afterDelete = await sitting(setup, ordersScript(spec, 4, 6));
    expect(afterDelete[0]).toMatchObject({ kind: 'station_ready', packed: 4 });
    expect(afterDelete[0]!.epoch).toBeGreaterThan(2);
    expect(completes(afterDelete)).toBe(2);
    expect((await sitting(setup, []))[0]).toMatchObject({ kind: 'station_ready', packed: 6 });

    // A stray folder with the highest 8-digit epoch: held by nobody known, so it is taken over after
    // the TTL, and the next epoch needs 9 digits.
    await fs.mkdir(path.join(work, 'leases', 'e99999999'));
    const taken = await sitting(setup, ordersScript(spec, 6, 8), ['--take-over']);
    expect(taken[0]).toMatchObject({ kind: 'station_ready', packed: 6, epoch: 100_000_000 });
    expect(completes(taken)).toBe(2);
    const last = await sitting(setup, ordersScript(spec, 8, 10));
    expect(last[0]).toMatchObject({ kind: 'station_ready', packed: 8, epoch: 100_000_001 });
    expect(completes(last)).toBe(2);
    expect((await sitting(setup, []))[0]).toMatchObject({ kind: 'station_ready', packed: 10, required: 10 });
    expect(await fs.readdir(path.join(work, 'journal'))).toContain('segment.100000001.jsonl');
  });
});
