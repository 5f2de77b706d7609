// `owner.json` of a short-lived lock folder on the share (store/dir-lock.ts): who holds the lock, and
// the holder's stale time, so waiting stations with other settings agree on when it is stale.
import { z } from 'zod';

export const DirLockOwner = z.object({
  /** Random per acquisition: tells this holding apart from any earlier one of the same station. */
  token: z.string().min(1),
  stale_ms: z.number().positive(),
  station: z.string(),
  host: z.string(),
  pid: z.number().int(),
  acquired_at: z.string(),
});
export type DirLockOwner = z.infer<typeof DirLockOwner>;
