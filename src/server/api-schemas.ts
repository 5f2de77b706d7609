// Payloads of the HTTP API. File formats keep their schemas in domain/; these are the request bodies
// that only the API has, built from the same domain rules (ids, codes, client settings).
import { z } from 'zod';
import { BarcodeLabelSchema, PackingRulesSchema, RequiredColumnsSchema } from '../domain/client-config.js';
import { ClientIdSchema, StationNameSchema } from '../contract/requests.js';
import { byCourier } from '../domain/preparation-settings.js';
import { BULK_EDIT_MAX_ORDERS } from '../domain/preparation-edits.js';
import { PrepareFileKindSchema } from '../domain/preparation-api.js';
import {
  AnalysisFilterSchema,
  AnalysisQuerySchema,
  ConditionPreviewSchema,
} from '../domain/analysis-query.js';

// The station requests' bodies are the contract's: the packer page builds them with the same schemas.
export {
  ClientIdSchema,
  OpenStationBody,
  ScanBody,
  StationAliveBody,
  StationNameSchema,
} from '../contract/requests.js';

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

/** `kind=` of an upload: the same names the upload's answer carries. */
export const PrepareFileKind = PrepareFileKindSchema;

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
