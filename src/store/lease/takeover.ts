// Deciding that a lease is stale: the newcomer watches the current epoch for a full TTL on its own
// monotonic clock. Any new heartbeat or newer epoch means the holder lives. The cost, documented in
// docs/sessions-and-leases.md: a takeover completes between TTL and TTL + 2 heartbeats after the
// holder died, because a station that arrives later has to watch a full TTL itself.
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { epochDirName, StalenessWatch } from '../../domain/lease.js';
import { monoNowMs } from './clock.js';
import { highestEpoch, latestBeat } from './observe.js';

export type WatchOutcome =
  | { outcome: 'stale'; watchedMs: number }
  | { outcome: 'alive'; epoch: number }
  | { outcome: 'changed'; epoch: number };

/**
 * Watches epoch `epoch` until it has shown no sign of life for `ttlMs`, or until it shows one. A read
 * that fails is not an observation: an observer that cannot see the share can never call a lease stale.
 */
export async function watchUntilStale(
  leasesDir: string,
  epoch: number,
  ttlMs: number,
  pollMs: number,
  signal?: AbortSignal,
): Promise<WatchOutcome> {
  const watch = new StalenessWatch(ttlMs);
  const dir = path.join(leasesDir, epochDirName(epoch));
  let seq = -1;
  let firstSeq: number | null = null;
  const started = monoNowMs();
  for (;;) {
    signal?.throwIfAborted();
    try {
      const current = await highestEpoch(leasesDir);
      if (current !== epoch) return { outcome: 'changed', epoch: current };
      seq = await latestBeat(dir, seq);
      firstSeq ??= seq;
      if (seq !== firstSeq) return { outcome: 'alive', epoch };
      if (watch.observe(epoch, seq, monoNowMs()))
        return { outcome: 'stale', watchedMs: Math.round(monoNowMs() - started) };
    } catch {
      // Unreadable share: keep watching; nothing is decided on a failed look.
    }
    await delay(pollMs, undefined, { signal });
  }
}
