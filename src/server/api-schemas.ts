// Payloads of the HTTP API. File formats keep their schemas in domain/; these are the request bodies
// that only the API has, built from the same domain rules (ids, codes, client settings).
import { z } from 'zod';
import { BarcodeLabelSchema, PackingRulesSchema, RequiredColumnsSchema } from '../domain/client-config.js';
import { clientIdProblem, safeNameProblem } from '../domain/ids.js';
import { byCourier } from '../domain/preparation-settings.js';
import { BULK_EDIT_MAX_ORDERS } from '../domain/preparation-edits.js';
import {
  AnalysisFilterSchema,
  AnalysisQuerySchema,
  ConditionPreviewSchema,
} from '../domain/analysis-query.js';

export const ClientIdSchema = z.string().superRefine((id, ctx) => {
  const problem = clientIdProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const CreateClientBody = z.strictObject({
  client_id: ClientIdSchema,
  client_name: z.string().min(1).max(200),
});

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The settings a shift lead may change from the browser; ids and audit fields are the server's. */
export const ClientSettingsBody = z
  .strictObject({
    client_name: z.string().trim().min(1).max(200),
    courier_deadlines: byCourier(z.string().regex(HH_MM, 'a deadline is a time like "15:00"')),
    barcode_label: BarcodeLabelSchema,
    required_columns: RequiredColumnsSchema,
    packing_rules: PackingRulesSchema,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'say which setting to change');

export const SetMappingBody = z.strictObject({
  barcode: z.string().min(1).max(100),
  sku: z.string().min(1).max(100),
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

export const ForceReleaseBody = z.strictObject({
  confirm: z.literal(true, 'force release needs "confirm": true'),
  reason: z.string().trim().min(1).max(200),
});

/** Archive a session (hide it from the session browser) or bring it back. */
export const SessionArchiveBody = z.strictObject({
  archived: z.boolean('say "archived": true to archive or false to bring the session back'),
  worker: z.string().trim().min(1).max(60).default('unknown'),
});

export const WorkerBody = z.strictObject({
  name: z.string().trim().min(1).max(60),
  pin: z
    .string()
    .regex(/^\d{4,8}$/, 'a PIN is 4–8 digits')
    .nullable()
    .default(null),
});

export const WorkerCheckBody = z.strictObject({
  pin: z.string().max(8).nullable().default(null),
});

// ---- preparing a session in the browser (docs/api.md, "Preparing sessions") ----

export { AnalysisQuerySchema, AnalysisFilterSchema, ConditionPreviewSchema };

export const PrepareFileKind = z.enum(['orders', 'stock', 'sets']);

const UploadId = z.string().regex(/^[a-f0-9]{24}$/, 'an upload id is what uploading a file answered');
const WorkerName = z.string().trim().min(1).max(60).default('unknown');

/** Run the analysis on files uploaded before (their ids). */
export const PrepareRunBody = z.strictObject({
  orders: z.array(UploadId).min(1, 'add at least one orders export').max(20),
  stock: UploadId,
  sets: UploadId.nullable().default(null),
  worker: WorkerName,
  station: StationNameSchema.optional(),
});

const OrderRef = z.string().trim().min(1).max(100);

export const AnalysisEditBody = z.strictObject({
  change: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('hold'),
      order: OrderRef,
      reason: z.string().trim().max(200).optional(),
    }),
    z.strictObject({ type: z.literal('release'), order: OrderRef }),
    z.strictObject({ type: z.literal('remove'), order: OrderRef }),
    z.strictObject({
      type: z.literal('set_quantity'),
      order: OrderRef,
      sku: z.string().trim().min(1).max(200),
      quantity: z.number().int().min(0).max(100_000),
    }),
    z.strictObject({ type: z.literal('undo'), undoes: z.number().int().positive() }),
  ]),
  worker: WorkerName,
  station: StationNameSchema.optional(),
});

/** Hold, release or tag many orders at once: the ones named, or every order a filter matches. */
export const AnalysisBulkBody = z
  .strictObject({
    action: z.enum(['hold', 'release', 'tag']),
    tag: z.string().trim().min(1).max(100).optional(),
    orders: z.array(OrderRef).max(BULK_EDIT_MAX_ORDERS).optional(),
    filter: AnalysisFilterSchema.optional(),
    reason: z.string().trim().max(200).optional(),
    worker: WorkerName,
    station: StationNameSchema.optional(),
  })
  .refine((b) => (b.orders === undefined) !== (b.filter === undefined), 'give either "orders" or "filter"')
  .refine(
    (b) => (b.action === 'tag') === (b.tag !== undefined),
    'give a "tag" with the tag action, and only then',
  );

/** The preparation settings of a client, replaced whole (checked with the same schema as the CLI's file). */
export const PreparationSettingsBody = z.strictObject({ preparation: z.unknown() });
