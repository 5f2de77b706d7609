// Courier deadline countdown and the pace needed to make it, as the session browser shows them.
import { describe, expect, it } from 'vitest';
import { courierFor, deadlineView, formatCountdown } from '../src/web/deadline.js';

const deadlines = { PostOne: '15:00', DHL: '17:00', 'DHL Express': '12:30' };

describe('courier deadlines', () => {
  it('matches a list to its courier by name, preferring the longest match', () => {
    expect(courierFor('DHL', deadlines)).toBe('DHL');
    expect(courierFor('dhl_express_morning', deadlines)).toBe('DHL Express');
    expect(courierFor('Post-One', deadlines)).toBe('PostOne');
    expect(courierFor('UPS', deadlines)).toBeNull();
  });

  it("counts down to today's deadline and says how many orders per hour are needed", () => {
    const now = new Date(2026, 2, 2, 14, 0, 0);
    expect(deadlineView('DHL', deadlines, 90, now)).toEqual({
      courier: 'DHL',
      remainingMs: 3 * 3_600_000,
      paceNeeded: 30,
    });
    const late = deadlineView('PostOne', deadlines, 5, new Date(2026, 2, 2, 15, 20, 0))!;
    expect(late.remainingMs).toBe(-20 * 60_000);
    expect(late.paceNeeded).toBeNull();
    expect(formatCountdown(late.remainingMs)).toBe('0 h 20 min late');
    expect(formatCountdown(95 * 60_000)).toBe('1 h 35 min');
    expect(deadlineView('DHL', deadlines, 0, now)!.paceNeeded).toBeNull();
  });
});
