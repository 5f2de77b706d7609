// The holder's heartbeat: every beat is a new empty file (b00000001, b00000002, …) in the holder's own
// epoch folder, so no shared file is ever rewritten and an observer never sees a beat half-written or
// briefly missing (a rename-over on some SMB clients shows "no file" for a moment). After each beat
// the holder checks that no newer epoch exists. It fences itself when it could not confirm a beat for
// half the TTL, which includes the process having been paused (sleep, SIGSTOP, debugger).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beatName, epochDirName, holderMayWrite } from '../../domain/lease.js';
import { errorCode } from '../fs-retry.js';
import { monoNowMs } from './clock.js';
import { readRecord } from './observe.js';

const PRUNE_EVERY = 64;

export type LostReason =
  | {
      reason: 'superseded';
      by: { epoch: number; station: string | null; worker: string | null; kind: string | null };
    }
  | { reason: 'fenced'; unconfirmed_ms: number }
  /** The server stopped holding the list for a browser station that showed no sign of life. */
  | { reason: 'abandoned'; silent_ms: number };

export class Heartbeat {
  private seq = 0;
  private lastConfirmed: number;
  private timer: NodeJS.Timeout | null = null;
  private lostWith: LostReason | null = null;
  private beating: Promise<void> | null = null;
  readonly epochDir: string;
  private readonly nextEpochDir: string;

  constructor(
    leasesDir: string,
    readonly epoch: number,
    readonly heartbeatMs: number,
    readonly ttlMs: number,
    private readonly onLost: (why: LostReason) => void,
  ) {
    this.epochDir = path.join(leasesDir, epochDirName(epoch));
    this.nextEpochDir = path.join(leasesDir, epochDirName(epoch + 1));
    this.lastConfirmed = monoNowMs();
  }

  get lost(): LostReason | null {
    return this.lostWith;
  }

  /** True while the holder may acknowledge a write (its last confirmation is younger than TTL/2). */
  mayWrite(): boolean {
    return this.lostWith === null && holderMayWrite(this.lastConfirmed, monoNowMs(), this.ttlMs);
  }

  async start(): Promise<void> {
    await this.beat();
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.beat().finally(() => {
          if (this.lostWith === null && this.timer !== null) tick();
        });
      }, this.heartbeatMs);
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Looks for a newer epoch; reports it as lost when one exists. Returns true while still ours. */
  async checkNotSuperseded(): Promise<boolean> {
    if (this.lostWith) return false;
    try {
      await fs.stat(this.nextEpochDir);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return true;
      throw err;
    }
    const record = await readRecord(this.nextEpochDir).catch(() => null);
    this.lose({
      reason: 'superseded',
      by: {
        epoch: this.epoch + 1,
        station: record?.station ?? null,
        worker: record?.worker ?? null,
        kind: record?.kind ?? null,
      },
    });
    return false;
  }

  /** One beat now (waits for a beat already under way). */
  beat(): Promise<void> {
    this.beating ??= this.beatOnce().finally(() => (this.beating = null));
    return this.beating;
  }

  private async beatOnce(): Promise<void> {
    if (this.lostWith) return;
    const started = monoNowMs();
    // Woken from a pause longer than TTL/2: another station may already have taken over. The lease
    // is gone for this holder even if nobody has yet; the station must open the list again.
    if (!holderMayWrite(this.lastConfirmed, started, this.ttlMs)) {
      if (await this.checkNotSuperseded().catch(() => true)) this.fence(started);
      return;
    }
    try {
      // Observers follow beats by looking up the next name, so the sequence must have no gaps: a
      // failed beat is retried under the same name, and one that exists already (an earlier try that
      // reported an error but reached the server) counts as written.
      const next = this.seq + 1;
      await fs.open(path.join(this.epochDir, beatName(next)), 'wx').then(
        (handle) => handle.close(),
        (err) => {
          if (errorCode(err) !== 'EEXIST') throw err;
        },
      );
      this.seq = next;
      if (await this.checkNotSuperseded()) this.lastConfirmed = started;
      if (this.seq % PRUNE_EVERY === 0) await this.prune(this.seq - 2 * PRUNE_EVERY, this.seq - PRUNE_EVERY);
    } catch (err) {
      // The epoch folder itself is gone (someone deleted the lease folder): this hold cannot be
      // confirmed any more, and a new holder may already be starting, so stop saving now.
      if (errorCode(err) === 'ENOENT' || !holderMayWrite(this.lastConfirmed, monoNowMs(), this.ttlMs))
        this.fence(monoNowMs());
    }
  }

  /**
   * Removes old beats (seq in (from, to]) so a list held all day does not leave thousands of files.
   * Observers only ever look up names newer than the newest they have seen, so these are never read.
   */
  async prune(from: number, to: number): Promise<void> {
    for (let s = Math.max(0, from) + 1; s <= to; s++)
      await fs.rm(path.join(this.epochDir, beatName(s)), { force: true }).catch(() => {});
  }

  /** After a release: everything but the last beat. */
  pruneAll(): Promise<void> {
    return this.prune(0, this.seq - 1);
  }

  /** Stops beating for good: the lease goes stale after its TTL, as if this holder had crashed. */
  abandon(silentMs: number): void {
    this.lose({ reason: 'abandoned', silent_ms: Math.round(silentMs) });
  }

  private fence(now: number): void {
    this.lose({ reason: 'fenced', unconfirmed_ms: Math.round(now - this.lastConfirmed) });
  }

  private lose(why: LostReason): void {
    if (this.lostWith) return;
    this.lostWith = why;
    this.stop();
    this.onLost(why);
  }
}
