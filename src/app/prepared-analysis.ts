// Use cases behind the preparation page: look at a file before running (format, encoding, delimiter,
// rows, headers), read a prepared session's analysis as of its current revision, and hand out its
// downloadable outputs (the analysis workbook, the write-off exports).
import type { AnalysisFile } from '../domain/analysis-file.js';
import { ValidationError } from '../domain/errors.js';
import type { InputFileLook } from '../domain/preparation-api.js';
import { assertClientId, assertSafeName, safeNameProblem } from '../domain/ids.js';
import { openDataRoot } from '../store/data-root.js';
import { ANALYSIS_XLSX } from '../store/prepared-session-files.js';
import { readAnalysisFile, readSessionOutput } from '../store/prepared-analysis-file.js';
import { readSessionInfo } from '../store/sessions.js';
import { scanTabular } from '../store/tabular-file.js';
import type { Deps } from './open-list.js';

/** What a file is, read through once without keeping its rows; bad files throw as they would in a run. */
export async function lookAtInputFile(data: Buffer, name: string): Promise<InputFileLook> {
  let headers: string[] = [];
  const about = await scanTabular(data, name, { header: (h) => (headers = h), row: () => {} });
  return {
    file: name,
    size: data.length,
    format: about.format,
    ...(about.encoding ? { encoding: about.encoding } : {}),
    ...(about.delimiter ? { delimiter: about.delimiter } : {}),
    rows: about.rows,
    headers,
    warnings: about.warnings ?? [],
  };
}

/** The revision a prepared session is at (raised by every edit). */
export async function preparedRevision(deps: Deps, client: string, session: string): Promise<number> {
  const info = await readSessionInfo(deps.layout, assertClientId(client), session);
  if (!info.prepared)
    throw new ValidationError(
      `Session ${session} was made from packing lists, not prepared from a Shopify export; it has no analysis.`,
      { session },
    );
  return info.prepared.revision;
}

/** The analysis as it is now, with the revision it belongs to. */
export async function loadPreparedAnalysis(
  deps: Deps,
  client: string,
  session: string,
): Promise<{ revision: number; doc: AnalysisFile }> {
  assertClientId(client);
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  // An edit at another station may land between the two reads: read until the revision holds still.
  for (let attempt = 0; ; attempt++) {
    const info = await readSessionInfo(deps.layout, client, session);
    if (!info.prepared) await preparedRevision(deps, client, session);
    const doc = await readAnalysisFile(deps.layout, client, session, info.prepared!.analysis);
    const revision = await preparedRevision(deps, client, session);
    if (revision === info.prepared!.revision || attempt >= 3) return { revision, doc };
  }
}

/** The outputs a shift lead may download: the analysis workbook and the write-off exports, nothing else. */
export function isDownloadable(relative: string): boolean {
  if (relative === ANALYSIS_XLSX) return true;
  const m = /^exports\/([^/\\]+)\.(xlsx|csv)$/.exec(relative);
  return m !== null && safeNameProblem(m[1]!, 'Export name') === null;
}

export async function preparedDownload(
  deps: Deps,
  client: string,
  session: string,
  relative: string,
): Promise<{ name: string; data: Buffer; type: string }> {
  assertClientId(client);
  assertSafeName(session, 'Session id');
  if (!isDownloadable(relative))
    throw new ValidationError(`Session ${session} has no download "${relative}".`, { file: relative });
  const data = await readSessionOutput(deps.layout, client, session, relative);
  const name = relative.split('/').pop()!;
  return {
    name,
    data,
    type: name.endsWith('.csv')
      ? 'text/csv; charset=utf-8'
      : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  };
}
