import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  formatLongDate,
  fromDayNumber,
  InvalidLocalDate,
  isLocalDate,
  isoWeekday,
  parseLocalDate,
  toDayNumber,
} from '../../src/policy/index.js';
import { d } from '../helpers/policy.js';

describe('local dates', () => {
  it('reads a date back in full, with its weekday', () => {
    assert.equal(formatLongDate(d('2025-04-03')), 'Thursday 3 April 2025');
    assert.equal(formatLongDate(d('2026-12-28')), 'Monday 28 December 2026');
  });

  it('rejects dates that do not exist', () => {
    for (const text of ['2025-02-31', '2025-13-01', '2025-00-10', '2023-02-29', '2025-4-3', '03/04/2025', '', 'tomorrow']) {
      assert.equal(isLocalDate(text), false, text);
      assert.throws(() => parseLocalDate(text), InvalidLocalDate);
    }
    assert.equal(isLocalDate('2024-02-29'), true);
  });

  it('counts months to the same date, or the last day of a shorter month', () => {
    assert.equal(addMonths(d('2025-04-03'), 12), '2026-04-03');
    assert.equal(addMonths(d('2024-02-29'), 12), '2025-02-28');
    assert.equal(addMonths(d('2025-08-31'), 6), '2026-02-28');
    assert.equal(addMonths(d('2025-01-31'), 1), '2025-02-28');
    assert.equal(addMonths(d('2023-11-30'), 3), '2024-02-29');
    assert.equal(addMonths(d('2025-03-31'), -1), '2025-02-28');
  });

  it('agrees with JavaScript’s UTC calendar on day numbers and weekdays', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 200_000 }), (dayNumber) => {
        const date = fromDayNumber(dayNumber);
        const utc = new Date(dayNumber * 86_400_000);
        return date === utc.toISOString().slice(0, 10) && toDayNumber(date) === dayNumber && isoWeekday(date) === (utc.getUTCDay() === 0 ? 7 : utc.getUTCDay());
      }),
    );
  });

  it('adds days across month and year ends', () => {
    assert.equal(addDays(d('2025-12-31'), 1), '2026-01-01');
    assert.equal(addDays(d('2024-03-01'), -1), '2024-02-29');
  });
});
