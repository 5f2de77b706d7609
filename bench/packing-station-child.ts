// Run by bench/packing-station.ts in a fresh process: opens a packing list at a station the way
// `packdesk pack` does (lease, list, journal recovery) and reports that process's memory.
import pino from 'pino';
import { PackingStation } from '../src/app/packing-station.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings.js';
import { Layout } from '../src/store/layout.js';

const [root, idsJson] = process.argv.slice(2) as [string, string];
const ids = JSON.parse(idsJson) as { client: string; session: string; list: string };
const deps = {
  layout: new Layout(root),
  settings: structuredClone(DEFAULT_SETTINGS),
  logger: pino({ level: 'silent' }),
};
const t = performance.now();
const station = await PackingStation.open(deps, { ...ids, station: 'MEM', worker: 'bench' });
const openMs = performance.now() - t;
// What stays while the station packs, after recovery's garbage is collected (run with --expose-gc).
(globalThis as { gc?: () => void }).gc?.();
const { rss, heapUsed } = process.memoryUsage();
// maxRSS is in kilobytes: the peak includes reading and replaying the journal, not only what stays.
const maxRss = process.resourceUsage().maxRSS * 1024;
const done = station.view().progress.orders_done;
await station.close();
process.stdout.write(JSON.stringify({ rss, maxRss, heapUsed, openMs, done }));
