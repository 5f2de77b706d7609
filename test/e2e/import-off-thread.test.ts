// A large packing list uploaded to a hub must not stop its stations (issue: a 1,000,000-row workbook
// held the event loop for 40 s and every station lost its list): the import runs off the thread
// that answers scans and keeps leases alive, so a station keeps scanning while it is read. And a
// file past the bounds (rows, cell length) is refused with words, not read into memory.
import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach, dataFolder, seedThroughApi, serve, TWO_ORDERS } from './harness.js';

const ROWS = 150_000;

function bigCsv(rows: number): string {
  const lines = ['Order_Number,SKU,Product_Name,Quantity,Courier'];
  for (let i = 0; i < rows; i++)
    lines.push(
      `#${100000 + Math.floor(i / 3)},SKU-${i % 3}-${Math.floor(i / 3)},Product number ${i} in a long name,1,DHL`,
    );
  return `${lines.join('\n')}\n`;
}

async function post(url: string, path: string, body: string, type = 'application/json') {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('importing a large list on a hub', () => {
  const cleanups = cleanUpAfterEach();

  it('keeps answering scans while a large list is imported, and refuses files past the bounds', async () => {
    const folder = await dataFolder();
    cleanups.push(folder.cleanup);
    const server = await serve(folder.root, folder.config, 'HUB');
    cleanups.push(server.stop);
    const session = await seedThroughApi(server.url, 'SHOP', TWO_ORDERS);
    const opened = await post(
      server.url,
      '/api/stations/S1/open',
      JSON.stringify({ client: 'SHOP', session, list: 'DHL', worker: 'Ann' }),
    );
    expect(opened.status).toBe(200);

    const csv = bigCsv(ROWS);
    type Answer = { status: number; body: Record<string, unknown> };
    const done: { uploaded: Answer | null } = { uploaded: null };
    const upload = post(server.url, '/api/clients/SHOP/sessions?filename=BIG.csv', csv, 'text/csv').then(
      (r) => (done.uploaded = r),
    );
    const latencies: number[] = [];
    let n = 0;
    while (done.uploaded === null) {
      const started = performance.now();
      const answer = await post(
        server.url,
        '/api/stations/S1/scan',
        JSON.stringify({ text: n % 2 === 0 ? '2001' : '2002', event_id: `big-import-${n++}` }),
      );
      latencies.push(performance.now() - started);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
    await upload;
    const uploaded = done.uploaded as Answer;
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(latencies.length).toBeGreaterThan(3);
    // The station's heartbeat needs the loop every 0.5 s; scans were answered throughout.
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    const state = await fetch(`${server.url}/api/stations/S1`).then(
      (r) => r.json() as Promise<{ lease: { state: string } }>,
    );
    expect(state.lease.state).toBe('held');

    const longCell = `Order_Number,SKU,Product_Name,Quantity,Courier\n#1,A,${'x'.repeat(200_000)},1,DHL\n`;
    const refused = await post(
      server.url,
      '/api/clients/SHOP/sessions?filename=LONG.csv',
      longCell,
      'text/csv',
    );
    expect(refused.status).toBe(400);
    expect(String(refused.body.message)).toMatch(/longer than 64 KB/);
    const longName = `Order_Number,SKU,Product_Name,Quantity,Courier\n#1,A,${'x'.repeat(3_000)},1,DHL\n`;
    const tooLong = await post(
      server.url,
      '/api/clients/SHOP/sessions?filename=NAME.csv',
      longName,
      'text/csv',
    );
    expect(tooLong.status).toBe(400);
    expect(String(tooLong.body.message)).toMatch(/order #?1.*500/i);
  });
});
