// Which orders a rule, list filter or stock export picks: each operator on a text field, a list
// field (tags, the lines' SKUs) and a number field, for orders that have the value and orders that
// have none. Numbers are compared as numbers, text literally and case-insensitively, and a remembered
// answer never differs from a fresh one.
import { describe, expect, it } from 'vitest';
import {
  compileCondition,
  compileMatcher,
  type Condition,
  type OrderFacts,
} from '../src/domain/order-conditions.js';

function order(over: Partial<OrderFacts> = {}): OrderFacts {
  return {
    order_number: '#1001',
    courier: 'DHL',
    shipping_method: 'DHL Express',
    country: 'BG',
    tags: [],
    notes: '',
    email: '',
    created_at: '2026-02-16 09:12:03 +0200',
    total: null,
    subtotal: null,
    order_type: 'single',
    item_count: 1,
    line_count: 1,
    skus: ['SKU-1'],
    product_names: ['Mug'],
    extra: {},
    ...over,
  };
}

const picks = (c: Condition, o: OrderFacts) => compileCondition(c).test(o);

describe('conditions', () => {
  it('compares totals and counts as numbers, and an order without a total matches no comparison', () => {
    const over = { field: 'total', operator: 'greater_than', value: 150 } as const;
    expect(picks(over, order({ total: 150.01 }))).toBe(true);
    expect(picks(over, order({ total: 150 }))).toBe(false);
    expect(picks(over, order({ total: null }))).toBe(false);
    expect(picks({ field: 'total', operator: 'less_than', value: '20' }, order({ total: -5 }))).toBe(true);
    expect(picks({ field: 'subtotal', operator: 'between', value: [10, 20] }, order({ subtotal: 20 }))).toBe(
      true,
    );
    expect(
      picks({ field: 'subtotal', operator: 'between', value: [10, 20] }, order({ subtotal: 9.99 })),
    ).toBe(false);
    expect(picks({ field: 'item_count', operator: 'greater_than', value: 1 }, order({ item_count: 2 }))).toBe(
      true,
    );
    expect(picks({ field: 'line_count', operator: 'equals', value: '3' }, order({ line_count: 3 }))).toBe(
      true,
    );
    expect(picks({ field: 'total', operator: 'equals', value: '44.8' }, order({ total: 44.8 }))).toBe(true);
    expect(picks({ field: 'total', operator: 'is_empty' }, order({ total: null }))).toBe(true);
    expect(picks({ field: 'total', operator: 'is_not_empty' }, order({ total: 0 }))).toBe(true);
  });

  it('matches text literally and case-insensitively; "not" operators hold when no value has it', () => {
    expect(picks({ field: 'shipping_method', operator: 'contains', value: 'express' }, order())).toBe(true);
    expect(picks({ field: 'shipping_method', operator: 'equals', value: 'dhl' }, order())).toBe(false);
    expect(picks({ field: 'notes', operator: 'is_empty' }, order())).toBe(true);
    expect(picks({ field: 'notes', operator: 'not_contains', value: 'hold' }, order())).toBe(true);
    expect(
      picks({ field: 'notes', operator: 'contains', value: 'hold' }, order({ notes: 'HOLD for me' })),
    ).toBe(true);
    expect(picks({ field: 'country', operator: 'in', value: ['de', 'bg'] }, order())).toBe(true);
    expect(picks({ field: 'country', operator: 'not_in', value: 'DE, RO' }, order())).toBe(true);
    expect(picks({ field: 'order_type', operator: 'equals', value: 'single' }, order())).toBe(true);
    expect(picks({ field: 'extra.Gift', operator: 'is_not_empty' }, order({ extra: { Gift: 'yes' } }))).toBe(
      true,
    );
    expect(picks({ field: 'extra.Gift', operator: 'is_empty' }, order())).toBe(true);
    expect(
      picks(
        { field: 'email', operator: 'matches', value: '@example\\.com$' },
        order({ email: 'a@EXAMPLE.com' }),
      ),
    ).toBe(true);
  });

  it('asks every tag and line: any one for a match, none for a "not"', () => {
    const vip = { field: 'tags', operator: 'contains', value: 'vip' } as const;
    expect(picks(vip, order({ tags: ['wholesale', 'VIP'] }))).toBe(true);
    expect(picks(vip, order({ tags: [] }))).toBe(false);
    expect(picks({ field: 'tags', operator: 'not_equals', value: 'vip' }, order({ tags: ['VIP'] }))).toBe(
      false,
    );
    expect(picks({ field: 'has_sku', operator: 'equals', value: 'sku-1' }, order())).toBe(true);
    expect(picks({ field: 'product_name', operator: 'not_contains', value: 'mug' }, order())).toBe(false);
    expect(picks({ field: 'tags', operator: 'is_empty' }, order({ tags: [] }))).toBe(true);
  });

  it('gives the same answer for a value met again, order after order', () => {
    const matcher = compileMatcher([{ field: 'tags', operator: 'contains', value: 'vip' }]);
    const tags = ['VIP', 'Priority'];
    const answers = [tags, ['wholesale'], tags, [], ['wholesale'], tags].map((t) =>
      matcher.test(order({ tags: t })),
    );
    expect(answers).toEqual([true, false, true, false, false, true]);
    const any = compileMatcher(
      [
        { field: 'total', operator: 'greater_than', value: 100 },
        { field: 'notes', operator: 'contains', value: 'hold' },
      ],
      'any',
    );
    expect([order({ total: 101 }), order({ notes: 'hold' }), order()].map((o) => any.test(o))).toEqual([
      true,
      true,
      false,
    ]);
  });
});
