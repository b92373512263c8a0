/**
 * Calendar dates with no time and no zone ("2025-04-03"), as a person in England means a date.
 *
 * Arithmetic is done on day numbers with integer civil-calendar maths rather than `Date`, so the
 * host's time zone can never shift a day and years below 100 are not reinterpreted.
 */

import { InvalidLocalDate } from '../errors.js';

declare const localDateBrand: unique symbol;

/** An ISO calendar date, `YYYY-MM-DD`, checked to exist (no 31 February). */
export type LocalDate = string & { readonly [localDateBrand]: true };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The parts of a date. @example dateParts('2025-04-03') // { year: 2025, month: 4, day: 3 } */
export function dateParts(date: LocalDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** Builds a date from its parts, or throws `InvalidLocalDate` if that day does not exist. */
export function localDate(year: number, month: number, day: number): LocalDate {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (
    !Number.isInteger(year) ||
    year < 1 ||
    year > 9999 ||
    !Number.isInteger(month) ||
    month < 1 ||
    month > 12 ||
    !Number.isInteger(day) ||
    day < 1 ||
    day > daysInMonth(year, month)
  ) {
    throw new InvalidLocalDate(text);
  }
  return text as LocalDate;
}

/** Whether text is a real date in `YYYY-MM-DD` form. */
export function isLocalDate(text: string): text is LocalDate {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Checks and brands a `YYYY-MM-DD` string. @example parseLocalDate('2025-02-31') // throws */
export function parseLocalDate(text: string): LocalDate {
  if (!isLocalDate(text)) throw new InvalidLocalDate(text);
  return text;
}

/**
 * Days since 1970-01-01 (negative before it). Howard Hinnant's days_from_civil: exact integer
 * maths, the same on every host.
 */
export function toDayNumber(date: LocalDate): number {
  const { year, month, day } = dateParts(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The date of a day number (inverse of `toDayNumber`). */
export function fromDayNumber(dayNumber: number): LocalDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return localDate(year, month, day);
}

/** The date `days` calendar days later (earlier when negative). @example addDays('2025-12-31', 1) // '2026-01-01' */
export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** ISO day of the week of a day number: 1 Monday ... 7 Sunday. */
export function isoWeekdayOfDayNumber(dayNumber: number): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

/** ISO day of the week: 1 Monday ... 7 Sunday. @example isoWeekday('2025-04-03') // 4 (Thursday) */
export function isoWeekday(date: LocalDate): number {
  return isoWeekdayOfDayNumber(toDayNumber(date));
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The same day `months` later; where that month is shorter, its last day. This is how the
 * rulebook counts "12 months" and "one month" limits (PROCEDURES.md, section 4).
 * @example addMonths('2024-02-29', 12) // '2025-02-28'
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = dateParts(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return localDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
/** Month names in English, January first. */
export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** A month's English name (1 is January). */
export function monthName(month: number): string {
  return MONTH_NAMES[month - 1] ?? '';
}

/** The weekday's English name. */
export function weekdayName(date: LocalDate): string {
  return WEEKDAYS[isoWeekday(date) - 1] ?? '';
}

/**
 * A date as people in the UK read it aloud, with the weekday so a wrong date is easy to spot.
 * @example formatLongDate('2025-04-03') // 'Thursday 3 April 2025'
 */
export function formatLongDate(date: LocalDate): string {
  const { year, month, day } = dateParts(date);
  return `${weekdayName(date)} ${day} ${monthName(month)} ${year}`;
}
