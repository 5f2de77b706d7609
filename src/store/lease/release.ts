// Ending a lease. The holder writes a release marker into its own epoch folder. A shift lead's force
// release goes through the same one-winner mkdir as a takeover: it creates the next epoch with a
// record of kind force_release that names who was released and why, so it is audited, and the old
// holder finds that epoch on its next heartbeat.
import path from 'node:path';
import { epochDirName, type LeaseRecord, type ReleaseMarker } from '../../domain/lease.js';
import { storageErrorFor, writeNewFile } from '../atomic-file.js';
import { wallNowIso } from './clock.js';
import { createEpoch, newRecord, previousFrom, type Claimant } from './acquire.js';
import { RELEASE_FILE } from './observe.js';

export async function writeRelease(
  leasesDir: string,
  record: LeaseRecord,
  completed: boolean,
): Promise<void> {
  const dir = path.join(leasesDir, epochDirName(record.epoch));
  const marker: ReleaseMarker = {
    epoch: record.epoch,
    lease_id: record.lease_id,
    released_at: wallNowIso(),
    completed,
  };
  try {
    await writeNewFile(path.join(dir, RELEASE_FILE), `${JSON.stringify(marker)}\n`);
  } catch (err) {
    throw storageErrorFor(err, 'release the packing list', dir);
  }
}

/** Returns the force-release record, or null when another station changed the lease first. */
export async function forceRelease(
  leasesDir: string,
  heldEpoch: number,
  heldRecord: LeaseRecord | null,
  by: Claimant,
  reason: string,
): Promise<LeaseRecord | null> {
  const record = newRecord(by, heldEpoch + 1, 'force_release', previousFrom(heldEpoch, heldRecord), reason);
  return (await createEpoch(leasesDir, record)) ? record : null;
}
