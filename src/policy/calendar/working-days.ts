/**
 * Working days: Monday to Friday, excluding the calendar's bank holidays (SI 2006/1738 reg 2;
 * PROCEDURES.md section 4). Every function here is pure and leaves its arguments untouched.
 */
import { formatIssues, InvalidCalendarSnapshot } from '../errors.js';
import { computedBankHolidays } from './computed-bank-holidays.js';
import { type LocalDate, dateParts, fromDayNumber, isoWeekday, isoWeekdayOfDayNumber, localDate, toDayNumber } from './local-date.js';
import { type BankHolidayEvent, type CalendarSnapshot, calendarSnapshotSchema } from './snapshot.js';

/** A calendar of working days built from one bank-holiday snapshot. */
export interface WorkingDayCalendar {
  /** Which division's holidays these are, e.g. "england-and-wales". */
  readonly id: string;
  /**
   * Which holiday list this is, recorded on every deadline it computes: the snapshot's version,
   * plus "+computed-YEAR" when years after GOV.UK's list are computed (see below).
   */
  readonly version: string;
  /** The zone whose dates count, e.g. "Europe/London". */
  readonly timeZone: string;
  /** First date the holiday data speaks for. */
  readonly coversFrom: LocalDate;
  /** Last date of GOV.UK's published holidays; after it, up to `coversThrough`, they are computed. */
  readonly publishedThrough: LocalDate;
  /**
   * Last date the holiday data, published or computed, speaks for; beyond it only weekends are
   * known. Equal to `publishedThrough` when nothing is computed.
   */
  readonly coversThrough: LocalDate;
  /**
   * Bank holidays by date, with GOV.UK's title ("Boxing Day (substitute day)"). A computed
   * holiday says so in its title ("Boxing Day (substitute day, computed)", "Christmas Day
   * (computed)"), so a person reading why a day was skipped knows GOV.UK has not confirmed it.
   */
  readonly holidays: ReadonlyMap<LocalDate, string>;
  /** The same holidays as day numbers, for fast counting. */
  readonly holidayDays: ReadonlySet<number>;
}

function titleOf(event: BankHolidayEvent, computed: boolean): string {
  const remarks = [event.notes.toLowerCase(), computed ? 'computed' : ''].filter((remark) => remark !== '');
  return remarks.length > 0 ? `${event.title} (${remarks.join(', ')})` : event.title;
}

/**
 * Builds a calendar from snapshot data, checking it first. Throws `InvalidCalendarSnapshot`
 * naming the bad field.
 *
 * With a `computedExtension`, each year after GOV.UK's list through its `throughYear` gets the
 * holidays of the fixed rules (computed-bank-holidays.ts); a year GOV.UK has published is never
 * computed over. The version then gains "+computed-YEAR": every deadline records which holiday
 * list computed it, and a list with guessed years is not the same list as GOV.UK's alone.
 */
export function createWorkingDayCalendar(data: unknown): WorkingDayCalendar {
  const parsed = calendarSnapshotSchema.safeParse(data);
  if (!parsed.success) throw new InvalidCalendarSnapshot(formatIssues(parsed.error.issues));
  const snapshot: CalendarSnapshot = parsed.data;
  const holidays = new Map<LocalDate, string>();
  for (const event of snapshot.division.events) holidays.set(event.date, titleOf(event, false));
  const publishedYear = dateParts(snapshot.coversThrough).year;
  const throughYear = snapshot.computedExtension?.throughYear ?? publishedYear;
  for (let year = publishedYear + 1; year <= throughYear; year += 1) {
    for (const event of computedBankHolidays(year)) holidays.set(event.date, titleOf(event, true));
  }
  const computes = throughYear > publishedYear;
  return Object.freeze({
    id: snapshot.calendar,
    version: computes ? `${snapshot.version}+computed-${throughYear}` : snapshot.version,
    timeZone: snapshot.timeZone,
    coversFrom: snapshot.coversFrom,
    publishedThrough: snapshot.coversThrough,
    coversThrough: computes ? localDate(throughYear, 12, 31) : snapshot.coversThrough,
    holidays,
    holidayDays: new Set([...holidays.keys()].map(toDayNumber)),
  });
}

