import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  addWorkingDays,
  createWorkingDayCalendar,
  englandAndWalesCalendar as cal,
  fromDayNumber,
  isCovered,
  isPublished,
  isWorkingDay,
  nonWorkingReason,
  toDayNumber,
  usesComputedHolidays,
  workingDayOnOrAfter,
  workingDaysBetween,
} from '../../src/policy/index.js';
import { d } from '../helpers/policy.js';

const FIRST = toDayNumber(d('2020-01-01'));
const LAST = toDayNumber(d('2029-12-31'));
const coveredDate = fc.integer({ min: FIRST, max: LAST - 200 }).map(fromDayNumber);

describe('working days (England and Wales)', () => {
  describe('facts', () => {
    it('goes from Friday to Monday when adding one working day', () => {
      assert.equal(addWorkingDays(cal, d('2025-06-06'), 1), '2025-06-09');
    });

    it('counts from the following Monday when starting on a weekend', () => {
      assert.equal(addWorkingDays(cal, d('2025-06-07'), 1), '2025-06-09');
      assert.equal(addWorkingDays(cal, d('2025-06-08'), 5), '2025-06-13');
    });

    it('skips a bank holiday that falls on the deadline', () => {
      // 10 working days from Thursday 14 August 2025 would be Thursday 28 August without the
      // Summer bank holiday on Monday 25 August; with it, Friday 29 August.
      assert.equal(addWorkingDays(cal, d('2025-08-14'), 7), '2025-08-26');
      assert.equal(addWorkingDays(cal, d('2025-08-14'), 10), '2025-08-29');
    });

    it('returns the same date for zero working days', () => {
      assert.equal(addWorkingDays(cal, d('2025-12-25'), 0), '2025-12-25');
    });

    it('counts backwards for a negative amount', () => {
      assert.equal(addWorkingDays(cal, d('2025-12-29'), -1), '2025-12-24');
      assert.equal(addWorkingDays(cal, d('2025-06-09'), -1), '2025-06-06');
    });

    it('refuses a fractional amount', () => {
      assert.throws(() => addWorkingDays(cal, d('2025-06-09'), 1.5), RangeError);
    });

    it('skips Christmas Day, Boxing Day and New Year’s Day', () => {
      assert.equal(addWorkingDays(cal, d('2025-12-23'), 1), '2025-12-24');
      assert.equal(addWorkingDays(cal, d('2025-12-23'), 2), '2025-12-29');
      assert.equal(addWorkingDays(cal, d('2025-12-23'), 5), '2026-01-02');
    });

    it('knows the 2026 Boxing Day substitute is Monday 28 December', () => {
      assert.equal(isWorkingDay(cal, d('2026-12-25')), false);
      assert.equal(isWorkingDay(cal, d('2026-12-28')), false);
      assert.deepEqual(nonWorkingReason(cal, d('2026-12-28')), { kind: 'bank-holiday', title: 'Boxing Day (substitute day)' });
      assert.equal(addWorkingDays(cal, d('2026-12-24'), 1), '2026-12-29');
    });

    it('knows 2027 moves both Christmas holidays to Monday 27 and Tuesday 28 December', () => {
      assert.equal(isWorkingDay(cal, d('2027-12-24')), true);
      assert.equal(isWorkingDay(cal, d('2027-12-27')), false);
      assert.equal(isWorkingDay(cal, d('2027-12-28')), false);
      assert.equal(addWorkingDays(cal, d('2027-12-24'), 1), '2027-12-29');
      // And New Year's Day 2028 falls on a Saturday, so Monday 3 January is its substitute.
      assert.equal(addWorkingDays(cal, d('2027-12-31'), 1), '2028-01-04');
    });

    it('skips Good Friday and Easter Monday', () => {
      assert.equal(addWorkingDays(cal, d('2026-04-02'), 1), '2026-04-07');
      assert.equal(addWorkingDays(cal, d('2027-03-25'), 1), '2027-03-30');
      assert.equal(workingDaysBetween(cal, d('2025-04-17'), d('2025-04-22')), 1);
    });

    it('knows the one-off 2022 and 2023 bank holidays', () => {
      for (const date of ['2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08']) {
        assert.equal(isWorkingDay(cal, d(date)), false, date);
      }
    });

    it('treats every weekday after the data ends as a working day', () => {
      assert.equal(cal.coversThrough, '2029-12-31');
      // Christmas Day 2030 is in neither the published nor the computed years, so it counts; the
      // deadline code flags this.
      assert.equal(isWorkingDay(cal, d('2030-12-25')), true);
      assert.equal(isCovered(cal, d('2029-12-31')), true);
      assert.equal(isCovered(cal, d('2030-01-01')), false);
    });

    it('skips Good Friday and Easter Monday 2029, computed before GOV.UK publishes them', () => {
      assert.equal(addWorkingDays(cal, d('2029-03-29'), 1), '2029-04-03');
      assert.equal(workingDaysBetween(cal, d('2029-03-28'), d('2029-04-04')), 3);
      assert.deepEqual(nonWorkingReason(cal, d('2029-03-30')), { kind: 'bank-holiday', title: 'Good Friday (computed)' });
      assert.deepEqual(nonWorkingReason(cal, d('2029-04-02')), { kind: 'bank-holiday', title: 'Easter Monday (computed)' });
    });

    it('skips the 2029 Christmas holidays and the bank holidays between', () => {
      for (const date of ['2029-01-01', '2029-05-07', '2029-05-28', '2029-08-27', '2029-12-25', '2029-12-26']) {
        assert.equal(isWorkingDay(cal, d(date)), false, date);
      }
      assert.equal(addWorkingDays(cal, d('2029-12-24'), 1), '2029-12-27');
    });

    it('tells published dates from computed ones', () => {
      assert.equal(cal.publishedThrough, '2028-12-31');
      assert.equal(isPublished(cal, d('2028-12-31')), true);
      assert.equal(isPublished(cal, d('2029-01-01')), false);
      assert.equal(isPublished(cal, d('2019-12-31')), false);
      assert.deepEqual(nonWorkingReason(cal, d('2028-12-26')), { kind: 'bank-holiday', title: 'Boxing Day' });
    });

    it('says whether a range of dates reaches into the computed year', () => {
      assert.equal(usesComputedHolidays(cal, d('2029-03-01'), d('2029-04-12')), true);
      assert.equal(usesComputedHolidays(cal, d('2028-12-20'), d('2029-01-10')), true);
      assert.equal(usesComputedHolidays(cal, d('2029-01-10'), d('2028-12-20')), true);
      assert.equal(usesComputedHolidays(cal, d('2028-03-01'), d('2028-12-31')), false);
      assert.equal(usesComputedHolidays(cal, d('2030-01-01'), d('2030-02-01')), false);
    });

    it('gives the next working day on or after a date', () => {
      assert.equal(workingDayOnOrAfter(cal, d('2026-12-25')), '2026-12-29');
      assert.equal(workingDayOnOrAfter(cal, d('2026-12-29')), '2026-12-29');
    });
  });

  describe('properties', () => {
    it('always lands on a working day when adding one or more working days', () => {
      fc.assert(
        fc.property(coveredDate, fc.integer({ min: 1, max: 80 }), (start, amount) => {
          return isWorkingDay(cal, addWorkingDays(cal, start, amount));
        }),
      );
    });

    it('counts back exactly the number of working days added from a working day', () => {
      fc.assert(
        fc.property(coveredDate, fc.integer({ min: -80, max: 80 }), (date, amount) => {
          const start = workingDayOnOrAfter(cal, date);
          return workingDaysBetween(cal, start, addWorkingDays(cal, start, amount)) === amount;
        }),
      );
    });

    it('never changes the calendar it is given', () => {
      const snapshotBefore = JSON.stringify([...cal.holidays]);
      fc.assert(
        fc.property(coveredDate, fc.integer({ min: -40, max: 40 }), (start, amount) => {
          addWorkingDays(cal, start, amount);
          workingDaysBetween(cal, start, addWorkingDays(cal, start, amount));
          return true;
        }),
      );
      assert.equal(JSON.stringify([...cal.holidays]), snapshotBefore);
      assert.ok(Object.isFrozen(cal));
    });
  });

  describe('snapshot checks', () => {
    const oneYear = {
      calendar: 'x',
      version: '1',
      source: 's',
      retrieved: '2026-01-01',
      timeZone: 'Europe/London',
      notes: '',
      coversFrom: '2026-01-01',
      coversThrough: '2026-12-31',
      division: { division: 'x', events: [{ title: 'Christmas Day', date: '2026-12-25', notes: '', bunting: true }] },
    };

    it('computes nothing, and keeps the snapshot’s version, without a computed extension', () => {
      const plain = createWorkingDayCalendar(oneYear);
      assert.equal(plain.version, '1');
      assert.equal(plain.coversThrough, '2026-12-31');
      assert.equal(plain.publishedThrough, '2026-12-31');
      assert.equal(isWorkingDay(plain, d('2027-12-27')), true);
      assert.equal(usesComputedHolidays(plain, d('2026-12-20'), d('2027-01-10')), false);
    });

    it('computes each year after the published list through the extension’s last year, and names them in the version', () => {
      const extended = createWorkingDayCalendar({ ...oneYear, computedExtension: { throughYear: 2028, rule: 'r' } });
      assert.equal(extended.version, '1+computed-2028');
      assert.equal(extended.publishedThrough, '2026-12-31');
      assert.equal(extended.coversThrough, '2028-12-31');
      assert.equal(extended.holidays.get(d('2027-12-27')), 'Christmas Day (substitute day, computed)');
      assert.equal(extended.holidays.get(d('2028-01-03')), 'New Year’s Day (substitute day, computed)');
      assert.equal(extended.holidays.get(d('2026-12-25')), 'Christmas Day');
      assert.equal(extended.holidays.size, 17);
    });

    it('never computes over a year GOV.UK has published', () => {
      const already = createWorkingDayCalendar({ ...oneYear, computedExtension: { throughYear: 2026, rule: 'r' } });
      assert.equal(already.version, '1');
      assert.equal(already.coversThrough, '2026-12-31');
      assert.deepEqual([...already.holidays], [['2026-12-25', 'Christmas Day']]);
    });

    it('rejects a computed extension after a list that stops mid-year', () => {
      assert.throws(
        () => createWorkingDayCalendar({ ...oneYear, coversThrough: '2026-12-30', computedExtension: { throughYear: 2027, rule: 'r' } }),
        /coversThrough: must be 31 December when computedExtension is given/,
      );
    });

    it('rejects a snapshot whose event lies outside its stated coverage, naming the field', () => {
      assert.throws(
        () =>
          createWorkingDayCalendar({
            calendar: 'x',
            version: '1',
            source: 's',
            retrieved: '2026-01-01',
            timeZone: 'Europe/London',
            notes: '',
            coversFrom: '2026-01-01',
            coversThrough: '2026-12-31',
            division: { division: 'x', events: [{ title: 'Late', date: '2027-01-01', notes: '', bunting: false }] },
          }),
        /division\.events\[0\]\.date: 2027-01-01 is outside the coverage/,
      );
    });

    it('rejects an impossible date in the snapshot', () => {
      assert.throws(
        () =>
          createWorkingDayCalendar({
            calendar: 'x',
            version: '1',
            source: 's',
            retrieved: '2026-01-01',
            timeZone: 'Europe/London',
            notes: '',
            coversFrom: '2026-01-01',
            coversThrough: '2026-12-31',
            division: { division: 'x', events: [{ title: 'Bad', date: '2026-02-30', notes: '', bunting: false }] },
          }),
        /InvalidCalendarSnapshot|division\.events\[0\]\.date/,
      );
    });
  });
});
