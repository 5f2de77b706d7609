// A test station that holds a list through ListLease and appends every stdin line as a fenced
// journal write, printing one JSON line per lease event and per write outcome. Runs the built code.
import { ListLease } from '../dist/src/app/open-list.js';
import { loadSettings } from '../dist/src/store/config-ini.js';
import { Layout } from '../dist/src/store/layout.js';
import readline from 'node:readline';

const [root, config, client, session, list, station, takeOver] = process.argv.slice(2);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const { settings } = await loadSettings(config);
let lease;
try {
  lease = await ListLease.open(
    { layout: new Layout(root), settings },
    { client, session, list, station, worker: `${station}-worker`, takeOver: takeOver === 'take-over' },
    out,
  );
} catch (err) {
  out({ event: 'error', code: err.code, message: err.message });
  process.exit(5);
}
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  try {
    await lease.appendFenced(line);
    out({ event: 'ack', line });
  } catch (err) {
    out({ event: 'refused', line, code: err.code });
  }
}
await lease.release();
process.exit(0);
