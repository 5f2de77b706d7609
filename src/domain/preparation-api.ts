// Answers of the preparation API (docs/api.md, "Preparing sessions") that are not file formats: a
// file looked at before a run, a run's progress, an edit's outcome, the activity log. Types only, so
// the server, the app and the browser share one definition.
export interface InputFileLook {
  file: string;
  size: number;
  format: 'csv' | 'xlsx';
  encoding?: string;
  delimiter?: string;
  /** Data rows (the header row not counted). */
  rows: number;
  headers: string[];
  warnings: string[];
}

export interface PrepareJobView {
  job: string;
  client: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** upload, read, analyse, write, index, done */
  phase: string;
  detail: string;
  started_at: string;
  session: string | null;
  warnings: string[];
  /** The error body of a failed run (`problems: [{file, row, column, message}]` for refused input). */
  error: Record<string, unknown> | null;
}

export interface EditOutcome {
  results: Array<{
    change: { type: string } & Record<string, unknown>;
    ok: boolean;
    description?: string;
    seq?: number;
    error?: { code: string; message: string; details: Record<string, unknown> };
  }>;
  revision: number;
}

export interface ActivityView {
  seq: number;
  at: string;
  station: string;
  worker: string;
  description: string;
  undone: boolean;
}
