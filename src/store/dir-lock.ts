// A short-lived mutual-exclusion lock on the share, for read-modify-write of one shared file (a
// client's mappings or config). DESIGN §3/§4 and the SMB rig decide its shape:
// - Acquire = mkdir of the lock folder: the file server decides, and mkdir is exclusive on every SMB
//   client measured (O_EXCL is not, on the FUSE client).
// - The holder writes owner.json (a random token) and, while it holds the lock, a heartbeat file
//   with a rising counter. Nobody compares clocks: a waiting process calls the lock stale only when
//   what it reads in the lock folder has not changed for StaleSeconds on its *own* monotonic clock.
// - Taking over a stale lock has one winner: mkdir of a claim named after exactly the lock contents
//   that were judged stale. Claims are never removed, so a PC with a slow cached view cannot claim
//   the same dead lock twice and remove a newer lock by mistake. They double as the audit record.
//   If the claimant dies before finishing, the lock stays unchanged and after another stale period
//   the next claim number for the same contents is tried.
// - The holder fences itself: before it commits, it checks that its last heartbeat is younger than
//   half the stale time, so by the time anyone may take over, it has already stopped.
// Staleness and self-fencing are the list leases' rules (domain/lease.ts), applied to this folder.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DirLockOwner } from '../domain/dir-lock-owner.js';
import { ConflictError, LeaseLostError } from '../domain/errors.js';
import { ChangeWatch, holderMayWrite } from '../domain/lease.js';
import { replaceFileAtomic, storageErrorFor } from './atomic-file.js';
import { errorCode, withTransientRetry } from './fs-retry.js';
import { parseJsonText } from './json-file.js';

export interface DirLockOptions {
  station: string;
  /** A lock whose contents do not change for this long (observer's clock) is stale. */
  staleMs: number;
  heartbeatMs: number;
  /** Give up waiting for a live holder after this long. */
  waitMs: number;
  /** For messages: "the barcode mappings of client M". */
  what: string;
  /** Told when a stale lock was taken over (for the log). */
  onTakeover?: (record: TakeoverRecord) => void;
}

export interface TakeoverRecord {
  lock: string;
  by_station: string;
  by_pid: number;
  at: string;
  previous_owner: unknown;
  stale_for_ms: number;
}

export interface HeldLock {
  readonly token: string;
  /** Throws LeaseLostError when this process can no longer be sure it holds the lock. */
  assertHeld(): Promise<void>;
}

