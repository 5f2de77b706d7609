// Windows (and SMB shares served to Windows) refuse a rename or unlink for a moment while an
// antivirus scanner, the search indexer or another PC holds the file open: EPERM, EBUSY or EACCES.
// Those clear by themselves, so the operation is retried with a short, bounded back-off; anything
// else, or a problem that outlasts the budget, is reported.
import { setTimeout as delay } from 'node:timers/promises';

const TRANSIENT = new Set(['EPERM', 'EBUSY', 'EACCES', 'EAGAIN']);

export interface RetryOptions {
  /** Total time budget for retries, in ms. */
  budgetMs?: number;
  /** Extra error codes that count as transient for this call. */
  alsoRetry?: readonly string[];
}

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;
}

export async function withTransientRetry<T>(op: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const budgetMs = options.budgetMs ?? 2_000;
  const started = performance.now();
  let wait = 5;
  for (;;) {
    try {
      return await op();
    } catch (err) {
      const code = errorCode(err);
      const transient = code !== undefined && (TRANSIENT.has(code) || options.alsoRetry?.includes(code));
      if (!transient || performance.now() - started + wait > budgetMs) throw err;
      await delay(wait);
      wait = Math.min(wait * 2, 100);
    }
  }
}
