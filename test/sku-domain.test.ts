// The pure mapping rules: normalisation, changes, revisions, tombstones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../src/domain/errors.js';
import {
  applyChanges,
  buildSkuLookup,
  cleanBarcode,
  emptyMappingFile,
  normalizeCode,
  skuForScan,
  SkuMappingFileSchema,
  TOMBSTONES_KEPT,
} from '../src/domain/sku-mapping.js';

const meta = { station: 'PC1', now: new Date('2026-11-29T10:00:00Z') };

describe('normalizeCode', () => {
  it('ignores case, spaces and punctuation, and folds full-width digits', () => {
    expect(normalizeCode('SKU-1A')).toBe('sku1a');
    expect(normalizeCode(' sku 1a ')).toBe('sku1a');
    expect(normalizeCode('SKU_1A')).toBe('sku1a');
    expect(normalizeCode('４００６')).toBe('4006');
    expect(normalizeCode('Пудра-1')).toBe('пудра1');
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normalizeCode(normalizeCode(s)) === normalizeCode(s)));
  });
});

describe('barcode checks', () => {
  it.each([
    ['', /cannot be empty/],
    ['   ', /cannot be empty/],
    ['---', /no letters or digits/],
    ['12\t34', /control characters/],
    ['x'.repeat(101), /too long/],
  ])('refuses %j', (raw, message) => {
    expect(() => cleanBarcode(raw)).toThrow(ValidationError);
    expect(() => cleanBarcode(raw)).toThrow(message);
  });

  it('trims', () => {
    expect(cleanBarcode('  4006381333931 ')).toBe('4006381333931');
  });
});

describe('applyChanges', () => {
  it('raises the revision once per batch, and not at all when nothing changed', () => {
    const start = emptyMappingFile('PC1', meta.now);
    const one = applyChanges(
      start,
      [
        { op: 'set', barcode: '111', sku: 'A' },
        { op: 'set', barcode: '222', sku: 'B' },
      ],
      meta,
    ).file;
    expect(one.revision).toBe(1);
    expect(one.mappings).toEqual({ '111': 'A', '222': 'B' });
    const same = applyChanges(one, [{ op: 'set', barcode: '111', sku: 'A' }], meta);
    expect(same.file).toBe(one);
    expect(same.results[0]!.changed).toBe(false);
  });

  it('treats another spelling of a barcode as the same barcode', () => {
    const one = applyChanges(
      emptyMappingFile('PC1', meta.now),
      [{ op: 'set', barcode: 'ABC-1', sku: 'A' }],
      meta,
    ).file;
    const two = applyChanges(one, [{ op: 'set', barcode: 'abc1', sku: 'B' }], meta);
    expect(two.file.mappings).toEqual({ abc1: 'B' });
    expect(two.results[0]!.previous).toBe('A');
    const three = applyChanges(two.file, [{ op: 'delete', barcode: 'A B C 1' }], meta);
    expect(three.file.mappings).toEqual({});
  });

  it('records a tombstone on delete and removes it when the barcode is mapped again', () => {
    const one = applyChanges(
      emptyMappingFile('PC1', meta.now),
      [{ op: 'set', barcode: '111', sku: 'A' }],
      meta,
    ).file;
    const deleted = applyChanges(one, [{ op: 'delete', barcode: '111' }], { ...meta, station: 'PC2' }).file;
    expect(deleted.tombstones['111']).toMatchObject({ barcode: '111', revision: 2, deleted_by: 'PC2' });
    const again = applyChanges(deleted, [{ op: 'set', barcode: '111', sku: 'B' }], meta).file;
    expect(again.tombstones).toEqual({});
  });

  it('keeps only the newest tombstones', () => {
    let file = emptyMappingFile('PC1', meta.now);
    const codes = Array.from({ length: TOMBSTONES_KEPT + 5 }, (_, i) => `B${i}`);
    file = applyChanges(
      file,
      codes.map((barcode) => ({ op: 'set' as const, barcode, sku: 'X' })),
      meta,
    ).file;
    for (const barcode of codes)
      file = applyChanges(file, [{ op: 'delete', barcode }], meta, { inPlace: true }).file;
    expect(Object.keys(file.tombstones)).toHaveLength(TOMBSTONES_KEPT);
    expect(file.tombstones['b0']).toBeUndefined();
    expect(file.tombstones[`b${TOMBSTONES_KEPT + 4}`]).toBeDefined();
  });

  it('refuses to delete a barcode that has no mapping, changing nothing', () => {
    const one = applyChanges(
      emptyMappingFile('PC1', meta.now),
      [{ op: 'set', barcode: '111', sku: 'A' }],
      meta,
    ).file;
    expect(() => applyChanges(one, [{ op: 'delete', barcode: '999' }], meta)).toThrow(NotFoundError);
    expect(one.mappings).toEqual({ '111': 'A' });
  });

  it('matches a model map under any sequence of sets and deletes', () => {
    const op = fc.oneof(
      fc.record({
        op: fc.constant('set' as const),
        barcode: fc.constantFrom('a-1', 'A1', 'b2', 'c3'),
        sku: fc.constantFrom('X', 'Y'),
      }),
      fc.record({ op: fc.constant('delete' as const), barcode: fc.constantFrom('a1', 'B-2', 'c3') }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let file = emptyMappingFile('PC1', meta.now);
        const model = new Map<string, string>();
        let changes = 0;
        for (const change of ops) {
          const key = normalizeCode(change.barcode);
          if (change.op === 'delete' && !model.has(key)) {
            expect(() => applyChanges(file, [change], meta)).toThrow(NotFoundError);
            continue;
          }
          const before = model.get(key);
          if (change.op === 'set') model.set(key, change.sku);
          else model.delete(key);
          const next = applyChanges(file, [change], meta).file;
          if (next !== file) changes++;
          // An unchanged set is the only change that does not raise the revision.
          if (next === file) expect(change.op === 'set' && before === change.sku).toBe(true);
          file = next;
        }
        const lookup = buildSkuLookup(file.mappings);
        expect(new Map([...lookup])).toEqual(model);
        expect(file.revision).toBe(changes);
      }),
    );
  });
});

describe('reading the seed format', () => {
  it("reads the seed's {mappings, last_updated, updated_by} with revision 0 and no tombstones", () => {
    const seed = SkuMappingFileSchema.parse({
      mappings: { '4006381333931': 'LIP-RED' },
      last_updated: '2025-11-03T14:30:45',
      updated_by: 'PC-01',
    });
    expect(seed).toMatchObject({ revision: 0, tombstones: {}, schema_version: 1 });
  });

  it('looks a scan up through the mapping, falling back to the scan itself', () => {
    const lookup = buildSkuLookup({ '4006-381': 'LIP-RED' });
    expect(skuForScan(lookup, '4006381')).toBe('LIP-RED');
    expect(skuForScan(lookup, ' SKU-9 ')).toBe('SKU-9');
  });
});
