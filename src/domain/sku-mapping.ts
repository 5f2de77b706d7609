// Barcode → SKU mappings of a client (sku_mapping.json). The seed's shape {mappings, last_updated,
// updated_by} is kept so its files still read; packdesk adds a revision that rises with every change
// and tombstones for deletions. Tombstones say who removed a mapping and when (the Python tool's
// merge silently brought deleted mappings back, so a shift lead needs to see that a delete happened),
// and any later merge of an older copy must drop barcodes whose tombstone is newer than that copy.
import { z } from 'zod';
import { NotFoundError, ValidationError } from './errors.js';

export const SKU_MAPPING_SCHEMA_VERSION = 1;
/** Tombstones kept per client; older ones are dropped (newest by revision win). */
export const TOMBSTONES_KEPT = 1_000;
export const CODE_MAX_LENGTH = 100;

/**
 * The form in which barcodes and SKUs are compared (DESIGN §6): case and punctuation do not matter,
 * so `SKU-1A`, `sku 1a` and `SKU_1A` are one code. Unicode letters and digits count (as in the
 * Python tool), compatibility forms are folded (full-width digits from some scanners' IMEs).
 */
// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ASCII = /^[\x00-\x7f]*$/;
const NOT_ASCII_ALNUM = /[^a-z0-9]/g;
const NOT_ALNUM = /[^\p{L}\p{N}]/gu;

export function normalizeCode(code: string): string {
  // Plain-ASCII fast path (NFKC changes nothing there): a mapping change normalises every stored
  // barcode, 10,000 of them.
  if (ASCII.test(code)) return code.toLowerCase().replace(NOT_ASCII_ALNUM, '');
  return code.normalize('NFKC').toLowerCase().replace(NOT_ALNUM, '');
}

function cleanCode(raw: string, what: 'Barcode' | 'SKU'): string {
  const code = raw.trim();
  if (code.length === 0) throw new ValidationError(`${what} cannot be empty.`, { field: what.toLowerCase() });
  if (code.length > CODE_MAX_LENGTH)
    throw new ValidationError(
      `${what} "${code.slice(0, 20)}…" is too long: at most ${CODE_MAX_LENGTH} characters.`,
      {
        field: what.toLowerCase(),
      },
    );
  // Mappings are kept in plain objects keyed by barcode: this one name would change the object
  // itself instead of adding a key, so it is refused rather than silently dropped.
  if (code === '__proto__')
    throw new ValidationError(`${what} "__proto__" cannot be used; it is a reserved word.`, {
      field: what.toLowerCase(),
    });
  if (/\p{Cc}/u.test(code))
    throw new ValidationError(
      `${what} "${code}" contains control characters (a tab or line break?); type or scan it again.`,
      {
        field: what.toLowerCase(),
      },
    );
  if (normalizeCode(code).length === 0)
    throw new ValidationError(`${what} "${code}" has no letters or digits, so no scan could ever match it.`, {
      field: what.toLowerCase(),
    });
  return code;
}

/** A barcode as stored: trimmed, checked. Throws ValidationError with a message for the user. */
export function cleanBarcode(raw: string): string {
  return cleanCode(raw, 'Barcode');
}
export function cleanSku(raw: string): string {
  return cleanCode(raw, 'SKU');
}

const TombstoneSchema = z.looseObject({
  barcode: z.string(),
  revision: z.number().int().nonnegative(),
  deleted_at: z.string(),
  deleted_by: z.string(),
});
export type Tombstone = z.infer<typeof TombstoneSchema>;

// Checked by hand rather than with z.record: zod's per-entry parse costs ~10 ms for 10,000 mappings,
// which would be most of a mapping change's time budget.
function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const sku of Object.values(value)) if (typeof sku !== 'string') return false;
  return true;
}

export const SkuMappingFileSchema = z.looseObject({
  schema_version: z.number().int().min(1).max(SKU_MAPPING_SCHEMA_VERSION).default(SKU_MAPPING_SCHEMA_VERSION),
  mappings: z.custom<Record<string, string>>(
    isStringRecord,
    'mappings must map each barcode to a SKU (text)',
  ),
  last_updated: z.string().nullable().default(null),
  updated_by: z.string().default('Unknown'),
  revision: z.number().int().nonnegative().default(0),
  /** Keyed by normalizeCode(barcode). */
  tombstones: z.record(z.string(), TombstoneSchema).default(() => ({})),
});
export type SkuMappingFile = z.infer<typeof SkuMappingFileSchema>;

export function emptyMappingFile(station: string, now: Date): SkuMappingFile {
  return {
    schema_version: SKU_MAPPING_SCHEMA_VERSION,
    mappings: {},
    last_updated: now.toISOString(),
    updated_by: station,
    revision: 0,
    tombstones: {},
  };
}

export type MappingChange = { op: 'set'; barcode: string; sku: string } | { op: 'delete'; barcode: string };

export interface ChangeResult {
  op: 'set' | 'delete';
  barcode: string;
  sku: string | null;
  /** The SKU the barcode mapped to before, if any. */
  previous: string | null;
  changed: boolean;
}

