/**
 * The date parser on chrono-node's British English parser (so 3/4/2025 is 3 April), with the
 * gaps filled in:
 * - chrono reads "Easter Monday" as next Monday and knows no bank holiday names: holidays are
 *   worked out here, Easter by the Gregorian computus;
 * - it does not know "fortnight": rewritten as two weeks before parsing;
 * - a date without a year may come back in the future ("in March" in November): people
 *   complaining mean the past, so the most recent such date is taken;
 * - an impossible date (31/02/2025) is named, not silently ignored;
 * - relative words are computed from the London wall clock, whatever the server's zone.
 */
import * as chrono from 'chrono-node';
import type { DateParser, DateReading } from '../ports/date-parser.js';
import {
  addDays, compareDates, daysInMonth, type LocalDate, localDate, readInZone, toDayNumber,
} from '../policy/index.js';

const LONDON = 'Europe/London';
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const DONT_KNOW = /^(?:i\s*|i'?m\s+|im\s+)?(?:idk|dunno|don'?t\s+know|do\s+not\s+know|not\s+sure|unsure|no\s+idea|can'?t\s+remember|cannot\s+remember|don'?t\s+remember|do\s+not\s+remember|unknown|no\s+clue|\?+)(?:[\s,]+\w+){0,3}[.!?\s]*$/i;
const VAGUE = /\b(?:around|about|roughly|approx\w*|circa|early|mid|middle|late|beginning|start|end|sometime|some\s+time|ish|weeks?|months?|fortnights?|or\s+so)\b/i;
const NUMERIC_DATE = /\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})\b/;
const YEAR_ONLY = /^(?:in|during|back\s+in|around|about|sometime\s+in)?\s*((?:19|20)\d{2})[.!\s]*$/i;

/** Easter Sunday of a year (anonymous Gregorian algorithm). */
export function easterSunday(year: number): LocalDate {
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
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return localDate(year, month, day);
}

/** Named days people use for "when", as a function of the year. */
const NAMED_DAYS: readonly { readonly pattern: RegExp; readonly on: (year: number) => LocalDate }[] = [
  { pattern: /\bchristmas\s+eve\b/i, on: (year) => localDate(year, 12, 24) },
  { pattern: /\bboxing\s+day\b/i, on: (year) => localDate(year, 12, 26) },
  { pattern: /\b(?:christmas|xmas)(?:\s+day)?\b/i, on: (year) => localDate(year, 12, 25) },
  { pattern: /\bnew\s+year'?s?\s+eve\b/i, on: (year) => localDate(year, 12, 31) },
  { pattern: /\bnew\s+year'?s?(?:\s+day)?\b/i, on: (year) => localDate(year, 1, 1) },
  { pattern: /\bgood\s+friday\b/i, on: (year) => addDays(easterSunday(year), -2) },
  { pattern: /\beaster\s+monday\b/i, on: (year) => addDays(easterSunday(year), 1) },
  { pattern: /\beaster(?:\s+sunday|\s+day)?\b/i, on: (year) => easterSunday(year) },
];

function yearIn(text: string): number | null {
  const match = /\b((?:19|20)\d{2})\b/.exec(text);
  return match?.[1] ? Number(match[1]) : null;
}

/** The London date now, and a host-local Date showing the same wall-clock time (what chrono computes from). */
function londonNow(now: Date): { today: LocalDate; reference: Date } {
  const { date, secondOfDay } = readInZone(now, LONDON);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { today: date, reference: new Date(year, month - 1, day, Math.floor(secondOfDay / 3600), Math.floor((secondOfDay % 3600) / 60)) };
}

function dated(date: LocalDate, today: LocalDate, certainty: 'exact' | 'approximate'): DateReading {
  return compareDates(date, today) > 0 ? { kind: 'future', date } : { kind: 'date', date, certainty };
}

/** A date read with chrono-node's en-GB parser and the fixes above. */
export class ChronoDateParser implements DateParser {
  read(text: string, now: Date): DateReading {
    const said = text.normalize('NFKC').replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '').trim();
    if (said === '') return { kind: 'unreadable' };
    if (DONT_KNOW.test(said)) return { kind: 'unknown' };
    const { today, reference } = londonNow(now);
    const vague = VAGUE.test(said);

    const numeric = NUMERIC_DATE.exec(said);
    if (numeric?.[1] && numeric[2] && numeric[3]) {
      const day = Number(numeric[1]);
      const month = Number(numeric[2]);
      let year = Number(numeric[3]);
      if (numeric[3].length === 2) year += year + 2000 > Number(today.slice(0, 4)) ? 1900 : 2000;
      if (month < 1 || month > 12) return { kind: 'impossible', problem: `there is no month ${month} (the month comes second, as in 3/4/2025 for 3 April)` };
      if (day < 1 || day > daysInMonth(year, month)) return { kind: 'impossible', problem: `${MONTH_NAMES[month - 1] ?? ''} ${year} has no day ${day}` };
      return dated(localDate(year, month, day), today, vague ? 'approximate' : 'exact');
    }

    for (const named of NAMED_DAYS) {
      if (!named.pattern.test(said)) continue;
      const given = yearIn(said);
      const thisYear = Number(today.slice(0, 4));
      let date = named.on(given ?? thisYear);
      if (given === null && compareDates(date, today) > 0) date = named.on(thisYear - 1);
      return dated(date, today, vague ? 'approximate' : 'exact');
    }

    const yearOnly = YEAR_ONLY.exec(said);
    if (yearOnly?.[1]) {
      const year = Number(yearOnly[1]);
      return year > Number(today.slice(0, 4)) ? { kind: 'future', date: localDate(year, 1, 1) } : { kind: 'year', year };
    }

    const rewritten = said
      .replace(/\b(?:a|one)\s+fortnight\b/gi, '2 weeks')
      .replace(/\b(\d+)\s+fortnights\b/gi, (_, count: string) => `${Number(count) * 2} weeks`)
      .replace(/\btwo\s+fortnights\b/gi, '4 weeks');
    const result = chrono.en.GB.parse(rewritten, reference)[0];
    if (!result) return { kind: 'unreadable' };
    const start = result.start;
    const month = start.get('month');
    const year = start.get('year');
    const day = start.get('day');
    if (!month || !year || !day) return { kind: 'unreadable' };

    if (!start.isCertain('day') && !start.isCertain('weekday')) {
      // Only a month was given (or implied, as in "last month"): the most recent such month.
      let monthYear = year;
      if (!start.isCertain('year') && (monthYear * 12 + month) > (Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)))) monthYear -= 1;
      return monthYear * 12 + month > Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7))
        ? { kind: 'future', date: localDate(monthYear, month, 1) }
        : { kind: 'month', year: monthYear, month };
    }
    let date = localDate(year, month, Math.min(day, daysInMonth(year, month)));
    // A day given without a year ("3 April", "last Tuesday") means the most recent one, unless
    // they said "next", which is plainly the future (and will be queried as such).
    if (!start.isCertain('year') && compareDates(date, today) > 0 && !/\bnext\b/i.test(said)) {
      date = start.isCertain('month')
        ? localDate(year - 1, month, Math.min(day, daysInMonth(year - 1, month)))
        : addDays(date, -7 * Math.ceil((toDayNumber(date) - toDayNumber(today)) / 7));
    }
    const relative = /\b(ago|last|yesterday|today|this)\b/i.test(said);
    const certainty = vague || (relative && /\bweeks?\b/i.test(rewritten)) ? 'approximate' : 'exact';
    return dated(date, today, certainty);
  }
}
