// A racing station for test/lease-race.test.ts: started once, it opens list l<r> of one session in
// every round r as soon as the file go.<r> appears in the sync folder, reports whether it got it or who
// holds it, and the holder releases when done.<r> appears. One process start serves many rounds.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { openList } from '../dist/src/app/open-list.js';
import { loadSettings } from '../dist/src/store/config-ini.js';
import { Layout } from '../dist/src/store/layout.js';

const [root, config, client, session, station, rounds, sync] = process.argv.slice(2);
const out = (o) => process.stdout.write(`${JSON.stringify({ station, ...o })}\n`);
const { settings } = await loadSettings(config);
const deps = { layout: new Layout(root), settings };
const until = async (name) => {
  while (!existsSync(path.join(sync, name))) await delay(2);
};
out({ event: 'ready' });
for (let r = 0; r < Number(rounds); r++) {
  await until(`go.${r}`);
  try {
    const lease = await openList(deps, {
      client,
      session,
      list: `l${r}`,
      station,
      worker: `${station}-worker`,
    });
    out({ round: r, event: 'acquired', epoch: lease.epoch });
    await until(`done.${r}`);
    await lease.release();
    out({ round: r, event: 'released' });
  } catch (err) {
    out({
      round: r,
      event: err.code === 'SESSION_LOCKED' ? 'locked' : 'error',
      holder: err.holder,
      message: err.message,
    });
  }
}
process.exit(0);
