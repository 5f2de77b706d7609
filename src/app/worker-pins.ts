// Who may pack as a worker that has a PIN (DESIGN §4, issue of brute-forced PINs). Wherever a worker
// is named to open a list, the PIN must be given, or a short-lived pass the server issued when the
// PIN was checked (so a browser need not keep the PIN itself). Wrong PINs are counted per worker and
// per caller address; past the limit, tries are refused until the lockout ends or a shift lead clears
// it. Counts live in the serving process: that is where guesses arrive, one request after another.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LockedOutError, ValidationError } from '../domain/errors.js';
import type { Worker } from '../domain/workers.js';
import { z } from 'zod';
import { parseJsonText } from '../store/json-file.js';
import { monoNowMs } from '../store/lease/clock.js';

/** What a pass says: which worker, valid until when (ms since 1970 on this server's clock). */
const PassClaim = z.strictObject({ w: z.string(), exp: z.number() });

export interface PinLimits {
  /** Wrong PINs for one worker before it is locked. */
  perWorker: number;
  /** Wrong PINs from one address (any workers) before that address is locked. */
  perAddress: number;
  /** How long a lockout lasts unless a shift lead clears it first. */
  lockMs: number;
}

export const DEFAULT_PIN_LIMITS: PinLimits = { perWorker: 5, perAddress: 20, lockMs: 15 * 60_000 };
/** How long a pass from a PIN check lets a browser open lists as that worker. */
const PASS_MS = 12 * 60 * 60_000;

interface Count {
  failures: number;
  lockedAt: number | null;
}

export class PinAttempts {
  private readonly workers = new Map<string, Count>();
  private readonly addresses = new Map<string, Count>();
  private readonly secret = randomBytes(32);

  constructor(readonly limits: PinLimits = DEFAULT_PIN_LIMITS) {}

  /**
   * Admits `worker` (a registered worker, or null for a name nobody registered) with `pin` or `pass`.
   * Throws ValidationError for a missing or wrong PIN and LockedOutError while the worker or the
   * address is locked. `matches` is the constant-time hash comparison.
   */
  async admit(
    worker: Worker | null,
    credentials: { pin?: string | null; pass?: string | null },
    address: string,
    matches: (pin: string, hash: string) => Promise<boolean>,
  ): Promise<void> {
    // A worker without a PIN needs neither; nor does a name nobody registered.
    if (!worker || worker.pin_hash === null) return;
    if (credentials.pass && this.passValid(credentials.pass, worker.id)) return;
    const pin = credentials.pin ?? null;
    if (pin === null || pin === '')
      throw new ValidationError(
        `${worker.name} has a PIN: choose ${worker.name} on the Workers page and enter it.`,
        {
          field: 'pin',
          worker: worker.id,
        },
      );
    this.assertOpen(worker, address);
    if (await matches(pin, worker.pin_hash)) {
      this.workers.delete(worker.id);
      return;
    }
    const w = this.bump(this.workers, worker.id, this.limits.perWorker);
    this.bump(this.addresses, address, this.limits.perAddress);
    const left = this.limits.perWorker - w.failures;
    throw new ValidationError(
      left > 0
        ? `Wrong PIN for ${worker.name}. ${left} ${left === 1 ? 'try' : 'tries'} left before ${worker.name} is locked.`
        : `Wrong PIN for ${worker.name}. ${worker.name} is now locked; a shift lead can unlock the worker on the Workers page.`,
      { field: 'pin', worker: worker.id, tries_left: Math.max(0, left) },
    );
  }

  /** A pass for `workerId`, issued after its PIN was checked. */
  issuePass(workerId: string): string {
    const body = Buffer.from(JSON.stringify({ w: workerId, exp: Date.now() + PASS_MS })).toString(
      'base64url',
    );
    return `${body}.${this.sign(body)}`;
  }

  /** Clears the lockout and failure count of a worker, and every address lockout it caused. */
  clear(workerId: string): void {
    this.workers.delete(workerId);
    this.addresses.clear();
  }

  locked(workerId: string): boolean {
    return this.isLocked(this.workers.get(workerId));
  }

  private assertOpen(worker: Worker, address: string): void {
    if (this.isLocked(this.workers.get(worker.id)))
      throw new LockedOutError(
        `${worker.name} is locked after too many wrong PINs. A shift lead can unlock the worker on the Workers page.`,
        { worker: worker.id },
      );
    if (this.isLocked(this.addresses.get(address)))
      throw new LockedOutError(
        'Too many wrong PINs from this device. Wait a while, or ask a shift lead to unlock the worker on the Workers page.',
        { worker: worker.id },
      );
  }

  private isLocked(count: Count | undefined): boolean {
    if (!count || count.lockedAt === null) return false;
    if (monoNowMs() - count.lockedAt < this.limits.lockMs) return true;
    count.lockedAt = null;
    count.failures = 0;
    return false;
  }

  private bump(map: Map<string, Count>, key: string, limit: number): Count {
    const count = map.get(key) ?? { failures: 0, lockedAt: null };
    count.failures++;
    if (count.failures >= limit) count.lockedAt = monoNowMs();
    map.set(key, count);
    return count;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }

  private passValid(pass: string, workerId: string): boolean {
    const [body, mac] = pass.split('.');
    if (!body || !mac) return false;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    const claim = parseJsonText(Buffer.from(body, 'base64url').toString('utf8'), PassClaim);
    return claim.ok && claim.value.w === workerId && claim.value.exp > Date.now();
  }
}
