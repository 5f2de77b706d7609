// Looking at a list's lease folder: which epoch is current, its record, whether it was released, and
// its latest heartbeat. Nothing read here is ever taken as "free" unless a release says so.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  beatName,
  epochDirName,
  epochFromDirName,
  LeaseRecord,
  ReleaseMarker,
  seqFromBeatName,
  type LeaseSnapshot,
} from '../../domain/lease.js';
import { errorCode } from '../fs-retry.js';
import { parseJsonText } from '../json-file.js';
import { exists, listOrEmpty, readIfExists } from './fs-util.js';

export const RECORD_FILE = 'record.json';
export const RELEASE_FILE = 'released.json';

export async function highestEpoch(leasesDir: string): Promise<number> {
  let max = 0;
  for (const name of await listOrEmpty(leasesDir)) {
    const epoch = epochFromDirName(name);
    if (epoch !== null && epoch > max) max = epoch;
  }
  // A folder listing can be up to a second old on an SMB client; a newer epoch is looked up by name.
  while (await exists(path.join(leasesDir, epochDirName(max + 1)))) max++;
  return max;
}

export async function readRecord(epochDir: string): Promise<LeaseRecord | null> {
  const text = await readIfExists(path.join(epochDir, RECORD_FILE));
  if (text === null) return null;
  const parsed = parseJsonText(text, LeaseRecord);
  return parsed.ok ? parsed.value : null;
}

async function readRelease(epochDir: string): Promise<ReleaseMarker | null> {
  const text = await readIfExists(path.join(epochDir, RELEASE_FILE));
  if (text === null) return null;
  const parsed = parseJsonText(text, ReleaseMarker);
  return parsed.ok ? parsed.value : null;
}

/** Highest heartbeat of an epoch, starting from `fromSeq` (a listing gives a start, lookups by name find newer beats). */
export async function latestBeat(epochDir: string, fromSeq = -1): Promise<number> {
  let seq = fromSeq;
  if (seq < 0) {
    seq = 0;
    for (const name of await listOrEmpty(epochDir)) {
      const s = seqFromBeatName(name);
      if (s !== null && s > seq) seq = s;
    }
  }
  while (await exists(path.join(epochDir, beatName(seq + 1)))) seq++;
  return seq;
}

export async function snapshotLease(leasesDir: string): Promise<LeaseSnapshot> {
  const epoch = await highestEpoch(leasesDir);
  if (epoch === 0) return { epoch: 0, record: null, release: null, beatSeq: 0 };
  const dir = path.join(leasesDir, epochDirName(epoch));
  const [record, release, beatSeq] = await Promise.all([readRecord(dir), readRelease(dir), latestBeat(dir)]);
  return { epoch, record, release, beatSeq };
}

/** The file server's clock now: it stamps a probe file we create (and remove) in `dir`. */
export async function serverNowMs(dir: string): Promise<number | null> {
  const probe = path.join(dir, `.now.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    await fs.writeFile(probe, '');
    return (await fs.stat(probe)).mtimeMs;
  } catch {
    return null;
  } finally {
    await fs.rm(probe, { force: true }).catch(() => {});
  }
}

/**
 * Age of an epoch's last sign of life by the file server's own clock: the server stamped the last
 * heartbeat and a probe file (`serverNow`), and the two stamps are compared. No PC's clock is
 * involved, so this is right under any skew; it is for showing people, while takeover decisions
 * watch on the observer's monotonic clock.
 */
export async function heartbeatAgeMs(
  leasesDir: string,
  epoch: number,
  beatSeq: number,
  serverNow?: number | null,
): Promise<number | null> {
  const dir = path.join(leasesDir, epochDirName(epoch));
  try {
    const last = await fs.stat(path.join(dir, beatSeq > 0 ? beatName(beatSeq) : RECORD_FILE)).catch((err) => {
      if (errorCode(err) === 'ENOENT') return fs.stat(dir);
      throw err;
    });
    const now = serverNow === undefined ? await serverNowMs(leasesDir) : serverNow;
    return now === null ? null : Math.max(0, Math.round(now - last.mtimeMs));
  } catch {
    return null;
  }
}
