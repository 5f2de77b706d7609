// A test station that holds a list through the store's ListLease and appends every stdin line as a
// fenced journal write, printing one JSON line per lease event and per write outcome. Runs the built code.
import { resolveList } from '../dist/src/app/open-list.js';
import { ListLease } from '../dist/src/store/list-lease.js';
import { loadSettings } from '../dist/src/store/config-ini.js';
import { Layout } from '../dist/src/store/layout.js';
import readline from 'node:readline';

const [root, config, client, session, list, station, mode] = process.argv.slice(2);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const { settings } = await loadSettings(config);
const rl = readline.createInterface({ input: process.stdin });
const lines = rl[Symbol.asyncIterator]();
// "go-take-over": start up first, then try the takeover when the test writes "go", so the measured
// time is the lease protocol's and not the process start.
if (mode === 'go-take-over') {
  out({ event: 'ready' });
  await lines.next();
}
let lease;
try {
  const layout = new Layout(root);
  const ids = { client, session, list: await resolveList(layout, client, session, list) };
  lease = await ListLease.acquire(
    layout,
    settings.locking,
    ids,
    {
      station,
      worker: `${station}-worker`,
      takeOver: mode === 'take-over' || mode === 'go-take-over',
    },
    out,
  );
} catch (err) {
  out({ event: 'error', code: err.code, message: err.message, holder: err.holder });
  process.exit(5);
}
for (let next = await lines.next(); !next.done; next = await lines.next()) {
  const line = next.value;
  try {
    await lease.appendFenced(line);
    out({ event: 'ack', line });
  } catch (err) {
    out({ event: 'refused', line, code: err.code });
  }
}
await lease.release();
process.exit(0);
