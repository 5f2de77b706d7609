// The list overview's rules on a real scan state: states as a shift lead names them, counts over the
// whole list with one page shown, search by order / SKU / product name, and who packed the units that
// still count (an undone unit, or every unit before a reopening, does not).
import { describe, expect, it } from 'vitest';
import { listOverview, orderHistory, OverviewQuerySchema } from '../src/domain/list-overview.js';
import { makeList, TestStation } from './helpers/packing-lists.js';

const LIST = makeList({
  '#1': [['MUG-RED', 2, 'Mug, red']],
  '#2': [['TEA-GREEN', 1, 'Green tea']],
  '#3': [['MUG-BLUE', 1, 'Mug, blue']],
  '#4': [['MUG-RED', 1, 'Mug, red']],
  '#5': [['LAMP', 1, 'Desk lamp']],
});
const IDS = { client: 'C', session: 'S', list: 'DHL' };
const query = (q: Partial<Record<string, string>> = {}) => OverviewQuerySchema.parse(q);

function packed(): TestStation {
  const s = new TestStation(LIST, { allowForceComplete: true });
  for (const line of [
    '1',
    'MUG-RED',
    'MUG-RED',
    '2',
    '!CONFIRM TEA-GREEN 1 UNREADABLE',
    '3',
    '!FORCE',
    '4',
    '!SKIP',
  ])
    s.send(line);
  s.options.worker = 'bob';
  s.send('5');
  return s;
}

describe('list overview', () => {
  it('names every state and counts them over the whole list, one page at a time', () => {
    const s = packed();
    const all = listOverview(s.state, IDS, query(), 'journal');
    expect(all.orders.map((o) => [o.number, o.state])).toEqual([
      ['#1', 'done'],
      ['#2', 'done_manual'],
      ['#3', 'forced'],
      ['#4', 'skipped'],
      ['#5', 'open'],
    ]);
    expect(all.counts).toEqual({
      to_do: 0,
      open: 1,
      paused: 0,
      skipped: 1,
      done: 1,
      done_manual: 1,
      forced: 1,
    });
    const page = listOverview(s.state, IDS, query({ offset: '1', limit: '2' }), 'journal');
    expect(page.orders.map((o) => o.number)).toEqual(['#2', '#3']);
    expect(page.matched).toBe(5);
    const left = listOverview(s.state, IDS, query({ state: 'left' }), 'journal');
    expect(left.orders.map((o) => o.number)).toEqual(['#4', '#5']);
    expect(all.orders[0]).toMatchObject({ completed_by: 'ana', workers: ['ana'] });
  });

  it('finds orders by number, SKU (any spelling) and product name', () => {
    const s = packed();
    const numbers = (q: string) =>
      listOverview(s.state, IDS, query({ q }), 'journal').orders.map((o) => o.number);
    expect(numbers('#4')).toEqual(['#4']);
    expect(numbers('mug red')).toEqual(['#1', '#4']);
    expect(numbers('mug-')).toEqual(['#1', '#3', '#4']);
    expect(numbers('lamp')).toEqual(['#5']);
    expect(numbers('nothing like it')).toEqual([]);
  });

  it("keeps only the units that still count in an order's packers, and its whole history", () => {
    const s = new TestStation(LIST);
    for (const line of ['1', 'MUG-RED', 'MUG-RED', '!REOPEN 1']) s.send(line);
    s.options.worker = 'bob';
    for (const line of ['MUG-RED', '!UNDO', 'MUG-RED', 'MUG-RED']) s.send(line);
    const order = s.index.byKey.get('1')!;
    const records = s.journal.map((e, i) => {
      const { id, at, station, worker, ...event } = e;
      return { seq: i + 1, id, at, station, worker, event };
    });
    const h = orderHistory(s.state, order, records, IDS, []);
    expect(h.packed_by).toEqual([
      {
        sku: 'MUG-RED',
        packs: [
          expect.objectContaining({ worker: 'bob', count: 1, manual: false }),
          expect.objectContaining({ worker: 'bob', count: 1, manual: false }),
        ],
      },
    ]);
    expect(h.history.map((e) => `${e.worker}: ${e.what}`)).toEqual([
      'ana: opened',
      'ana: scanned MUG-RED',
      'ana: scanned MUG-RED',
      'ana: reopened (scanned again from zero)',
      'bob: scanned MUG-RED',
      'bob: undid 1 × MUG-RED',
      'bob: scanned MUG-RED',
      'bob: scanned MUG-RED',
    ]);
    expect(h.order.state).toBe('done');
  });
});
