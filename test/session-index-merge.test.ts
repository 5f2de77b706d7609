// The index is safe with concurrent writers because folding its facts ignores order and repeats:
// any interleaving, duplication or split into snapshots gives the same index.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaseStatus, StalenessWatch } from '../src/domain/lease.js';
import {
  applyIndexEvent,
  decodeIndex,
  emptyIndex,
  encodeIndex,
  mergeIndex,
  mightBeActive,
  type IndexEvent,
} from '../src/domain/session.js';

const event: fc.Arbitrary<IndexEvent> = fc.oneof(
  fc.record({
    type: fc.constant('session' as const),
    entry: fc.record({
      session: fc.constantFrom('s1', 's2', 's3'),
      created_at: fc.constant('2026-01-01T00:00:00.000Z'),
      lists: fc.constant(null).map(() => [{ name: 'l', orders_total: 1, items_total: 2 }]),
    }),
  }),
  fc.record({
    type: fc.constant('intent' as const),
    session: fc.constantFrom('s1', 's2'),
    list: fc.constant('l'),
    epoch: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    type: fc.constant('finished' as const),
    session: fc.constantFrom('s1', 's2'),
    list: fc.constant('l'),
    epoch: fc.integer({ min: 1, max: 6 }),
    kind: fc.constantFrom('released' as const, 'completed' as const, 'force_released' as const),
  }),
  // A prepared session's entry per revision (one edit at a time makes each revision once).
  fc
    .record({ session: fc.constantFrom('p1', 'p2'), revision: fc.integer({ min: 0, max: 4 }) })
    .map(({ session, revision }) => ({
      type: 'session' as const,
      entry: {
        session,
        created_at: '2026-01-01T00:00:00.000Z',
        prepared: true,
        revision,
        summary: { orders_total: 10, fulfillable: revision, not_fulfillable: 10 - revision, held: 0 },
        lists: revision === 0 ? [] : [{ name: 'DHL', orders_total: revision, items_total: revision }],
      },
    })),
  // An archive record: its random mark is unique, so one (seq, mark) always says one thing.
  fc
    .record({
      session: fc.constantFrom('s1', 'p1'),
      seq: fc.integer({ min: 1, max: 4 }),
      mark: fc.constantFrom('a1', 'b2'),
    })
    .map((r) => ({
      type: 'archive' as const,
      ...r,
      archived: (r.seq + r.mark.length + (r.mark === 'a1' ? 1 : 0)) % 2 === 0,
    })),
);

function fold(events: IndexEvent[]) {
  const index = emptyIndex('M');
  for (const e of events) applyIndexEvent(index, e);
  return index;
}

describe('index folding', () => {
  it('gives the same index for any order, repetition or split into snapshots', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer(),
        (events, cut, seed) => {
          const expected = fold(events);
          const shuffled = [...events, ...events.slice(0, cut)].sort(
            (a, b) =>
              ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 17 + seed) % 5),
          );
          const viaSnapshots = fold(shuffled.slice(0, cut));
          mergeIndex(
            viaSnapshots,
            decodeIndex(JSON.parse(JSON.stringify(encodeIndex(fold(shuffled.slice(cut))))), 'M')!,
          );
          expect(fold(shuffled)).toEqual(expected);
          expect(viaSnapshots).toEqual(expected);
        },
      ),
    );
  });

  it('marks a list as possibly held exactly while an epoch was announced and not yet finished', () => {
    const index = fold([
      { type: 'intent', session: 's', list: 'l', epoch: 1 },
      { type: 'finished', session: 's', list: 'l', epoch: 1, kind: 'released' },
    ]);
    expect(mightBeActive(index.leases['s/l'])).toBe(false);
    applyIndexEvent(index, { type: 'intent', session: 's', list: 'l', epoch: 2 });
    expect(mightBeActive(index.leases['s/l'])).toBe(true);
  });

  it('rejects a damaged snapshot instead of reading it as empty', () => {
    expect(
      decodeIndex(
        { schema_version: 1, client: 'M', sessions: [['s', 'x', [['l', -1, 0]]]], leases: [] },
        'M',
      ),
    ).toBeNull();
    expect(decodeIndex({ schema_version: 1, client: 'M', sessions: {} }, 'M')).toBeNull();
    expect(decodeIndex(null, 'M')).toBeNull();
  });
});

describe('lease rules', () => {
  it('never calls a lease folder without a readable record free', () => {
    expect(leaseStatus({ epoch: 3, record: null, release: null, beatSeq: 0 })).toEqual({
      state: 'held',
      epoch: 3,
      record: null,
    });
    expect(leaseStatus({ epoch: 0, record: null, release: null, beatSeq: 0 }).state).toBe('free');
  });

  it('calls a lease stale only after a full TTL without any change, on the observer clock', () => {
    const watch = new StalenessWatch(1_000);
    expect(watch.observe(1, 5, 0)).toBe(false);
    expect(watch.observe(1, 5, 999)).toBe(false);
    expect(watch.observe(1, 6, 1_500)).toBe(false);
    expect(watch.observe(1, 6, 2_499)).toBe(false);
    expect(watch.observe(1, 6, 2_500)).toBe(true);
    expect(watch.observe(2, 0, 2_600)).toBe(false);
  });
});