/** normalizeCode(barcode) → the key under which it is stored, for matching another spelling of it. */
export function keyIndex(mappings: Record<string, string>): Map<string, string> {
  const index = new Map<string, string>();
  for (const key of Object.keys(mappings)) {
    const norm = normalizeCode(key);
    if (!index.has(norm)) index.set(norm, key);
  }
  return index;
}

/**
 * Applies changes in order to a copy of `file`. The revision rises by one for the whole batch if
 * anything changed (a bulk import is one revision), and not at all for a batch that changed nothing.
 * A delete of a barcode that has no mapping is a NotFoundError, so the person learns of the typo.
 */
export function applyChanges(
  file: SkuMappingFile,
  changes: readonly MappingChange[],
  meta: { station: string; now: Date },
  options: {
    inPlace?: boolean;
    /** keyIndex(file.mappings), kept up to date here; lets a caller that keeps the file keep this too. */
    index?: Map<string, string>;
  } = {},
): { file: SkuMappingFile; results: ChangeResult[] } {
  // Copying 10,000 mappings costs more than the rest of a change; a caller that owns `file` (just
  // parsed it) may let it be changed in place. Validation errors are thrown before any change.
  for (const change of changes) {
    cleanBarcode(change.barcode);
    if (change.op === 'set') cleanSku(change.sku);
  }
  const mappings = options.inPlace ? file.mappings : { ...file.mappings };
  const tombstones = options.inPlace ? file.tombstones : { ...file.tombstones };
  // Built only when a barcode is not stored under exactly the spelling given: the usual change
  // (a new SKU for a known barcode, a delete) then costs no pass over all mappings.
  let built: Map<string, string> | null = options.index ?? null;
  const index = {
    get(norm: string, exact: string): string | undefined {
      if (built === null && Object.hasOwn(mappings, exact)) return exact;
      built ??= keyIndex(mappings);
      return built.get(norm);
    },
    set(norm: string, key: string) {
      built?.set(norm, key);
    },
    delete(norm: string) {
      built?.delete(norm);
    },
  };
  const revision = file.revision + 1;
  const at = meta.now.toISOString();
  const results: ChangeResult[] = [];
  for (const change of changes) {
    const barcode = cleanBarcode(change.barcode);
    const norm = normalizeCode(barcode);
    const existingKey = index.get(norm, barcode);
    const previous = existingKey === undefined ? null : mappings[existingKey]!;
    if (change.op === 'set') {
      const sku = cleanSku(change.sku);
      if (existingKey === barcode && previous === sku) {
        results.push({ op: 'set', barcode, sku, previous, changed: false });
        continue;
      }
      // Another spelling of the same barcode is the same barcode: it is replaced, not duplicated.
      if (existingKey !== undefined) delete mappings[existingKey];
      mappings[barcode] = sku;
      index.set(norm, barcode);
      delete tombstones[norm];
      results.push({ op: 'set', barcode, sku, previous, changed: true });
    } else {
      if (existingKey === undefined) {
        throw new NotFoundError(
          `Barcode "${barcode}" has no SKU mapping, so there is nothing to delete. Check the barcode.`,
          {
            barcode,
          },
        );
      }
      delete mappings[existingKey];
      index.delete(norm);
      tombstones[norm] = { barcode: existingKey, revision, deleted_at: at, deleted_by: meta.station };
      results.push({ op: 'delete', barcode: existingKey, sku: null, previous, changed: true });
    }
  }
  if (!results.some((r) => r.changed)) return { file, results };
  return {
    file: {
      ...file,
      schema_version: SKU_MAPPING_SCHEMA_VERSION,
      mappings,
      tombstones: pruneTombstones(tombstones),
      revision,
      last_updated: at,
      updated_by: meta.station,
    },
    results,
  };
}

function pruneTombstones(tombstones: Record<string, Tombstone>): Record<string, Tombstone> {
  const entries = Object.entries(tombstones);
  if (entries.length <= TOMBSTONES_KEPT) return tombstones;
  entries.sort((a, b) => b[1].revision - a[1].revision);
  return Object.fromEntries(entries.slice(0, TOMBSTONES_KEPT));
}

/** For the scan engine: normalised barcode → SKU. A scan with no mapping is taken as the SKU itself. */
export function buildSkuLookup(mappings: Record<string, string>): Map<string, string> {
  const lookup = new Map<string, string>();
  for (const [barcode, sku] of Object.entries(mappings)) {
    const norm = normalizeCode(barcode);
    if (!lookup.has(norm)) lookup.set(norm, sku);
  }
  return lookup;
}

export function skuForScan(lookup: Map<string, string>, scan: string): string {
  return lookup.get(normalizeCode(scan)) ?? scan.trim();
}

/** Mappings sorted by barcode, for listing and export in a stable order. */
export function sortedMappings(mappings: Record<string, string>): Array<{ barcode: string; sku: string }> {
  return Object.entries(mappings)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([barcode, sku]) => ({ barcode, sku }));
}
