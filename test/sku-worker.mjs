// A station process for the mapping concurrency tests: applies `count` random sets and deletes to
// one client's mappings through the app layer and prints one JSON line per acknowledged operation,
// with the revision the store returned. With BUSY_RETRIES > 0 an operation refused because other
// stations held the lock longer than it waits ("try again in a moment", nothing saved) is tried
// again, as a packer would, up to that many times; each refusal is printed as {busy: true}.
// Usage: node test/sku-worker.mjs ROOT CLIENT STATION COUNT SEED [HEARTBEAT_MS STALE_MS BUSY_RETRIES]
import { DEFAULT_SETTINGS } from '../dist/src/domain/settings.js';
import { Layout } from '../dist/src/store/layout.js';
import { deleteMapping, setMapping } from '../dist/src/app/sku-mappings.js';

const [
  root,
  client,
  station,
  countText,
  seedText,
  heartbeatText = '100',
  staleText = '1000',
  busyRetriesText = '0',
] = process.argv.slice(2);
const settings = structuredClone(DEFAULT_SETTINGS);
settings.locking = { heartbeatMs: Number(heartbeatText), staleMs: Number(staleText) };
const deps = { layout: new Layout(root), settings, station };

// Small deterministic PRNG so a failing run can be replayed from its seed.
let state = Number(seedText) >>> 0 || 1;
const random = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;

const barcodes = Array.from({ length: 12 }, (_, i) => `BC${i}`);
for (let i = 0; i < Number(countText); i++) {
  const barcode = barcodes[Math.floor(random() * barcodes.length)];
  const sku = `${station}-${i}`;
  const op = random() < 0.6 ? 'set' : 'delete';
  for (let attempt = 0; ; attempt++) {
    try {
      const r =
        op === 'set'
          ? await setMapping(deps, client, barcode, sku)
          : await deleteMapping(deps, client, barcode);
      process.stdout.write(
        `${JSON.stringify({ op, barcode, sku: op === 'set' ? sku : null, revision: r.revision, changed: r.changed })}\n`,
      );
    } catch (err) {
      if (op === 'delete' && err.code === 'NOT_FOUND') break;
      if (err.code === 'CONFLICT' && attempt < Number(busyRetriesText)) {
        process.stdout.write(`${JSON.stringify({ op, barcode, busy: true, message: err.message })}\n`);
        continue;
      }
      process.stdout.write(
        `${JSON.stringify({ op, barcode, error: err.code ?? 'INTERNAL', message: err.message })}\n`,
      );
    }
    break;
  }
}
