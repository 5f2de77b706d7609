// Watching a list's lease from outside: who holds it, how long since its last heartbeat. Needs no
// lease and loads none of the lease-holding code, so a listing of many lists stays light.
import { leaseStatus, type LeaseSnapshot, type LeaseStatus } from '../domain/lease.js';
import type { Layout } from './layout.js';
import { heartbeatAgeMs, serverNowMs, snapshotLease } from './lease/observe.js';
import type { ListIds } from './list-lease.js';

/** Who holds a list now, as an observer sees it (no lease needed). */
export interface LeaseObservation {
  snapshot: LeaseSnapshot;
  status: LeaseStatus;
  held: boolean;
  heartbeatAgeMs: number | null;
  /** The holder's own stale time, else `ownTtlMs`. */
  ttlMs: number;
}

/**
 * `serverNow`: the file server's clock, for a listing that looks at many lists and probes it once
 * (left out: probed here). A free list's heartbeat age is not looked up.
 */
export async function observeLease(
  layout: Layout,
  ids: ListIds,
  ownTtlMs: number,
  serverNow?: () => Promise<number | null>,
): Promise<LeaseObservation> {
  const leasesDir = layout.listLeasesDir(ids.client, ids.session, ids.list);
  const snapshot = await snapshotLease(leasesDir);
  const status = leaseStatus(snapshot);
  const held = status.state === 'held';
  return {
    snapshot,
    status,
    held,
    heartbeatAgeMs: held
      ? await heartbeatAgeMs(leasesDir, snapshot.epoch, snapshot.beatSeq, await serverNow?.())
      : null,
    ttlMs: snapshot.record?.ttl_ms ?? ownTtlMs,
  };
}

/** The file server's clock now, probed in the client's sessions folder. */
export function serverClock(layout: Layout, client: string): Promise<number | null> {
  return serverNowMs(layout.clientSessionsDir(client));
}
