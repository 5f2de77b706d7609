// Lease records and the rules that read them (DESIGN §4). Pure: no I/O, no clocks.
//
// A list's leases live in one folder, one sub-folder per epoch ("e00000007"). Creating the folder of
// epoch k+1 with mkdir is the only way to get the list: the file server lets exactly one creator win,
// and nobody creates epoch k+1 before judging epoch k released or stale. Nothing is ever renamed or
// deleted while a lease lives, so no reader can see a live lease vanish.
import { z } from 'zod';

// Eight digits is the padding, not a limit: epoch 100000000 is "e100000000" and still read as one
// (a stray "e99999999" on the share must not make the next epoch invisible).
export const EPOCH_DIR_PATTERN = /^e(\d{8,15})$/;
export const BEAT_PATTERN = /^b(\d{8,15})$/;

export function epochDirName(epoch: number): string {
  return `e${String(epoch).padStart(8, '0')}`;
}
export function beatName(seq: number): string {
  return `b${String(seq).padStart(8, '0')}`;
}
export function epochFromDirName(name: string): number | null {
  const m = EPOCH_DIR_PATTERN.exec(name);
  return m ? Number(m[1]) : null;
}
export function seqFromBeatName(name: string): number | null {
  const m = BEAT_PATTERN.exec(name);
  return m ? Number(m[1]) : null;
}

/** How a lease came to be: a free list, a stale one taken over, a crashed station's own restart, or a shift lead's release. */
export const LeaseKind = z.enum(['acquire', 'takeover', 'restart', 'force_release']);
export type LeaseKind = z.infer<typeof LeaseKind>;

export const PreviousHolder = z.object({
  epoch: z.number().int().nonnegative(),
  lease_id: z.string().nullable(),
  station: z.string().nullable(),
  worker: z.string().nullable(),
});
export type PreviousHolder = z.infer<typeof PreviousHolder>;

/**
 * The lease record, written once inside the epoch folder by its creator and never changed. For a
 * takeover, restart or force release it is also the audit record: who, when, from whom, why.
 */
export const LeaseRecord = z.object({
  schema_version: z.literal(1),
  kind: LeaseKind,
  epoch: z.number().int().positive(),
  lease_id: z.string().min(1),
  station: z.string().min(1),
  worker: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  /** Wall time of the creator's PC: shown to people, never compared with another PC's clock. */
  acquired_at: z.string(),
  heartbeat_ms: z.number().positive(),
  ttl_ms: z.number().positive(),
  previous: PreviousHolder.nullable(),
  reason: z.string().nullable(),
});
export type LeaseRecord = z.infer<typeof LeaseRecord>;

/** Written by the holder into its own epoch folder when it lets go of the list. */
export const ReleaseMarker = z.object({
  epoch: z.number().int().positive(),
  lease_id: z.string(),
  released_at: z.string(),
  completed: z.boolean(),
});
export type ReleaseMarker = z.infer<typeof ReleaseMarker>;

/** What one look at a list's lease folder found. `record` is null when the record is missing, empty or damaged. */
export interface LeaseSnapshot {
  /** Highest epoch folder, 0 when the list was never opened. */
  epoch: number;
  record: LeaseRecord | null;
  release: ReleaseMarker | null;
  /** Highest heartbeat sequence seen in the epoch folder (0 = none yet). */
  beatSeq: number;
}

export type LeaseStatus =
  | { state: 'free'; epoch: number; completed: boolean }
  | { state: 'held'; epoch: number; record: LeaseRecord | null };

/**
 * Free or held. A folder without a readable record is held by someone unknown, never free: it is the
 * moment between mkdir and the record write, or a torn record, and it times out like any other lease.
 */
export function leaseStatus(s: LeaseSnapshot): LeaseStatus {
  if (s.epoch === 0) return { state: 'free', epoch: 0, completed: false };
  if (s.record?.kind === 'force_release') return { state: 'free', epoch: s.epoch, completed: false };
  if (s.release && s.release.epoch === s.epoch)
    return { state: 'free', epoch: s.epoch, completed: s.release.completed };
  return { state: 'held', epoch: s.epoch, record: s.record };
}

