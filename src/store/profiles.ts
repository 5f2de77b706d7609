// Client profiles on the share: CLIENTS/CLIENT_<ID>/{config.json, sku_mapping.json, backups/}.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ClientConfigSchema, newClientConfig, type ClientConfig } from '../domain/client-config.js';
import { AlreadyExistsError, NotFoundError, ValidationError } from '../domain/errors.js';
import { assertClientId, clientIdProblem } from '../domain/ids.js';
import { emptyMappingFile } from '../domain/sku-mapping.js';
import { replaceFileAtomic, storageErrorFor, syncFolder, writeNewFile } from './atomic-file.js';
import { writeBackup } from './backups.js';
import { withDirLock, type DirLockOptions } from './dir-lock.js';
import { errorCode, withTransientRetry } from './fs-retry.js';
import { clientIdFromFolder, type Layout } from './layout.js';
import { readJsonPatiently } from './patient-json.js';
import { StatCache } from './stat-cache.js';

export const CONFIG_BACKUP_STEM = 'config';
export const MAPPING_BACKUP_STEM = 'sku_mapping';
/** How long a bad read of config.json is retried before a backup stands in (see patient-json.ts). */
const READ_PATIENCE_MS = 1_000;

export interface Loaded<T> {
  value: T;
  /** Set when the file was damaged and the newest good backup was used instead. */
  warning?: string;
}

/** Per-process config cache; exported so the bench can measure it and tests can reset it. */
export const configCache = new StatCache<Loaded<ClientConfig>>();

function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function exists(dir: string): Promise<boolean> {
  try {
    // EIO: the FUSE SMB client's few-second hiccup after another PC deleted something nearby.
    await withTransientRetry(() => fs.stat(dir), { budgetMs: 5_000, alsoRetry: ['EIO'] });
    return true;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return false;
    throw storageErrorFor(err, `look for ${path.basename(dir)}`, dir);
  }
}

function alreadyExists(clientId: string): AlreadyExistsError {
  return new AlreadyExistsError(
    `Client ${clientId} already exists. Pick another ID, or use the existing client.`,
    {
      client_id: clientId,
    },
  );
}

/**
 * Creates a client all-or-nothing: the whole folder is assembled under a hidden staging name inside
 * CLIENTS/ and renamed into place in one step. A failure (or a killed process) leaves at most a
 * hidden staging folder that nothing lists, never a half-made client. The rename cannot replace a
 * non-empty folder on any platform, so of two PCs creating the same id exactly one wins and the
 * other is told the client already exists.
 */
export async function createClientProfile(
  layout: Layout,
  input: { clientId: string; clientName: string; station: string; now?: Date },
): Promise<ClientConfig> {
  const clientId = assertClientId(input.clientId);
  const now = input.now ?? new Date();
  const config = newClientConfig(clientId, input.clientName, input.station, now);
  const target = layout.clientDir(clientId);
  if (await exists(target)) throw alreadyExists(clientId);

  const staging = layout.clientStagingDir(clientId, randomBytes(6).toString('hex'));
  try {
    await fs.mkdir(staging);
    const configText = jsonText(config);
    const mappingText = jsonText(emptyMappingFile(input.station, now));
    await writeNewFile(path.join(staging, 'config.json'), configText);
    await writeNewFile(path.join(staging, 'sku_mapping.json'), mappingText);
    // The first backups exist from the start, so even a damaged file on day one has a good copy.
    const backups = path.join(staging, 'backups');
    await writeBackup(backups, CONFIG_BACKUP_STEM, configText);
    await writeBackup(backups, MAPPING_BACKUP_STEM, mappingText);
    await syncFolder(staging);
    await fs.mkdir(layout.clientSessionsDir(clientId), { recursive: true });
    try {
      await withTransientRetry(() => fs.rename(staging, target), { budgetMs: 2_000 });
    } catch (err) {
      if (await exists(target)) throw alreadyExists(clientId);
      throw err;
    }
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
    if (err instanceof AlreadyExistsError) throw err;
    throw storageErrorFor(err, `create client ${clientId}`, target);
  }
  await syncFolder(layout.clientsDir());
  return config;
}

