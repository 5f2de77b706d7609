// Every route of the HTTP API and what it answers: a JSON schema, a file download, or the live event
// stream. The server registers a route only under a name in this table, its handler's answer is typed
// by the schema, and in tests the server checks each answer against it before sending it.
import type { z } from 'zod';
import * as r from './responses.js';
import { ScanAnswerSchema, StationClosedSchema, StationListSchema, StationStateSchema } from './station.js';

/** A download (PDF, workbook, CSV): no JSON answer. */
export const FILE = 'file';
/** The live event stream (server-sent events, live-events.ts). */
export const EVENTS = 'events';

const L = '/api/clients/:client/sessions/:session/lists/:list';
const A = '/api/clients/:client/sessions/:session/analysis';

export const API_ROUTES = {
  'GET /api/info': r.ServerInfoSchema,
  'GET /api/events': EVENTS,

  'GET /api/clients': r.ClientListSchema,
  'POST /api/clients': r.ClientConfigSchema,
  'GET /api/clients/:client': r.ClientDetailsSchema,
  'PUT /api/clients/:client/settings': r.ClientConfigSchema,

  'GET /api/clients/:client/mappings': r.MappingListSchema,
  'POST /api/clients/:client/mappings': r.MappingChangeSchema,
  'DELETE /api/clients/:client/mappings/:barcode': r.MappingChangeSchema,
  'POST /api/clients/:client/mappings/import': r.MappingImportSchema,
  'GET /api/clients/:client/mappings/export': FILE,

  'GET /api/sessions': r.SessionListSchema,
  'GET /api/clients/:client/sessions/:session': r.SessionView,
  'POST /api/clients/:client/sessions': r.CreatedSessionSchema,
  'POST /api/clients/:client/sessions/:session/archive': r.SessionArchiveAnswer,
  [`POST ${L}/release`]: r.ListReleaseSchema,
  [`GET ${L}/report`]: FILE,
  [`GET ${L}/orders`]: r.ListOverviewSchema,
  [`GET ${L}/orders/:order`]: r.OrderHistorySchema,
  [`GET ${L}/labels`]: FILE,
  'GET /api/sheets/commands': FILE,
  'GET /api/clients/:client/list-sheet': FILE,

  'GET /api/stations': StationListSchema,
  'POST /api/stations/:station/open': StationStateSchema,
  'GET /api/stations/:station': StationStateSchema,
  'POST /api/stations/:station/scan': ScanAnswerSchema,
  'POST /api/stations/:station/alive': StationStateSchema,
  'POST /api/stations/:station/close': StationClosedSchema,

  'POST /api/clients/:client/prepare/files': r.StagedFileSchema,
  'DELETE /api/prepare/files/:upload': r.FileDroppedSchema,
  'POST /api/clients/:client/prepare': r.PrepareJobViewSchema,
  'GET /api/prepare/jobs/:job': r.PrepareJobViewSchema,
  'POST /api/prepare/jobs/:job/cancel': r.PrepareCancelSchema,
  [`GET ${A}`]: r.AnalysisSummarySchema,
  [`POST ${A}/orders`]: r.OrdersPageSchema,
  [`POST ${A}/preview`]: r.ConditionPreviewAnswerSchema,
  [`GET ${A}/orders/:order`]: r.OrderDetailSchema,
  [`POST ${A}/edits`]: r.EditAnswerSchema,
  [`POST ${A}/bulk`]: r.EditAnswerSchema,
  [`GET ${A}/activity`]: r.ActivityListSchema,
  [`GET ${A}/download`]: FILE,
  'GET /api/clients/:client/preparation': r.PreparationSettingsAnswerSchema,
  'PUT /api/clients/:client/preparation': r.PreparationSettingsAnswerSchema,
  'POST /api/clients/:client/preparation/sets': r.SetsImportAnswer,

  'GET /api/workers': r.WorkerListSchema,
  'POST /api/workers': r.PublicWorkerSchema,
  'POST /api/workers/:id/check': r.WorkerPassSchema,
  'POST /api/workers/:id/unlock': r.PublicWorkerSchema,
  'GET /api/stats': r.StatsAnswerSchema,
} as const;

export type ApiRoutes = typeof API_ROUTES;
export type RouteName = keyof ApiRoutes;
export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** The patterns of one method: `pattern` in `router.get(pattern, …)`. */
export type RoutePattern<M extends ApiMethod> = RouteName extends infer N
  ? N extends `${M} ${infer P}`
    ? P
    : never
  : never;

/** The JSON a route answers (as the server builds it), or never for a file or the event stream. */
export type AnswerOf<N extends RouteName> = ApiRoutes[N] extends z.ZodType ? z.output<ApiRoutes[N]> : never;

/** The answer of route `N` as the browser receives it: `api.get<ApiAnswer<'GET /api/workers'>>(…)`. */
export type ApiAnswer<N extends RouteName> = AnswerOf<N>;
