// A client's barcode → SKU mappings on the share (sku_mapping.json). Every change is a read-modify-
// write of the whole file under the client's mapping lock (dir-lock.ts), so concurrent changes from
// many stations are applied one after another and none is lost; deletes are real deletes (with a
// tombstone), not merged back in.
//
// One more guard is needed on SMB: right after another PC replaced the file, this PC may read the
// previous content for up to a second. A lock holder that read an old copy would silently undo the
// last change. So each save also leaves an empty marker file named after its revision
// (.sku_mapping.rev-000000000042); marker names are new names, which the SMB clients show promptly.
// The next holder reads the newest marker first and does not accept a file older than it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  applyChanges,
  cleanBarcode,
  normalizeCode,
  keyIndex,
  SkuMappingFileSchema,
  type ChangeResult,
  type MappingChange,
  type SkuMappingFile,
} from '../domain/sku-mapping.js';
import { BACKUPS_KEPT, backupName, listBackups } from './backups.js';
import { replaceFileAtomic, storageErrorFor } from './atomic-file.js';
import { withDirLock, type DirLockOptions } from './dir-lock.js';
import type { Layout } from './layout.js';
import { readJsonPatiently } from './patient-json.js';
import { assertClientExists, MAPPING_BACKUP_STEM, type Loaded } from './profiles.js';
import { fileFingerprint, StatCache } from './stat-cache.js';

/** How long a bad or too-old read is retried (the FUSE SMB client shows a replaced file within ~1 s). */
const READ_PATIENCE_MS = 2_500;
const MARKER = /^\.sku_mapping\.rev-(\d{12})$/;

export const mappingCache = new StatCache<Loaded<SkuMappingFile>>();
/** The mapping file as this process last wrote it, with the file's fingerprint right after the write. */
const ownWrites = new Map<
  string,
  { value: SkuMappingFile; fingerprint: string; index: Map<string, string>; fragments: Map<string, string> }
>();

/** `"barcode":"sku"` as it stands in the file's JSON. */
function fragment(barcode: string, sku: string): string {
  return `${JSON.stringify(barcode)}:${JSON.stringify(sku)}`;
}

function mappingFragments(mappings: Record<string, string>): Map<string, string> {
  const fragments = new Map<string, string>();
  for (const [barcode, sku] of Object.entries(mappings)) fragments.set(barcode, fragment(barcode, sku));
  return fragments;
}

/**
 * The file's JSON, with the mappings joined from per-mapping fragments that a change updates one by
 * one: JSON.stringify of 10,000 mappings took most of a change's time.
 */
