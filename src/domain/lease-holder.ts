// Who holds a packing list's lease, as every answer names it: a refused open (SESSION_LOCKED), a
// session's list states, a preparation edit refused because a station has the list open.
import { z } from 'zod';

export const LeaseHolderSchema = z.object({
  station: z.string(),
  worker: z.string(),
  since: z.string(),
  /** How long ago the holder's last heartbeat was seen; null when it cannot be read. */
  heartbeat_age_ms: z.number().nullable(),
});
export type LeaseHolder = z.infer<typeof LeaseHolderSchema>;