const OWNER = 'owner.json';
const HEARTBEAT = 'heartbeat.json';

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/** What a waiting process watches: the owner record, the heartbeat and the folder's identity. */
async function readSignature(lockDir: string): Promise<{ sig: string; owner: string | null } | null> {
  let stat;
  try {
    stat = await fs.stat(lockDir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
  const owner = await readOrNull(path.join(lockDir, OWNER));
  const beat = await readOrNull(path.join(lockDir, HEARTBEAT));
  // A lock folder whose owner never got written (killed between mkdir and write) has no token; its
  // identity then comes from the folder itself so two such dead locks get different claims.
  const identity = owner && owner.trim().length > 0 ? '' : `${stat.ino}:${stat.birthtimeMs}:${stat.mtimeMs}`;
  return { sig: `${owner ?? '-'}\n${beat ?? '-'}\n${identity}`, owner };
}

/** Who holds the lock, as far as its owner file says; nothing when it is missing, torn or damaged. */
function describeOwner(owner: string | null): { station?: string; since?: string; staleMs?: number } {
  const parsed = owner === null ? null : parseJsonText(owner, DirLockOwner);
  if (!parsed?.ok) return {};
  return { station: parsed.value.station, since: parsed.value.acquired_at, staleMs: parsed.value.stale_ms };
}

/**
 * `attempt` counts how often this waiter found the claim for these same lock contents taken: a
 * station killed between claiming and finishing a takeover leaves a claim but an unchanged lock, so
 * after another full stale period the next claim number is tried.
 */
async function tryTakeover(
  lockDir: string,
  seen: { sig: string; owner: string | null },
  staleForMs: number,
  attempt: number,
  options: DirLockOptions,
): Promise<'done' | 'claimed-by-other'> {
  const claimsDir = `${lockDir}.takeovers`;
  const claim = path.join(
    claimsDir,
    `${createHash('sha256').update(seen.sig).digest('hex').slice(0, 24)}.${attempt}`,
  );
  await fs.mkdir(claimsDir, { recursive: true });
  try {
    await fs.mkdir(claim);
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return 'claimed-by-other'; // another station is taking over this same lock
    throw err;
  }
  const claimedAt = performance.now();
  // Re-read after winning the claim: a holder that was only slow has changed its heartbeat by now.
  const now = await readSignature(lockDir);
  if (now === null || now.sig !== seen.sig) return 'done';
  let previousOwner: unknown;
  try {
    previousOwner = JSON.parse(seen.owner ?? 'null');
  } catch {
    previousOwner = seen.owner;
  }
  const record: TakeoverRecord = {
    lock: path.basename(lockDir),
    by_station: options.station,
    by_pid: process.pid,
    at: new Date().toISOString(),
    previous_owner: previousOwner,
    stale_for_ms: Math.round(staleForMs),
  };
  await fs
    .writeFile(path.join(claim, 'takeover.json'), `${JSON.stringify(record, null, 2)}\n`)
    .catch(() => {});
  const grave = `${lockDir}.stale-${randomBytes(6).toString('hex')}`;
  // A taker that was itself frozen after claiming may meanwhile have been replaced by the next claim
  // number; it then must not move anything.
  if (performance.now() - claimedAt > options.staleMs / 2) return 'done';
  try {
    await withTransientRetry(() => fs.rename(lockDir, grave), { budgetMs: 2_000 });
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return 'done';
    throw err;
  }
  options.onTakeover?.(record);
  await fs.rm(grave, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  return 'done';
}

async function acquire(lockDir: string, options: DirLockOptions): Promise<DirLockOwner> {
  const owner: DirLockOwner = {
    token: randomUUID(),
    stale_ms: options.staleMs,
    station: options.station,
    host: os.hostname(),
    pid: process.pid,
    acquired_at: new Date().toISOString(),
  };
  const started = performance.now();
  const watch = new ChangeWatch();
  let lastLook = -Infinity;
  let lastSeen: { owner: string | null } | null = null;
  const claimAttempts = new Map<string, number>();
  let pause = 1;
  for (;;) {
    let made = false;
    try {
      await fs.mkdir(lockDir);
      made = true;
      // Right after another PC renamed the previous lock away, the FUSE SMB client can still resolve
      // the path to the old folder for a moment (ENOENT); the new folder is ours, so keep trying.
      // Not fsync'd: after a power cut an empty owner file is timed out like any silent lock.
      await withTransientRetry(() => fs.writeFile(path.join(lockDir, OWNER), JSON.stringify(owner)), {
        budgetMs: 3_000,
        alsoRetry: ['ENOENT'],
      });
      return owner;
    } catch (err) {
      if (made) {
        // Could create the lock but not write into it: leave nothing behind that others must time out.
        await fs.rm(lockDir, { recursive: true, force: true }).catch(() => {});
        throw storageErrorFor(err, `lock ${options.what}`, lockDir);
      }
      const code = errorCode(err);
      if (code !== 'EEXIST') {
        const parentThere =
          code === 'ENOENT' &&
          (await fs.stat(path.dirname(lockDir)).then(
            () => true,
            () => false,
          ));
        if (code === 'EPERM' || code === 'EBUSY' || code === 'EIO' || parentThere) {
          // Windows sharing violations and the FUSE client's short EIO spells pass by themselves; the
          // FUSE client also answers ENOENT for a moment while another PC renames the lock away.
          if (performance.now() - started < options.waitMs) {
            await delay(20);
            continue;
          }
        }
        throw storageErrorFor(err, `lock ${options.what}`, lockDir);
      }
    }
    // The holder's contents are read a few times per stale period, not on every attempt: with many
    // stations waiting, each read is load on the share that slows the holder down.
    let now = performance.now();
    const sinceLook = now - lastLook;
    const seen =
      sinceLook >= Math.min(200, options.staleMs / 4)
        ? await readSignature(lockDir).catch(() => null)
        : undefined;
    if (seen !== undefined) lastLook = now = performance.now();
    if (seen) {
      const unchangedMs = watch.observe(seen.sig, now);
      if (unchangedMs >= Math.max(options.staleMs, describeOwner(seen.owner).staleMs ?? 0)) {
        const attempt = claimAttempts.get(seen.sig) ?? 0;
        const outcome = await tryTakeover(lockDir, seen, unchangedMs, attempt, options);
        if (outcome === 'claimed-by-other') claimAttempts.set(seen.sig, attempt + 1);
        watch.reset();
        continue;
      }
    }
    if (seen) lastSeen = seen;
    if (now - started > options.waitMs) {
      const holder = describeOwner(lastSeen?.owner ?? null);
      throw new ConflictError(
        `Another station${holder.station ? ` (${holder.station})` : ''} is still saving ${options.what}. Try again in a moment.`,
        { lock: lockDir, holder_station: holder.station ?? null, holder_since: holder.since ?? null },
      );
    }
    // Jittered back-off keeps eight waiting stations from hammering the share in lock-step.
    await delay(pause + Math.random() * pause);
    pause = Math.min(pause * 2, 40);
  }
}

async function release(lockDir: string, token: string, stillFresh: boolean, beaten: boolean): Promise<void> {
  if (!stillFresh) {
    // Possibly taken over while this process was frozen: touch nothing that is not ours.
    const owner = await readOrNull(path.join(lockDir, OWNER)).catch(() => null);
    if (owner === null || !owner.includes(token)) return;
  }
  // Renamed away first, then emptied: waiters never see a half-deleted lock, and nobody else reads
  // files that are being deleted (on the FUSE SMB client a read racing a delete on another PC
  // makes every call on that PC fail with EIO for seconds).
  const grave = `${lockDir}.released-${token}`;
  try {
    await withTransientRetry(() => fs.rename(lockDir, grave), { budgetMs: 2_000 });
  } catch {
    return;
  }
  try {
    if (beaten) await fs.rm(path.join(grave, HEARTBEAT), { force: true });
    await fs.unlink(path.join(grave, OWNER));
    await fs.rmdir(grave);
  } catch {
    await fs.rm(grave, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  }
}

/** Runs `body` while holding the lock folder `lockDir`; always releases it, also when `body` throws. */
export async function withDirLock<T>(
  lockDir: string,
  options: DirLockOptions,
  body: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const owner = await acquire(lockDir, options);
  let lastBeat = performance.now();
  let seq = 0;
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(async () => {
      try {
        await replaceFileAtomic(
          path.join(lockDir, HEARTBEAT),
          JSON.stringify({ token: owner.token, seq: ++seq }),
        );
        lastBeat = performance.now();
      } catch {
        // A missed beat is judged by assertHeld(); the next beat may succeed.
      }
    });
  }, options.heartbeatMs);
  timer.unref();
  const held: HeldLock = {
    token: owner.token,
    async assertHeld() {
      const now = performance.now();
      const age = now - lastBeat;
      // Fresh beat ⇒ nobody can have taken over: a waiter needs the lock unchanged for the whole
      // stale time (at least this holder's, which is in owner.json).
      if (!holderMayWrite(lastBeat, now, options.staleMs)) {
        throw new LeaseLostError(
          `Saving ${options.what} took too long (${(age / 1000).toFixed(1)} s without reaching the share), so nothing was saved. Try again.`,
          { lock: lockDir },
        );
      }
    },
  };
  try {
    return await body(held);
  } finally {
    clearInterval(timer);
    await beating;
    await release(
      lockDir,
      owner.token,
      holderMayWrite(lastBeat, performance.now(), options.staleMs),
      seq > 0,
    );
  }
}
