// The files beside a list's journal segments (DESIGN §4.6, §5): the seal a new holder writes for each
// earlier epoch, and the envelope of every snapshot. The store reads them only through these schemas.
import { z } from 'zod';

/** Where a reader may start: the records before this point are covered by a snapshot. */
export const JournalPosition = z.object({
  epoch: z.number().int().positive(),
  /** Bytes of that epoch's segment already covered. */
  offset: z.number().int().nonnegative(),
});
export type JournalPosition = z.infer<typeof JournalPosition>;

/** `seal.<epoch>.json`: how many bytes and which snapshots of an earlier epoch count. */
export const Seal = z.object({
  epoch: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
  snapshots: z.array(z.string()),
  sealed_by_epoch: z.number().int().positive(),
  sealed_at: z.string(),
  /**
   * How long the sealer waited after making the newer epoch before it read this epoch's length (the
   * name-cache margin of a force release or take-over, so every line the old holder acknowledged is
   * inside); 0 or absent when the holder had stopped writing (released, or its process was gone).
   */
  waited_ms: z.number().int().nonnegative().optional(),
  /**
   * Written by the superseded holder itself: its releaser made the newer epoch but wrote no seal
   * within the holder's wait (it stopped), so the holder sealed at what it had acknowledged.
   */
  by_holder: z.boolean().optional(),
});
export type Seal = z.infer<typeof Seal>;

/**
 * `snapshot.<epoch>.<n>.packing_state.json`: the list's state after record `last_seq`. The state
 * itself is read by the scan state's own schema; snapshots written before `position` existed have none.
 */
export const PackingSnapshot = z.object({
  kind: z.literal('packing_state'),
  last_seq: z.number().int().nonnegative(),
  epoch: z.number().int().positive(),
  position: JournalPosition.optional(),
  written_at: z.string(),
  state: z.unknown(),
});
export type PackingSnapshot = z.infer<typeof PackingSnapshot>;
