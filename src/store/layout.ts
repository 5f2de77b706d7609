// Where everything lives under the data root (DESIGN §3). Every path is built here from validated
// ids, so no other module joins user input onto the root.
import path from 'node:path';
import { assertClientId, assertSafeName } from '../domain/ids.js';

export const CLIENTS_DIR = 'CLIENTS';
export const SESSIONS_DIR = 'SESSIONS';
export const STATS_DIR = 'STATS';
export const TOP_LEVEL_DIRS = [CLIENTS_DIR, SESSIONS_DIR, STATS_DIR] as const;

export class Layout {
  readonly root: string;
  constructor(root: string) {
    this.root = path.resolve(root);
  }

  clientsDir(): string {
    return path.join(this.root, CLIENTS_DIR);
  }
  sessionsRootDir(): string {
    return path.join(this.root, SESSIONS_DIR);
  }
  statsDir(): string {
    return path.join(this.root, STATS_DIR);
  }
  /** The warehouse's workers (names, optional PIN hashes); made on first use, so not a top-level dir of init. */
  workersDir(): string {
    return path.join(this.root, 'WORKERS');
  }
  workersFile(): string {
    return path.join(this.workersDir(), 'workers.json');
  }
  workersBackupsDir(): string {
    return path.join(this.workersDir(), 'backups');
  }
  workersLockDir(): string {
    return path.join(this.workersDir(), '.workers.lock');
  }

  clientDir(clientId: string): string {
    return path.join(this.clientsDir(), `CLIENT_${assertClientId(clientId)}`);
  }
  clientConfigFile(clientId: string): string {
    return path.join(this.clientDir(clientId), 'config.json');
  }
  skuMappingFile(clientId: string): string {
    return path.join(this.clientDir(clientId), 'sku_mapping.json');
  }
  clientBackupsDir(clientId: string): string {
    return path.join(this.clientDir(clientId), 'backups');
  }
  /** Lock folder guarding read-modify-write of one of the client's files (`name`: a fixed word). */
  clientLockDir(clientId: string, name: 'sku_mapping' | 'config'): string {
    return path.join(this.clientDir(clientId), `.${name}.lock`);
  }
  /** Where a new client is assembled before it is renamed into place. */
  clientStagingDir(clientId: string, unique: string): string {
    return path.join(this.clientsDir(), `.creating-${assertClientId(clientId)}-${unique}`);
  }

  /** Immutable per-sitting result records of one client's lists (see domain/stats.ts). */
  sittingsDir(clientId: string): string {
    return path.join(this.statsDir(), 'sittings', `CLIENT_${assertClientId(clientId)}`);
  }

  clientSessionsDir(clientId: string): string {
    return path.join(this.sessionsRootDir(), `CLIENT_${assertClientId(clientId)}`);
  }
  sessionDir(clientId: string, sessionId: string): string {
    return path.join(this.clientSessionsDir(clientId), assertSafeName(sessionId, 'Session id'));
  }
  sessionInfoFile(clientId: string, sessionId: string): string {
    return path.join(this.sessionDir(clientId, sessionId), 'session_info.json');
  }
  /** The stored packing lists of a session. */
  sessionListsDir(clientId: string, sessionId: string): string {
    return path.join(this.sessionDir(clientId, sessionId), 'packing_lists');
  }
  /** Printed labels of the session's lists, one folder per list (DESIGN §3 `barcodes/`). */
  sessionBarcodesDir(clientId: string, sessionId: string): string {
    return path.join(this.sessionDir(clientId, sessionId), 'barcodes');
  }
  listLabelsDir(clientId: string, sessionId: string, listName: string): string {
    return path.join(
      this.sessionBarcodesDir(clientId, sessionId),
      assertSafeName(listName, 'Packing list name'),
    );
  }
  /** The sequence numbers printed on a list's labels: immutable records, one per print that numbered something new. */
  listNumberingDir(clientId: string, sessionId: string, listName: string): string {
    return path.join(this.listLabelsDir(clientId, sessionId, listName), 'numbering');
  }
  /** One work folder per packing list: its leases, journal and snapshots. */
  listWorkDir(clientId: string, sessionId: string, listName: string): string {
    return path.join(
      this.sessionDir(clientId, sessionId),
      'packing',
      assertSafeName(listName, 'Packing list name'),
    );
  }
  listLeasesDir(clientId: string, sessionId: string, listName: string): string {
    return path.join(this.listWorkDir(clientId, sessionId, listName), 'leases');
  }
  listJournalDir(clientId: string, sessionId: string, listName: string): string {
    return path.join(this.listWorkDir(clientId, sessionId, listName), 'journal');
  }
  /** A prepared session's inputs as given (orders exports, stock, sets). */
  sessionInputDir(clientId: string, sessionId: string): string {
    return path.join(this.sessionDir(clientId, sessionId), 'input');
  }
  /** A prepared session's analysis: analysis.json/.xlsx, the settings it used, and its edit ledger. */
  sessionAnalysisDir(clientId: string, sessionId: string): string {
    return path.join(this.sessionDir(clientId, sessionId), 'analysis');
  }
  sessionEditsDir(clientId: string, sessionId: string): string {
    return path.join(this.sessionAnalysisDir(clientId, sessionId), 'edits');
  }
  /** Lock folder for edits of a prepared session (one shift lead's edit at a time). */
  sessionEditLockDir(clientId: string, sessionId: string): string {
    return path.join(this.sessionAnalysisDir(clientId, sessionId), '.edit.lock');
  }
  /** Stock write-off exports of a prepared session. */
  sessionExportsDir(clientId: string, sessionId: string): string {
    return path.join(this.sessionDir(clientId, sessionId), 'exports');
  }
  /** A session's archive records (archived / brought back), each an immutable file. */
  sessionArchiveDir(clientId: string, sessionId: string): string {
    return path.join(this.sessionDir(clientId, sessionId), 'archive');
  }
  /** The per-client session index (a dot name, so it never collides with a session id). */
  sessionIndexDir(clientId: string): string {
    return path.join(this.clientSessionsDir(clientId), '.index');
  }
}

/** The client id inside a `CLIENT_<ID>` folder name, or null for anything else in the folder. */
export function clientIdFromFolder(folder: string): string | null {
  return folder.startsWith('CLIENT_') && folder.length > 'CLIENT_'.length
    ? folder.slice('CLIENT_'.length)
    : null;
}
