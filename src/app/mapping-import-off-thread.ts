// Imports a mapping file off the thread that keeps leases alive and answers scans (off-thread.ts): a
// large CSV or workbook takes seconds to read and check row by row. The whole import runs in the
// worker, the mapping lock and its heartbeat included; only the counts come back.
import { z } from 'zod';
import { DEFAULT_SETTINGS } from '../domain/settings.js';
import { Layout } from '../store/layout.js';
import { runOffThread, workerAnswer } from './off-thread.js';
import { importMappingContent, type ImportResult, type MappingDeps } from './sku-mappings.js';

export const MAPPING_IMPORT_LIMITS = { heapMb: 1_024, timeMs: 120_000 };

export const MappingImportJob = z.object({
  root: z.string(),
  station: z.string(),
  client: z.string(),
  /** The file's content, as uploaded. */
  data: z.instanceof(Uint8Array),
  /** The file's name as the shift lead knows it. */
  name: z.string(),
  locking: z.object({ heartbeatMs: z.number().positive(), staleMs: z.number().positive() }),
  connectionTimeoutMs: z.number().positive(),
});
export type MappingImportJob = z.infer<typeof MappingImportJob>;

export const MappingImportAnswer = workerAnswer(
  z.object({
    client_id: z.string(),
    file: z.string(),
    rows: z.number().int().nonnegative(),
    added: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
    revision: z.number().int().nonnegative(),
    warnings: z.array(z.string()),
  }),
);

/** The import as the worker runs it: the same use case, with the settings it needs. */
export function runMappingImport(job: MappingImportJob): Promise<ImportResult> {
  const settings = structuredClone(DEFAULT_SETTINGS);
  settings.locking = job.locking;
  settings.network.connectionTimeoutMs = job.connectionTimeoutMs;
  return importMappingContent(
    { layout: new Layout(job.root), settings, station: job.station },
    job.client,
    job.data,
    job.name,
  );
}

export function importMappingsOffThread(
  deps: MappingDeps,
  clientId: string,
  data: Uint8Array,
  name: string,
): Promise<ImportResult> {
  const job: MappingImportJob = {
    root: deps.layout.root,
    station: deps.station,
    client: clientId,
    data: new Uint8Array(data),
    name,
    locking: { ...deps.settings.locking },
    connectionTimeoutMs: deps.settings.network.connectionTimeoutMs,
  };
  return runOffThread({
    entry: new URL('./mapping-import-worker.js', import.meta.url),
    job,
    answer: MappingImportAnswer,
    limits: MAPPING_IMPORT_LIMITS,
    tooSlow: `${name} took more than ${MAPPING_IMPORT_LIMITS.timeMs / 1000} s to import and was not imported; split it into smaller files.`,
    tooLarge: `${name} needs more than ${MAPPING_IMPORT_LIMITS.heapMb} MB of memory to read and was not imported; split it into smaller files.`,
    inPlace: () => importMappingContent(deps, clientId, data, name),
  });
}
