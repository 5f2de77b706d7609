// Holds a client's mapping lock the way a station in the middle of a save does, for the lock tests.
// Usage: node test/sku-lock-holder.mjs ROOT CLIENT HEARTBEAT_MS STALE_MS HOLD_MS WAIT_MS
// Prints "held" once it holds the lock (or the error code and message if it gave up waiting after
// WAIT_MS). With HOLD_MS > 0 it releases after that long and prints "released"; with 0 it waits for
// a line on stdin, then says whether it still holds the lock ("still-held" or the error code).
import { createInterface } from 'node:readline';
import { withDirLock } from '../dist/src/store/dir-lock.js';
import { Layout } from '../dist/src/store/layout.js';

const [root, client, heartbeatMs, staleMs, holdText, waitMs] = process.argv.slice(2);
const holdMs = Number(holdText);
const lockDir = new Layout(root).clientLockDir(client, 'sku_mapping');
const station = `HOLDER-${process.pid}`;
await withDirLock(
  lockDir,
  {
    station,
    heartbeatMs: Number(heartbeatMs),
    staleMs: Number(staleMs),
    waitMs: Number(waitMs),
    what: 'the test lock',
  },
  async (lock) => {
    process.stdout.write('held\n');
    if (holdMs) {
      await new Promise((r) => setTimeout(r, holdMs));
      return;
    }
    const lines = createInterface({ input: process.stdin });
    await new Promise((r) => lines.once('line', r));
    lines.close();
    try {
      await lock.assertHeld();
      process.stdout.write('still-held\n');
    } catch (err) {
      process.stdout.write(`${err.code}\n`);
    }
  },
).then(
  () => holdMs && process.stdout.write('released\n'),
  (err) => process.stdout.write(`${err.code}\n${err.message}\n`),
);
