/**
 * England and Wales bank holidays worked out from the fixed rules, for years GOV.UK has not
 * published yet, so that no deadline lands on a bank holiday merely because the list ends.
 *
 * Only the rules can be computed. A one-off holiday proclaimed for an occasion (a jubilee, a
 * coronation, a state funeral) or a usual holiday moved to another day (the early May holiday to
 * VE Day in 2020, the spring holiday to 2 June in 2022) cannot be predicted, so a computed year is
 * a best guess: the snapshot flags it (`computedExtension`) and `npm run calendar:update` replaces
 * it with GOV.UK's list once the year is published.
 */
import { type LocalDate, addDays, daysInMonth, isoWeekday, localDate } from './local-date.js';
import type { BankHolidayEvent } from './snapshot.js';

/**
 * Easter Sunday in the Gregorian calendar (the anonymous Gregorian, or Meeus/Jones/Butcher,
 * algorithm), for years 1583 to 9999.
 * @example easterSunday(2029) // '2029-04-01'
 */
export function easterSunday(year: number): LocalDate {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`Easter can be computed for Gregorian years 1583 to 9999, not ${year}`);
  }
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const monthAndDay = h + l - 7 * m + 114;
  return localDate(year, Math.floor(monthAndDay / 31), (monthAndDay % 31) + 1);
}

/** The first Monday on or after a date. */
function mondayOnOrAfter(date: LocalDate): LocalDate {
  return addDays(date, (8 - isoWeekday(date)) % 7);
}

/** The last Monday of a month. */
function lastMonday(year: number, month: number): LocalDate {
  const last = localDate(year, month, daysInMonth(year, month));
  return addDays(last, -((isoWeekday(last) + 6) % 7));
}

function holiday(title: string, date: LocalDate, bunting = true): BankHolidayEvent {
  return { title, date, notes: '', bunting };
}

/**
 * A holiday that falls at a weekend moves to the next weekday that is not already a bank holiday,
 * with GOV.UK's note "Substitute day". Taken in date order, this gives GOV.UK's substitutes: for
 * Christmas on a Saturday, Monday 27 (Christmas) and Tuesday 28 (Boxing Day); on a Sunday, Boxing
 * Day stays on Monday 26 and Christmas moves to Tuesday 27.
 */
function substituteWeekends(events: readonly BankHolidayEvent[]): BankHolidayEvent[] {
  const taken = new Set(events.filter((event) => isoWeekday(event.date) <= 5).map((event) => event.date));
  return events
    .map((event) => {
      if (isoWeekday(event.date) <= 5) return event;
      let date = addDays(event.date, 1);
      while (isoWeekday(date) > 5 || taken.has(date)) date = addDays(date, 1);
      taken.add(date);
      return { ...event, date, notes: 'Substitute day' };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * A year's England and Wales bank holidays by today's fixed rules, shaped and titled as GOV.UK
 * lists them (weekend holidays replaced by their substitute days), in date order. It cannot know
 * one-off or moved holidays (see the file's comment).
 * @example computedBankHolidays(2029).map((event) => event.date) // ['2029-01-01', '2029-03-30', '2029-04-02', '2029-05-07', '2029-05-28', '2029-08-27',
 * '2029-12-25', '2029-12-26']
 */
export function computedBankHolidays(year: number): BankHolidayEvent[] {
  const easter = easterSunday(year);
  return substituteWeekends([
    holiday('New Year’s Day', localDate(year, 1, 1)),
    holiday('Good Friday', addDays(easter, -2), false),
    holiday('Easter Monday', addDays(easter, 1)),
    holiday('Early May bank holiday', mondayOnOrAfter(localDate(year, 5, 1))),
    holiday('Spring bank holiday', lastMonday(year, 5)),
    holiday('Summer bank holiday', lastMonday(year, 8)),
    holiday('Christmas Day', localDate(year, 12, 25)),
    holiday('Boxing Day', localDate(year, 12, 26)),
  ]);
}
