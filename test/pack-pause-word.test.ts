// The printed "Close" code of the command sheet (!PAUSE) pauses a terminal station the way the end
// of input does: nothing after it is taken, the open order stays open, and the list opens again.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { ordersSpec, setUpPacking, type PackingSetup } from './helpers/packing-session.js';
import { PackLineSchema, type PackLine } from '../src/contract/pack-line.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function pack(setup: PackingSetup, lines: string[]): Promise<PackLine[]> {
  const result = await runCli(
    ['pack', setup.client, setup.session, '--root', setup.root, '--config', setup.config, '--json'],
    { input: lines.map((l) => `${l}\n`).join('') },
  );
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((l) => PackLineSchema.parse(JSON.parse(l)));
}

it('pauses at a scanned !PAUSE and takes nothing after it', async () => {
  const setup = await setUpPacking(dir, `${dir}/data`, ordersSpec(2));
  const first = await pack(setup, ['1001', 'A-1001-1', '!pause', 'A-1001-2']);
  expect(first.map((o) => o.kind)).toEqual(['station_ready', 'order_opened', 'item_ok', 'paused']);
  const again = await pack(setup, ['A-1001-1']);
  // The order is still open where the pause left it: its first line is already packed.
  expect(again.map((o) => o.kind)).toEqual(['station_ready', 'overscan', 'paused']);
});
