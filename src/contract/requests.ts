// Request bodies the browser's packer page sends, with the rules the server checks them by: the page
// types what it sends with these, and the server parses with the same schemas (src/server/api-schemas.ts
// re-exports them beside the bodies only the API's other pages send).
import { z } from 'zod';
import { clientIdProblem, safeNameProblem } from '../domain/ids.js';

export const ClientIdSchema = z.string().superRefine((id, ctx) => {
  const problem = clientIdProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const StationNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'a station name is 1–40 letters, digits, "-", "_" or "."')
  // A station name becomes part of folder and file names on the share, which Windows must accept.
  .refine((name) => !/\.$/.test(name), 'a station name must not end with "."')
  .refine(
    (name) => safeNameProblem(name, 'Station name') === null,
    'a station name must not be a reserved Windows device name (CON, PRN, AUX, NUL, COM1, LPT1, …)',
  );

/** Which browser tab a station request comes from: each tab that packs is its own station session. */
const TabIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'a tab id is 8–64 letters, digits, "-" or "_"')
  .nullable()
  .default(null);

export const OpenStationBody = z.strictObject({
  client: ClientIdSchema,
  session: z.string().min(1).max(80),
  list: z.string().min(1).max(80),
  worker: z.string().trim().min(1).max(60),
  /** Needed when the worker has a PIN: the PIN itself, or the pass `POST /api/workers/:id/check` gave. */
  pin: z.string().max(8).nullable().default(null),
  worker_pass: z.string().max(400).nullable().default(null),
  take_over: z.boolean().default(false),
  tab: TabIdSchema,
  /** Open a list that was ended, to pack more (recorded in its journal). Without it, an ended list is refused. */
  reopen: z.boolean().default(false),
});

export const ScanBody = z.strictObject({
  text: z.string().min(1).max(200),
  /** Made by the browser once per scan and reused on a retry, so a retried scan counts once. */
  event_id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an event id is 8–64 letters, digits, "-" or "_"'),
  tab: TabIdSchema,
});

/** A packer page's sign of life (sent every heartbeat while it shows the station). */
export const StationAliveBody = z.strictObject({ tab: TabIdSchema });

/** What the page sends, before the server's defaults are filled in. */
export type OpenStationRequest = z.input<typeof OpenStationBody>;
export type ScanRequest = z.input<typeof ScanBody>;
export type StationAliveRequest = z.input<typeof StationAliveBody>;