/** Why a date is not a working day, or `null` when it is one. */
export type NonWorkingReason = { kind: 'weekend'; day: 'Saturday' | 'Sunday' } | { kind: 'bank-holiday'; title: string };

/** Why a date is not a working day (weekend or which bank holiday), or `null` if it is one. */
export function nonWorkingReason(calendar: WorkingDayCalendar, date: LocalDate): NonWorkingReason | null {
  const weekday = isoWeekday(date);
  if (weekday === 6) return { kind: 'weekend', day: 'Saturday' };
  if (weekday === 7) return { kind: 'weekend', day: 'Sunday' };
  const title = calendar.holidays.get(date);
  return title === undefined ? null : { kind: 'bank-holiday', title };
}

function isWorkingDayNumber(calendar: WorkingDayCalendar, dayNumber: number): boolean {
  return isoWeekdayOfDayNumber(dayNumber) <= 5 && !calendar.holidayDays.has(dayNumber);
}

/** Whether a date is a working day. @example isWorkingDay(cal, '2026-12-28') // false: Boxing Day substitute */
export function isWorkingDay(calendar: WorkingDayCalendar, date: LocalDate): boolean {
  return isWorkingDayNumber(calendar, toDayNumber(date));
}

/** Whether the holiday data, published or computed, speaks for this date. */
export function isCovered(calendar: WorkingDayCalendar, date: LocalDate): boolean {
  return date >= calendar.coversFrom && date <= calendar.coversThrough;
}

/** Whether GOV.UK's published holidays speak for this date. @example isPublished(cal, '2029-04-02') // false: computed */
export function isPublished(calendar: WorkingDayCalendar, date: LocalDate): boolean {
  return date >= calendar.coversFrom && date <= calendar.publishedThrough;
}

/**
 * Whether the days from `from` to `to` (either way round) reach into the computed years, after
 * GOV.UK's list and within the calendar's coverage, so a count over them may rest on guessed
 * holidays. @example usesComputedHolidays(cal, '2028-12-20', '2029-01-10') // true
 */
export function usesComputedHolidays(calendar: WorkingDayCalendar, from: LocalDate, to: LocalDate): boolean {
  const [low, high] = from <= to ? [from, to] : [to, from];
  return high > calendar.publishedThrough && low <= calendar.coversThrough && calendar.coversThrough > calendar.publishedThrough;
}

/** The date itself when it is a working day, otherwise the next working day after it. */
export function workingDayOnOrAfter(calendar: WorkingDayCalendar, date: LocalDate): LocalDate {
  let day = toDayNumber(date);
  while (!isWorkingDayNumber(calendar, day)) day += 1;
  return fromDayNumber(day);
}

/**
 * The date `amount` working days after `date` (before it when negative). Zero returns the date
 * unchanged, like date-fns `addBusinessDays`.
 * @example addWorkingDays(cal, '2025-12-23', 2) // '2025-12-29': Christmas Day and Boxing Day skipped
 */
export function addWorkingDays(calendar: WorkingDayCalendar, date: LocalDate, amount: number): LocalDate {
  if (!Number.isInteger(amount)) throw new RangeError(`A number of working days must be a whole number, not ${amount}`);
  const step = amount < 0 ? -1 : 1;
  let day = toDayNumber(date);
  for (let left = Math.abs(amount); left > 0;) {
    day += step;
    if (isWorkingDayNumber(calendar, day)) left -= 1;
  }
  return fromDayNumber(day);
}

/**
 * How many working days lie after `from` up to and including `to`; negative when `to` is
 * earlier. The inverse of `addWorkingDays` from a working day.
 * @example workingDaysBetween(cal, '2025-12-23', '2025-12-29') // 2
 */
export function workingDaysBetween(calendar: WorkingDayCalendar, from: LocalDate, to: LocalDate): number {
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  const [low, high, sign] = start <= end ? [start, end, 1] : [end, start, -1];
  let count = 0;
  for (let day = low + 1; day <= high; day += 1) if (isWorkingDayNumber(calendar, day)) count += 1;
  return sign * count;
}