function mappingFileText(file: SkuMappingFile, fragments: Map<string, string>): string {
  const { mappings: _mappings, ...rest } = file;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"mappings":{${[...fragments.values()].join(',')}}}\n`;
}

function markerName(revision: number): string {
  return `.sku_mapping.rev-${String(revision).padStart(12, '0')}`;
}

async function newestMarker(clientDir: string): Promise<{ revision: number; names: string[] }> {
  let names: string[];
  try {
    names = await fs.readdir(clientDir);
  } catch (err) {
    throw storageErrorFor(err, 'read the client folder', clientDir);
  }
  const markers = names.filter((n) => MARKER.test(n));
  const revision = markers.reduce((max, n) => Math.max(max, Number(MARKER.exec(n)![1])), 0);
  return { revision, names: markers };
}

async function readMappingFile(
  layout: Layout,
  clientId: string,
  minRevision: number,
): Promise<Loaded<SkuMappingFile>> {
  const read = await readJsonPatiently(layout.skuMappingFile(clientId), SkuMappingFileSchema, {
    what: `The barcode mappings of client ${clientId} (sku_mapping.json)`,
    backups: { dir: layout.clientBackupsDir(clientId), stem: MAPPING_BACKUP_STEM },
    patienceMs: READ_PATIENCE_MS,
    rank: (file) => file.revision,
    tooOld: (file) =>
      file.revision < minRevision
        ? `it shows revision ${file.revision}, the last save was revision ${minRevision}`
        : null,
  });
  const loaded: Loaded<SkuMappingFile> = { value: read.value };
  if (read.recoveredFrom) {
    loaded.warning =
      `sku_mapping.json of client ${clientId} could not be used (${read.recoveredFrom.problem}); ` +
      `using the backup ${path.basename(read.recoveredFrom.backup)} (revision ${read.value.revision}). The next change repairs the file.`;
  }
  return loaded;
}

/**
 * Replaces the mapping file and keeps this revision among the backups. The backup is written before
 * the file is replaced, so if the main file is damaged later the newest backup is the latest
 * revision. It is a real copy, not a hard link: a file damaged in place (an editor, an old tool)
 * would damage a linked backup with it. The copy is not fsync'd, which halves the cost of a change at
 * 10,000 mappings: the main file is durable when the change is acknowledged, and a backup cut short
 * by a power failure is recognised as damaged and skipped.
 */
async function saveWithBackup(file: string, backupsDir: string, text: string): Promise<void> {
  const backup = async () => {
    const name = path.join(backupsDir, backupName(MAPPING_BACKUP_STEM));
    await fs.writeFile(name, text, { flag: 'wx' }).catch(async (err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await fs.mkdir(backupsDir, { recursive: true });
      await fs.writeFile(name, text, { flag: 'wx' });
    });
    for (const old of (await listBackups(backupsDir, MAPPING_BACKUP_STEM)).slice(BACKUPS_KEPT)) {
      // Another PC may be pruning the same backups at the same moment.
      await fs.rm(old, { force: true }).catch(() => {});
    }
  };
  // The backup is written while the new file is flushed; both are done before the file is replaced.
  await replaceFileAtomic(file, text, { alongside: backup });
}

/**
 * The current mappings. `fresh` reads the share now and never returns anything older than the last
 * acknowledged save; otherwise the per-process cache answers (see stat-cache.ts).
 */
export async function loadMappings(
  layout: Layout,
  clientId: string,
  options: { fresh?: boolean } = {},
): Promise<Loaded<SkuMappingFile>> {
  await assertClientExists(layout, clientId);
  const fresh = async () =>
    readMappingFile(layout, clientId, (await newestMarker(layout.clientDir(clientId))).revision);
  if (options.fresh) return fresh();
  return mappingCache.get(layout.skuMappingFile(clientId), fresh);
}

export interface MappingChangeOutcome {
  /** The mappings after the change; read-only (this process reuses the object for its next change). */
  file: SkuMappingFile;
  results: ChangeResult[];
  /** The revision the mappings have after this change (unchanged when nothing changed). */
  revision: number;
  changed: boolean;
  warning?: string;
}

/**
 * Applies `changes` as one step with one new revision. Throws (and changes nothing) when any change
 * is invalid, e.g. a delete of a barcode that has no mapping.
 */
export async function changeMappings(
  layout: Layout,
  clientId: string,
  changes: readonly MappingChange[],
  options: { station: string; lock: Omit<DirLockOptions, 'station' | 'what'>; now?: () => Date },
): Promise<MappingChangeOutcome> {
  await assertClientExists(layout, clientId);
  const clientDir = layout.clientDir(clientId);
  const file = layout.skuMappingFile(clientId);
  const run = withDirLock(
    layout.clientLockDir(clientId, 'sku_mapping'),
    { ...options.lock, station: options.station, what: `the barcode mappings of client ${clientId}` },
    async (lock) => {
      const markers = await newestMarker(clientDir);
      // What this process wrote last is reused when nobody has saved since: same revision marker and
      // the file unchanged on disk. Any other station's save adds a newer marker and forces a read.
      const memo = ownWrites.get(file);
      ownWrites.delete(file);
      const reusable =
        memo !== undefined &&
        memo.value.revision === markers.revision &&
        memo.fingerprint === (await fileFingerprint(file));
      const current: Loaded<SkuMappingFile> = reusable
        ? { value: memo.value }
        : await readMappingFile(layout, clientId, markers.revision);
      const before = current.value.revision;
      const index = reusable ? memo.index : keyIndex(current.value.mappings);
      const fragments = reusable ? memo.fragments : mappingFragments(current.value.mappings);
      // Every key a change can touch: its own spelling and the spelling stored for the same barcode.
      const touched = new Set<string>();
      for (const change of changes) {
        const barcode = cleanBarcode(change.barcode);
        touched.add(barcode);
        const stored = index.get(normalizeCode(barcode));
        if (stored !== undefined) touched.add(stored);
      }
      const { file: next, results } = applyChanges(
        current.value,
        changes,
        { station: options.station, now: options.now?.() ?? new Date() },
        { inPlace: true, index },
      );
      const outcome: MappingChangeOutcome = {
        file: next,
        results,
        revision: next.revision,
        changed: next.revision !== before,
      };
      if (current.warning) outcome.warning = current.warning;
      if (!outcome.changed) {
        if (reusable) ownWrites.set(file, memo);
        return outcome;
      }
      for (const result of results) touched.add(result.barcode);
      for (const key of touched) {
        if (Object.hasOwn(next.mappings, key)) fragments.set(key, fragment(key, next.mappings[key]!));
        else fragments.delete(key);
      }
      // Compact: at 10,000 mappings indenting costs a millisecond per change and nobody reads it by eye.
      const text = mappingFileText(next, fragments);
      await lock.assertHeld();
      await saveWithBackup(file, layout.clientBackupsDir(clientId), text);
      // The previous marker is renamed to the new revision: one step, and never zero or two markers.
      const target = path.join(clientDir, markerName(next.revision));
      const [previous, ...leftovers] = [...markers.names].sort().reverse();
      try {
        if (previous) await fs.rename(path.join(clientDir, previous), target);
        else await fs.writeFile(target, '');
      } catch {
        try {
          await fs.writeFile(target, '');
        } catch (err) {
          // The change itself is saved; only the guard against stale SMB reads is missing this time.
          outcome.warning = `Saved, but the revision marker could not be written (${storageErrorFor(err, 'write', clientDir).message})`;
        }
      }
      for (const old of leftovers) await fs.rm(path.join(clientDir, old), { force: true }).catch(() => {});
      const fingerprint = await fileFingerprint(file);
      if (fingerprint !== null) ownWrites.set(file, { value: next, fingerprint, index, fragments });
      // Not shared with the read cache: the memo is changed in place by this process's next change.
      mappingCache.forget(file);
      return outcome;
    },
  );
  // A change that failed half-way may have touched the in-memory copy: it is not reused.
  return run.catch((err: unknown) => {
    ownWrites.delete(file);
    throw err;
  });
}
