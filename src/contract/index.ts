// The API contract between the server, the CLI and the browser: every answer, live event and error
// body as a zod schema (and the types derived from them), the error codes, the command words and the
// `packdesk pack --json` line. It imports only the domain (where a shape is also a file format or a
// domain answer), so every layer that talks over the wire may import it (eslint/layers.js).
export * from './errors.js';
export * from './station.js';
export * from './live-events.js';
export * from './responses.js';
export * from './routes.js';
export * from './commands.js';
export * from './pack-line.js';
export * from './requests.js';
export type { ScanOutcome, OutcomeKind, OutcomeLine } from '../domain/scan-outcomes.js';
export type { ListView, ListState, HolderView } from '../domain/session.js';
export type { ClientConfig } from '../domain/client-config.js';
export type { StatsReport, StatsBucket, SittingRecord } from '../domain/stats.js';
export type { LeaseHolder } from '../domain/lease-holder.js';
export type {
  AnalysisSummary,
  ConditionPreviewAnswer,
  OrderDetail,
  OrderRow,
  OrdersPage,
} from '../domain/analysis-query.js';
export type {
  ActivityView,
  EditOutcome,
  InputFileLook,
  PrepareJobView,
  StagedFile,
} from '../domain/preparation-api.js';
export type { ListOverview, OrderHistory, OrderState, OverviewOrder } from '../domain/list-overview.js';
