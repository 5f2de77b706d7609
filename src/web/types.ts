// Shapes the API answers with, as the web app uses them (the server's types, imported as types only).
export type { ScanOutcome, OutcomeKind, OutcomeLine } from '../domain/scan-outcomes.js';
export type { SessionView, ListView, ListState, HolderView } from '../domain/session.js';
export type { ClientConfig } from '../domain/client-config.js';
export type { StationState, StationLine, StationOutcomeView } from '../domain/station-view.js';
export type { StatsReport, StatsBucket, SittingRecord } from '../domain/stats.js';

export interface ClientSummary {
  client_id: string;
  client_name: string;
  created_at: string;
}

export interface ServerInfo {
  station: string;
  root: string;
  default_worker: string | null;
  locking: { heartbeatMs: number; staleMs: number };
}
