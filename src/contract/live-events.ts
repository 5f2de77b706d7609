// The live events a browser gets from GET /api/events (docs/api.md, "Live events"): each is one
// server-sent event named by its `type`, with this JSON as its data.
import { z } from 'zod';
import { PrepareJobViewSchema } from '../domain/preparation-api.js';
import { StationStateSchema } from './station.js';

export const LiveEventSchema = z.discriminatedUnion('type', [
  /** A station's state after open and each scan; the current one of each station on (re)connecting. */
  z.object({ type: z.literal('station'), station: z.string(), view: StationStateSchema }),
  /** A lease change at a station: a lost lease arrives here at once, with the reason; `sealing` while a take-over waits the seal margin. */
  z.object({
    type: z.literal('lease'),
    station: z.string(),
    lease: z.object({
      type: z.enum(['sealing', 'acquired', 'lost', 'released']),
      epoch: z.number().int(),
      message: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal('station_closed'), station: z.string() }),
  z.object({ type: z.literal('sessions_changed'), client: z.string() }),
  z.object({ type: z.literal('mappings_changed'), client: z.string(), revision: z.number().int() }),
  z.object({ type: z.literal('clients_changed') }),
  /** A preparation run's phase: the run's view, as GET /api/prepare/jobs/:job answers. */
  PrepareJobViewSchema.extend({ type: z.literal('prepare_progress') }),
  /** A prepared session's analysis changed (an edit): pages showing it fetch again. */
  z.object({
    type: z.literal('analysis_changed'),
    client: z.string(),
    session: z.string(),
    revision: z.number().int(),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEventSchema>;
export type LiveEventType = LiveEvent['type'];
export type LiveEventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;

/** Every event type, in the order of the union (the browser subscribes to each by name). */
export const LIVE_EVENT_TYPES = LiveEventSchema.options.map((o) => o.shape.type.value);
