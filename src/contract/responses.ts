// The JSON answer of every API route besides the stations' (station.ts), by what it answers. Where a
// shape is a file format or a domain answer its schema lives in domain/ and is used from there, so it
// is defined once.
import { z } from 'zod';
import { ClientConfigSchema, ClientSummarySchema, type ClientSummary } from '../domain/client-config.js';
import {
  AnalysisSummarySchema,
  ConditionPreviewAnswerSchema,
  OrderDetailSchema,
  OrdersPageSchema,
} from '../domain/analysis-query.js';
import { ListOverviewSchema, OrderHistorySchema } from '../domain/list-overview.js';
import {
  ActivityViewSchema,
  EditOutcomeSchema,
  PrepareCancelSchema,
  PrepareJobViewSchema,
  StagedFileSchema,
} from '../domain/preparation-api.js';
import { PreparationSettingsSchema } from '../domain/preparation-settings.js';
import { SessionArchiveAnswer, SessionInfo, SessionView } from '../domain/session.js';
import { SetsImportAnswer } from '../domain/sets-file.js';
import { SittingRecordSchema, StatsReportSchema } from '../domain/stats.js';
import { PublicWorkerSchema } from '../domain/workers.js';

export {
  ListOverviewSchema,
  OrderHistorySchema,
  SessionArchiveAnswer,
  SessionView,
  SetsImportAnswer,
  PrepareJobViewSchema,
  PublicWorkerSchema,
};
export {
  AnalysisSummarySchema,
  ConditionPreviewAnswerSchema,
  OrderDetailSchema,
  OrdersPageSchema,
  ActivityViewSchema,
  EditOutcomeSchema,
  PrepareCancelSchema,
  StagedFileSchema,
};

const Warnings = z.array(z.string());
const Count = z.number().int().nonnegative();

export const ServerInfoSchema = z.object({
  station: z.string(),
  root: z.string(),
  default_worker: z.string().nullable(),
  locking: z.object({ heartbeatMs: z.number().positive(), staleMs: z.number().positive() }),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

// ---- clients ----

export { ClientSummarySchema, type ClientSummary };

export const ClientListSchema = z.object({ clients: z.array(ClientSummarySchema), warnings: Warnings });
export { ClientConfigSchema };
export const ClientDetailsSchema = z.object({
  config: ClientConfigSchema,
  mappings: z.object({
    count: Count,
    revision: z.number().int(),
    last_updated: z.string().nullable(),
    updated_by: z.string(),
  }),
  warnings: Warnings,
});

// ---- barcode mappings ----

export const MappingListSchema = z.object({
  client_id: z.string(),
  mappings: z.record(z.string(), z.string()),
  count: Count,
  /** With a search (`q`): how many mappings the client has in all. */
  total: Count.optional(),
  revision: z.number().int(),
  last_updated: z.string().nullable(),
  updated_by: z.string(),
  warnings: Warnings,
});
export const MappingChangeSchema = z.object({
  client_id: z.string(),
  op: z.enum(['set', 'delete']),
  barcode: z.string(),
  sku: z.string().nullable(),
  previous: z.string().nullable(),
  changed: z.boolean(),
  revision: z.number().int(),
  warnings: Warnings,
});
export const MappingImportSchema = z.object({
  client_id: z.string(),
  file: z.string(),
  rows: Count,
  added: Count,
  updated: Count,
  unchanged: Count,
  revision: z.number().int(),
  warnings: Warnings,
});

// ---- sessions ----

export const SessionListSchema = z.object({ sessions: z.array(SessionView) });
/** A new session: its session_info.json, and what the import noticed without refusing it. */
export const CreatedSessionSchema = SessionInfo.extend({ warnings: Warnings });
export const ListReleaseSchema = z.object({
  client: z.string(),
  session: z.string(),
  list: z.string(),
  released_epoch: z.number().int(),
  epoch: z.number().int(),
  released_holder: z.object({ station: z.string().nullable(), worker: z.string().nullable() }),
  heartbeat_age_ms: z.number().nullable(),
  reason: z.string(),
});

// ---- preparing sessions ----

export const FileDroppedSchema = z.object({ dropped: z.literal(true) });
export const ActivityListSchema = z.object({ activity: z.array(ActivityViewSchema) });
/** An edit or a bulk change: one result per order, the new revision, and the summary after it. */
export const EditAnswerSchema = EditOutcomeSchema.extend({ summary: AnalysisSummarySchema });
export type EditAnswer = z.infer<typeof EditAnswerSchema>;
export const PreparationSettingsAnswerSchema = z.object({ preparation: PreparationSettingsSchema });

// ---- workers and stats ----

export const WorkerListSchema = z.object({ workers: z.array(PublicWorkerSchema) });
/** A right PIN: the worker, with a pass that lets this browser open lists as it. */
export const WorkerPassSchema = PublicWorkerSchema.extend({ pass: z.string() });

export const StatsAnswerSchema = z.object({
  report: StatsReportSchema.extend({ damaged_records: Warnings }),
  records: z.array(SittingRecordSchema),
  /** Sitting records that could not be read (named, left out of the figures). */
  damaged: Warnings,
});
