import { strict as assert } from 'node:assert';
import Holidays from 'date-holidays';
import snapshot from '../../src/policy/calendar/data/england-and-wales.json';
import { computedBankHolidays, easterSunday } from '../../src/policy/calendar/computed-bank-holidays.js';
import { isoWeekday, parseLocalDate } from '../../src/policy/index.js';

interface Event {
  readonly title: string;
  readonly date: string;
  readonly notes: string;
  readonly bunting: boolean;
}

const published = (year: number): Event[] => snapshot.division.events.filter((event) => event.date.startsWith(`${year}-`));

/**
 * What GOV.UK's list did differently from the fixed rules: holidays proclaimed for an occasion,
 * and usual holidays moved to another day. Nothing computed can know these.
 */
const ONE_OFFS: Record<number, { readonly computedOnly: readonly string[]; readonly publishedOnly: readonly string[] }> = {
  2020: { computedOnly: ['2020-05-04'], publishedOnly: ['2020-05-08'] }, // early May holiday moved to VE Day
  2022: { computedOnly: ['2022-05-30'], publishedOnly: ['2022-06-02', '2022-06-03', '2022-09-19'] }, // Platinum Jubilee; State Funeral
  2023: { computedOnly: [], publishedOnly: ['2023-05-08'] }, // coronation of King Charles III
};

describe('bank holidays computed from the fixed rules (England and Wales)', () => {
  it('puts Easter Sunday on the Western (Gregorian) date', () => {
    const easters: [number, string][] = [
      [2024, '2024-03-31'],
      [2025, '2025-04-20'],
      [2026, '2026-04-05'],
      [2027, '2027-03-28'],
      [2028, '2028-04-16'],
      [2029, '2029-04-01'],
      [2038, '2038-04-25'],
    ];
    for (const [year, date] of easters) assert.equal(easterSunday(year), date, String(year));
  });

  it('refuses a year the Gregorian calendar does not reach', () => {
    assert.throws(() => easterSunday(1582), RangeError);
    assert.throws(() => easterSunday(2029.5), RangeError);
  });

  it('gives GOV.UK’s published list exactly, titles and notes included, for every year with no one-off or moved holiday', () => {
    const years = [2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028].filter((year) => !(year in ONE_OFFS));
    assert.deepEqual(years, [2021, 2024, 2025, 2026, 2027, 2028]);
    for (const year of years) assert.deepEqual(computedBankHolidays(year), published(year), String(year));
  });

  it('differs from GOV.UK’s list only by the holidays proclaimed or moved in 2020, 2022 and 2023', () => {
    for (const [yearText, { computedOnly, publishedOnly }] of Object.entries(ONE_OFFS)) {
      const computed: string[] = computedBankHolidays(Number(yearText)).map((event) => event.date);
      const listed = published(Number(yearText)).map((event) => event.date);
      assert.deepEqual(
        computed.filter((date) => !listed.includes(date)),
        computedOnly,
        yearText,
      );
      assert.deepEqual(
        listed.filter((date) => !computed.includes(date)),
        publishedOnly,
        yearText,
      );
    }
  });

  it('lists the eight 2029 bank holidays with GOV.UK’s titles', () => {
    assert.deepEqual(
      computedBankHolidays(2029).map((event) => [event.date, event.title, event.notes]),
      [
        ['2029-01-01', 'New Year’s Day', ''],
        ['2029-03-30', 'Good Friday', ''],
        ['2029-04-02', 'Easter Monday', ''],
        ['2029-05-07', 'Early May bank holiday', ''],
        ['2029-05-28', 'Spring bank holiday', ''],
        ['2029-08-27', 'Summer bank holiday', ''],
        ['2029-12-25', 'Christmas Day', ''],
        ['2029-12-26', 'Boxing Day', ''],
      ],
    );
  });

  it('moves Christmas on a Sunday to Tuesday 27 December and keeps Boxing Day on Monday 26', () => {
    assert.equal(isoWeekday(parseLocalDate('2033-12-25')), 7);
    assert.deepEqual(computedBankHolidays(2033).slice(-2), [
      { title: 'Boxing Day', date: '2033-12-26', notes: '', bunting: true },
      { title: 'Christmas Day', date: '2033-12-27', notes: 'Substitute day', bunting: true },
    ]);
  });

  it('moves Christmas on a Saturday to Monday 27 and Boxing Day to Tuesday 28 December', () => {
    assert.equal(isoWeekday(parseLocalDate('2038-12-25')), 6);
    assert.deepEqual(
      computedBankHolidays(2038)
        .slice(-2)
        .map((event) => [event.title, event.date, event.notes]),
      [
        ['Christmas Day', '2038-12-27', 'Substitute day'],
        ['Boxing Day', '2038-12-28', 'Substitute day'],
      ],
    );
  });

  it('agrees with the date-holidays package on every weekday bank holiday, 2029 to 2040', () => {
    const reference = new Holidays('GB', 'ENG');
    for (let year = 2029; year <= 2040; year += 1) {
      const theirs = reference
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
        .map((holiday) => parseLocalDate(holiday.date.slice(0, 10)))
        .filter((date) => isoWeekday(date) <= 5);
      assert.deepEqual(
        [...new Set(theirs)].sort(),
        computedBankHolidays(year).map((event) => event.date),
        String(year),
      );
    }
  });
});