/**
 * The one staleness rule (DESIGN §4.3): something on the share is stale when what an observer reads
 * of it has not changed for a TTL measured on the observer's own monotonic clock. No two PCs' clocks
 * are ever compared. `signature` is whatever the observer reads that the holder keeps changing.
 */
export class ChangeWatch {
  private seen: string | null = null;
  private changedAt = 0;

  /** Feeds one observation taken at monotonic time `now`; returns how long it has not changed. */
  observe(signature: string, now: number): number {
    if (signature !== this.seen) {
      this.seen = signature;
      this.changedAt = now;
    }
    return now - this.changedAt;
  }
  /** Forgets what was seen: the next observation starts a new wait. */
  reset(): void {
    this.seen = null;
  }
  get unchangedSince(): number {
    return this.changedAt;
  }
}

/**
 * Tracks whether a lease changes, on the observer's own monotonic clock. Any new epoch or new
 * heartbeat counts as life; only TTL of no change at all counts as stale.
 */
export class StalenessWatch {
  private readonly watch = new ChangeWatch();
  constructor(private readonly ttlMs: number) {}

  /** Feeds one observation taken at monotonic time `now`; returns true when the lease is stale. */
  observe(epoch: number, beatSeq: number, now: number): boolean {
    return this.watch.observe(`${epoch}:${beatSeq}`, now) >= this.ttlMs;
  }
  get unchangedSince(): number {
    return this.watch.unchangedSince;
  }
}

/**
 * The holder's own view: it may acknowledge writes only while its last confirmed heartbeat started less
 * than half a TTL ago, so it stops before any observer (who needs a full TTL of silence) can take over.
 */
export function holderMayWrite(lastConfirmedBeatStart: number, now: number, ttlMs: number): boolean {
  return now - lastConfirmedBeatStart < ttlMs / 2;
}

/**
 * The longest time an SMB client may answer "no such file" for a name that another PC has just
 * created, from its own cache: the Linux kernel client's negative name cache lasts about 1 s
 * (`actimeo`); Windows keeps "file not found" for 5 s and directory listings, which can answer a
 * lookup too, for 10 s by default (FileNotFoundCacheLifetime, DirectoryCacheLifetime). 11 s covers
 * them all. A holder looks for a newer epoch by name after every write, so for up to this long after
 * a take-over or force release it may still be told "no newer epoch" and acknowledge a line.
 */
export const NAME_CACHE_MARGIN_MS = 11_000;

/**
 * How long whoever makes epoch k+1 over a holder that may still be writing (a force release, a
 * take-over) waits before it reads epoch k's segment and seals it. Every line the old holder
 * acknowledged was durable before a lookup that said "no epoch k+1"; such a lookup ends by the
 * creation of k+1 plus the name cache, so a seal read after the margin counts every acknowledged line.
 * It is the name cache, capped at half the holder's TTL: the lease settings already require the TTL to
 * be several times the clients' caches (docs/sessions-and-leases.md), and a short test TTL on a local
 * folder, which caches nothing, keeps a short margin. Computed from the holder's own record, so the
 * holder and every releaser agree on it.
 */
export function sealMarginMs(holderTtlMs: number): number {
  return Math.min(NAME_CACHE_MARGIN_MS, holderTtlMs / 2);
}

/**
 * How long a holder that found epoch k+1 after a write waits for epoch k's seal to tell whether that
 * line counts: the releaser's margin plus time for it to read the segment and write the seal on a slow
 * share. Longer than the margin, so a holder never gives up on a seal that is still coming.
 */
export function holderSealWaitMs(ttlMs: number): number {
  return sealMarginMs(ttlMs) + 5_000;
}

/** A stable id-ish fragment of a station name for folder names: letters, digits and "-" only. */
export function stationSlug(station: string): string {
  const slug = station
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 16);
  return slug.length > 0 ? slug : 'station';
}
