// Per-process cache of files read from the share. Within the TTL the cached value is used without
// touching the share; after it, one cheap stat decides: an unchanged file (same identity, size and
// times) is not read again, a changed one is. So another PC's save is seen at most TTL (plus the
// SMB client's own ~1 s attribute cache) later, and idle stations do not re-read unchanged files.
// Limit: a share with whole-second mtimes can hide a same-size rewrite within one second from the
// stat check; the TTL then bounds nothing, so callers that must not miss a change (writers) read
// fresh under their lock instead of using this cache.
import { promises as fs } from 'node:fs';

export const DEFAULT_CACHE_TTL_MS = 2_000;

interface Entry<T> {
  value: T;
  fingerprint: string;
  checkedAt: number;
}

export interface CacheStats {
  /** Answered from memory within the TTL. */
  hits: number;
  /** Answered from memory after a stat showed the file unchanged. */
  revalidated: number;
  /** Had to read and parse the file. */
  reads: number;
}

export async function fileFingerprint(file: string): Promise<string | null> {
  try {
    const s = await fs.stat(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return null;
  }
}

export class StatCache<T> {
  readonly ttlMs: number;
  readonly stats: CacheStats = { hits: 0, revalidated: 0, reads: 0 };
  private readonly entries = new Map<string, Entry<T>>();

  constructor(ttlMs = DEFAULT_CACHE_TTL_MS) {
    this.ttlMs = ttlMs;
  }

  async get(file: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(file);
    const now = performance.now();
    if (entry && now - entry.checkedAt < this.ttlMs) {
      this.stats.hits++;
      return entry.value;
    }
    // Taken before the read: if the file changes during the read, the next check sees a new
    // fingerprint and reads again, never the other way round.
    const fingerprint = await fileFingerprint(file);
    if (entry && fingerprint !== null && fingerprint === entry.fingerprint) {
      entry.checkedAt = now;
      this.stats.revalidated++;
      return entry.value;
    }
    this.stats.reads++;
    const value = await load();
    if (fingerprint !== null) this.entries.set(file, { value, fingerprint, checkedAt: performance.now() });
    else this.entries.delete(file);
    return value;
  }

  /** After this process saved `file` itself. */
  async remember(file: string, value: T): Promise<void> {
    const fingerprint = await fileFingerprint(file);
    if (fingerprint === null) this.entries.delete(file);
    else this.entries.set(file, { value, fingerprint, checkedAt: performance.now() });
  }

  forget(file?: string): void {
    if (file === undefined) this.entries.clear();
    else this.entries.delete(file);
  }
}
