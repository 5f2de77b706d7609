// `packdesk session orders`: a list's overview and one order's history in a terminal, read without
// taking the list (here while another process holds it), in the same JSON as the HTTP API.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ListOverviewSchema, OrderHistorySchema } from '../src/domain/list-overview.js';
import { runCli, startCli, tempDir } from './helpers/cli.js';
import { ordersSpec, setUpPacking } from './helpers/packing-session.js';
import { waitFor } from './helpers/wait.js';

describe('packdesk session orders', () => {
  it('shows every order with its state and one order with its history, while a station holds the list', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const setup = await setUpPacking(dir, path.join(dir, 'data'), ordersSpec(3));
      const common = ['--root', setup.root, '--config', setup.config];
      // A station packs #1001 whole and starts #1002, and keeps the list.
      const station = startCli([
        'pack',
        'ACME',
        setup.session,
        ...common,
        '--json',
        '--worker',
        'Ann',
        '--station',
        'S1',
      ]);
      let out = '';
      station.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
      station.stdin!.write(['1001', 'A-1001-1', 'A-1001-2', 'A-1001-2', '1002', 'A-1002-1', ''].join('\n'));
      await waitFor(
        () => out.split('\n').filter((l) => l.includes('"kind"')).length >= 7,
        'the scans to be answered',
      );
      try {
        const listed = await runCli(['session', 'orders', 'ACME', setup.session, ...common, '--json']);
        expect(listed.code, listed.stderr).toBe(0);
        const overview = ListOverviewSchema.parse(JSON.parse(listed.stdout));
        expect(overview.orders.map((o) => [o.number, o.state, o.packed])).toEqual([
          ['#1001', 'done', 3],
          ['#1002', 'open', 1],
          ['#1003', 'to_do', 0],
        ]);
        const text = await runCli([
          'session',
          'orders',
          'ACME',
          setup.session,
          ...common,
          '--search',
          'a-1003',
        ]);
        expect(text.stdout).toMatch(/#1003\s+To do/);
        expect(text.stdout).not.toMatch(/#1001/);

        const one = await runCli([
          'session',
          'orders',
          'ACME',
          setup.session,
          ...common,
          '--order',
          '#1001',
          '--json',
        ]);
        const history = OrderHistorySchema.parse(JSON.parse(one.stdout));
        expect(history.history.map((e) => e.what)).toEqual([
          'opened',
          'scanned A-1001-1',
          'scanned A-1001-2',
          'scanned A-1001-2',
        ]);
        expect(history.packed_by.find((p) => p.sku === 'A-1001-2')?.packs).toHaveLength(2);
        const shown = await runCli([
          'session',
          'orders',
          'ACME',
          setup.session,
          ...common,
          '--order',
          '1001',
        ]);
        expect(shown.stdout).toMatch(/Ann at S1: scanned A-1001-1/);

        expect(
          (await runCli(['session', 'orders', 'ACME', setup.session, ...common, '--order', '9999'])).code,
        ).toBe(3);
        const bad = await runCli(['session', 'orders', 'ACME', setup.session, ...common, '--state', 'half']);
        expect(bad.code).toBe(2);
        expect(bad.stderr).toContain('--state');
      } finally {
        station.stdin!.end();
        await waitFor(() => station.exitCode !== null, 'the station to pause the list', 20_000);
      }
    } finally {
      await cleanup();
    }
  });
});