/** Client ids found under CLIENTS/, sorted. Staging folders and anything that is not a valid id are skipped. */
export async function listClientIds(layout: Layout): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(layout.clientsDir(), { withFileTypes: true });
  } catch (err) {
    throw storageErrorFor(err, 'list clients', layout.clientsDir());
  }
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => clientIdFromFolder(e.name))
    .filter((id): id is string => id !== null && clientIdProblem(id) === null)
    .sort();
}

export async function assertClientExists(layout: Layout, clientId: string): Promise<void> {
  const dir = layout.clientDir(clientId);
  if (!(await exists(dir))) {
    throw new NotFoundError(
      `Client ${clientId} does not exist. Check the ID, or create it with "packdesk client create ${clientId} --name ...".`,
      {
        client_id: clientId,
      },
    );
  }
}

async function readConfigFresh(layout: Layout, clientId: string): Promise<Loaded<ClientConfig>> {
  const read = await readJsonPatiently(layout.clientConfigFile(clientId), ClientConfigSchema, {
    what: `The settings of client ${clientId} (config.json)`,
    backups: { dir: layout.clientBackupsDir(clientId), stem: CONFIG_BACKUP_STEM },
    patienceMs: READ_PATIENCE_MS,
  });
  const loaded: Loaded<ClientConfig> = { value: read.value };
  if (read.recoveredFrom) {
    loaded.warning =
      `config.json of client ${clientId} could not be used (${read.recoveredFrom.problem}); ` +
      `using the backup ${path.basename(read.recoveredFrom.backup)}. Saving the settings again repairs the file.`;
  }
  return loaded;
}

/** Loads a client's config.json through the per-process cache (or straight from the share with fresh). */
export async function loadClientConfig(
  layout: Layout,
  clientId: string,
  options: { fresh?: boolean } = {},
): Promise<Loaded<ClientConfig>> {
  await assertClientExists(layout, clientId);
  const file = layout.clientConfigFile(clientId);
  if (options.fresh) return readConfigFresh(layout, clientId);
  return configCache.get(file, () => readConfigFresh(layout, clientId));
}

/**
 * Changes a client's config.json: read fresh under the client's config lock, change, validate,
 * back up, replace atomically. Concurrent saves from several PCs are applied one after another.
 */
export async function updateClientConfig(
  layout: Layout,
  clientId: string,
  change: (config: ClientConfig) => ClientConfig,
  options: { station: string; lock: Omit<DirLockOptions, 'station' | 'what'> },
): Promise<Loaded<ClientConfig>> {
  await assertClientExists(layout, clientId);
  const file = layout.clientConfigFile(clientId);
  return withDirLock(
    layout.clientLockDir(clientId, 'config'),
    { ...options.lock, station: options.station, what: `the settings of client ${clientId}` },
    async (lock) => {
      const current = await readConfigFresh(layout, clientId);
      const changed = change(structuredClone(current.value));
      const parsed = ClientConfigSchema.safeParse({
        ...changed,
        client_id: clientId,
        last_updated: new Date().toISOString(),
        updated_by: options.station,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || '(settings)';
        throw new ValidationError(
          `Setting "${field}" of client ${clientId} is not valid: ${issue?.message ?? 'invalid'}.`,
          { field },
        );
      }
      const next = parsed.data;
      const text = jsonText(next);
      await lock.assertHeld();
      await writeBackup(layout.clientBackupsDir(clientId), CONFIG_BACKUP_STEM, text);
      await replaceFileAtomic(file, text);
      const loaded: Loaded<ClientConfig> = { value: next };
      await configCache.remember(file, loaded);
      return loaded;
    },
  );
}
