// Archiving a session: the shift lead hides a finished or abandoned session from the session browser.
// Nothing is deleted or moved; `session list --archived` and the browser's "show archived" still show
// it, and unarchiving brings it back. A session a station is packing cannot be archived.
import { ConflictError } from '../domain/errors.js';
import { assertClientId, assertSafeName } from '../domain/ids.js';
import { leaseStatus } from '../domain/lease.js';
import type { SessionArchiveAnswer } from '../domain/session.js';
import { openDataRoot } from '../store/data-root.js';
import { snapshotLease } from '../store/lease/observe.js';
import { readArchiveFact, writeArchiveRecord } from '../store/session-archive.js';
import { appendIndexEvents } from '../store/session-index.js';
import { readSessionInfo } from '../store/sessions.js';
import type { Deps, StationIdentity } from './open-list.js';

export interface ArchiveRequest {
  client: string;
  session: string;
  /** True to archive, false to bring the session back. */
  archived: boolean;
  by: StationIdentity;
}

export async function setSessionArchived(deps: Deps, req: ArchiveRequest): Promise<SessionArchiveAnswer> {
  const client = assertClientId(req.client);
  const session = assertSafeName(req.session, 'Session id');
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const info = await readSessionInfo(deps.layout, client, session);
  const current = await readArchiveFact(deps.layout, client, session);
  const unchanged = { client, session, archived: req.archived, changed: false, at: null, by: null };
  if ((current?.archived ?? false) === req.archived) {
    // Already so on the share; the index may have missed the fact (a crash after the record was
    // written), so it is told again: repeating the command always mends the listing.
    if (current) await appendIndexEvents(deps.layout, client, [{ type: 'archive', session, ...current }]);
    return unchanged;
  }
  if (req.archived) {
    for (const list of info.lists) {
      const status = leaseStatus(await snapshotLease(deps.layout.listLeasesDir(client, session, list.name)));
      if (status.state !== 'held') continue;
      const station = status.record?.station ?? 'a station';
      const worker = status.record?.worker ?? 'unknown';
      throw new ConflictError(
        `Session ${session} cannot be archived: its packing list ${list.name} is open at ${station} (worker ${worker}). Archive it once that list is ended or released.`,
        { list: list.name, holder: { station, worker } },
      );
    }
  }
  const { fact, record } = await writeArchiveRecord(deps.layout, client, session, req.archived, {
    station: req.by.station,
    worker: req.by.worker,
  });
  await appendIndexEvents(deps.layout, client, [{ type: 'archive', session, ...fact }]);
  return { client, session, archived: req.archived, changed: true, at: record.at, by: record.by };
}
