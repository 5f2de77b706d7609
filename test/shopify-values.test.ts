// The values read from a Shopify export's cells: order times, amounts and quantities. The usual
// forms are read on a fast path; each case here is checked against the general rule it must agree
// with (Date.parse of the ISO form, Number of the plain amount), so the two can never drift apart.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  orderNumberSortKey,
  orderNumberValue,
  parseAmount,
  parseOrderTime,
  parseWholeNumber,
} from '../src/domain/shopify-orders.js';

describe('order times', () => {
  it('reads Shopify\'s "YYYY-MM-DD hh:mm:ss +hhmm" as the instant it names', () => {
    for (const [text, iso] of [
      ['2026-02-16 09:12:03 +0200', '2026-02-16T09:12:03+02:00'],
      ['2026-02-16 09:12:03 -0530', '2026-02-16T09:12:03-05:30'],
      ['2026-12-28 23:59:59 +1400', '2026-12-28T23:59:59+14:00'],
      ['2026-01-01 00:00:00 +0000', '2026-01-01T00:00:00Z'],
      // Late days, odd years and hours go the general way and still agree.
      ['2024-02-29 10:00:00 +0100', '2024-02-29T10:00:00+01:00'],
      ['2026-03-31 10:00:00 +0100', '2026-03-31T10:00:00+01:00'],
      ['0099-01-01 00:00:00 +0000', '0099-01-01T00:00:00Z'],
    ] as const)
      expect(parseOrderTime(text), text).toBe(Date.parse(iso));
  });

  it('reads any Shopify time as the instant Date.parse gives for its ISO form', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 1000, max: 9999 }),
          month: fc.integer({ min: 1, max: 12 }),
          day: fc.integer({ min: 1, max: 28 }),
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
          second: fc.integer({ min: 0, max: 59 }),
          sign: fc.constantFrom('+', '-'),
          zoneHours: fc.integer({ min: 0, max: 23 }),
          zoneMinutes: fc.integer({ min: 0, max: 59 }),
        }),
        (t) => {
          const date = `${t.year}-${two(t.month)}-${two(t.day)}`;
          const time = `${two(t.hour)}:${two(t.minute)}:${two(t.second)}`;
          const zone = `${t.sign}${two(t.zoneHours)}`;
          const text = `${date} ${time} ${zone}${two(t.zoneMinutes)}`;
          expect(parseOrderTime(text), text).toBe(Date.parse(`${date}T${time}${zone}:${two(t.zoneMinutes)}`));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('reads ISO times and plain dates, and gives null for what is no time', () => {
    expect(parseOrderTime('2026-02-16T09:12:03Z')).toBe(Date.parse('2026-02-16T09:12:03Z'));
    expect(parseOrderTime('2026-02-16')).toBe(Date.parse('2026-02-16T00:00:00Z'));
    expect(parseOrderTime('2026-13-16 09:12:03 +0200')).toBeNull();
    // A date that does not exist is unreadable (counted, and allocated after the dated orders), not
    // rolled over into the next month as Date.parse would.
    for (const text of ['2026-13-16', '2026-02-30', '2026-02-29 09:12:03 +0200', '2026-04-31T10:00:00Z'])
      expect(parseOrderTime(text), text).toBeNull();
    expect(parseOrderTime('2024-02-29 23:59:59 +0200')).toBe(Date.parse('2024-02-29T23:59:59+02:00'));
    expect(parseOrderTime('2000-02-29')).toBe(Date.parse('2000-02-29T00:00:00Z'));
    expect(parseOrderTime('16.02.2026 09:12')).toBeNull();
    expect(parseOrderTime('   ')).toBeNull();
  });
});

describe('amounts and quantities', () => {
  it('reads amounts with a point, a decimal comma or thousands separators', () => {
    expect(parseAmount('44.80')).toBe(44.8);
    expect(parseAmount(' 44.80 ')).toBe(44.8);
    expect(parseAmount('44,80')).toBe(44.8);
    expect(parseAmount('1,044.80')).toBe(1044.8);
    expect(parseAmount('1 044.80')).toBe(1044.8);
    expect(parseAmount('-5')).toBe(-5);
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('  ')).toBeNull();
    expect(parseAmount('n/a')).toBeNull();
  });

  it('reads whole quantities as people type them, and refuses the rest', () => {
    expect(parseWholeNumber('2')).toBe(2);
    expect(parseWholeNumber('007')).toBe(7);
    expect(parseWholeNumber(' 2 ')).toBe(2);
    expect(parseWholeNumber('2.0')).toBe(2);
    expect(parseWholeNumber('2,0')).toBe(2);
    expect(parseWholeNumber('-3')).toBe(-3);
    expect(parseWholeNumber('2.5')).toBeNull();
    expect(parseWholeNumber('')).toBeNull();
  });
});

describe('order numbers in order', () => {
  // The analysis sorts by orderNumberValue and lets orderNumberSortKey decide ties: the value must
  // never put two order numbers the other way round from the key.
  const orderNumber = fc.oneof(
    fc.stringMatching(/^#?[A-Z]{0,3}-?0{0,3}\d{1,20}(-\d{1,3})?$/),
    fc.string({ maxLength: 8 }),
    fc.constantFrom(
      '#1000',
      '#999',
      '#0999',
      '1000',
      '#000',
      'A',
      'B-12',
      '#999999999999999',
      '#1000000000000000',
      '#12345678901234567890',
    ),
  );

  it('orders by the first number as the sort key does, whatever its length', () => {
    fc.assert(
      fc.property(orderNumber, orderNumber, (x, y) => {
        const vx = orderNumberValue(x);
        const vy = orderNumberValue(y);
        if (vx === vy) return;
        const kx = orderNumberSortKey(x);
        const ky = orderNumberSortKey(y);
        expect(Math.sign(vx - vy), `${x} vs ${y}`).toBe(kx < ky ? -1 : 1);
      }),
      { numRuns: 5000 },
    );
  });

  it('puts #999 before #1000 and order numbers without digits last', () => {
    expect(orderNumberValue('#999')).toBeLessThan(orderNumberValue('#1000'));
    expect(orderNumberValue('#0999')).toBe(999);
    expect(orderNumberValue('ORD-7-2')).toBe(7);
    expect(orderNumberValue('#pickup')).toBe(Infinity);
    // Past 15 digits a double is no longer exact: such numbers come after every shorter one.
    expect(orderNumberValue('#999999999999999')).toBeLessThan(orderNumberValue('#1000000000000000'));
  });
});
