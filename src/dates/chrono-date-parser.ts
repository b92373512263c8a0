/**
 * The date parser on chrono-node's British English parser (so 3/4/2025 is 3 April), with the
 * gaps filled in:
 * - chrono reads "Easter Monday" as next Monday and knows no bank holiday names: holidays are
 *   worked out here, Easter by the Gregorian computus;
 * - it does not know "fortnight": rewritten as two weeks before parsing;
 * - it knows no seasons: "last summer" is read as the middle of the most recent summer, approximately;
 * - a date without a year may come back in the future ("in March" in November): people
 *   complaining mean the past, so the most recent such date is taken;
 * - how precise an answer is comes from which parts chrono was sure of: "last year" is a year,
 *   "6 months ago" a month, "this morning" today;
 * - "not sure, maybe March" is read as the words after the doubt, and as approximate;
 * - an impossible date (31/02/2025) is named, not silently ignored;
 * - relative words are computed from the London wall clock, whatever the server's zone.
 */
import * as chrono from 'chrono-node';
import type { DateParser, DateReading } from '../ports/date-parser.js';
import {
  addDays, compareDates, daysInMonth, type LocalDate, localDate, monthName, readInZone, toDayNumber,
} from '../policy/index.js';
import { stripInvisible } from '../text/clean-text.js';

const LONDON = 'Europe/London';

/**
 * Words saying they do not know, and what follows ("not sure, maybe March 2023"). The hedges
 * after the doubt ("maybe", "I think") are dropped; the rest, if any, is read as a date.
 */
const DONT_KNOW = /^(?:i\s*|i'?m\s+|im\s+)?(?:idk|dunno|don'?t\s+know|do\s+not\s+know|not\s+(?:too\s+|totally\s+|really\s+|entirely\s+|100%\s+)?sure|unsure|no\s+idea|can'?t\s+remember|cannot\s+remember|don'?t\s+remember|do\s+not\s+remember|can'?t\s+recall|unknown|no\s+clue|not\s+certain|\?+)(?=$|[\s,.;:!?-])[\s,.;:!?-]*((?:(?:but|maybe|perhaps|probably|possibly|i\s+think|i\s+guess|roughly|about|around|really|exactly|when|sorry)\b[\s,.;:!?-]*)*)(.*)$/i;
const VAGUE = /\b(?:around|about|roughly|approx\w*|circa|early|mid|middle|late|beginning|start|end|sometime|some\s+time|ish|weeks?|weekend|months?|fortnights?|or\s+so|few|couple|several|maybe|perhaps|probably|think)\b/i;
const NUMERIC_DATE = /\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})\b/;
const YEAR_ONLY = /^(?:in|during|back\s+in|around|about|since|from|sometime\s+in)?\s*((?:19|20)\d{2})[.!\s]*$/i;

/** The earliest year a complaint could sensibly be about; before it, a typed year is a slip. */
const EARLIEST_YEAR = 1900;

/** Words about time of day, the only reason to read an answer with no date in it as today. */
const TIME_OF_DAY = /\b(?:today|tonight|this\s+(?:morning|afternoon|evening|week)|earlier|now|just\s+now|\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|o'?clock|noon|midday|lunchtime)\b/i;

/** Hedges people put before a date; chrono misreads some ("about 10 days ago" as today). */
const HEDGES = /\b(?:about|around|roughly|approximately|approx\.?|circa|maybe|perhaps|probably|possibly|i\s+think|i\s+guess|sometime|some\s+time)\b/gi;

const MONTH_WORDS = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';

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

/**
 * The seasons as the Met Office counts them, each by its middle day and its last (winter is
 * counted in the year it ends: "winter 2025" is the one spanning January 2025).
 */
const SEASONS: readonly { readonly pattern: RegExp; readonly middle: (year: number) => LocalDate; readonly end: (year: number) => LocalDate }[] = [
  { pattern: /\bspring\b/i, middle: (year) => localDate(year, 4, 15), end: (year) => localDate(year, 5, 31) },
  { pattern: /\bsummer\b/i, middle: (year) => localDate(year, 7, 15), end: (year) => localDate(year, 8, 31) },
  { pattern: /\bautumn\b/i, middle: (year) => localDate(year, 10, 15), end: (year) => localDate(year, 11, 30) },
  { pattern: /\bwinter\b/i, middle: (year) => localDate(year, 1, 15), end: (year) => localDate(year, 2, daysInMonth(year, 2)) },
];

function yearIn(text: string): number | null {
  const match = /\b((?:19|20)\d{2})\b/.exec(text);
  return match?.[1] ? Number(match[1]) : null;
}

/** The year a named day or season is in: given, "last year", "this year", or null (the most recent). */
function namedYear(text: string, thisYear: number): number | null {
  const given = yearIn(text);
  if (given !== null) return given;
  if (/\b(?:last|previous)\s+year\b|\ba\s+year\s+ago\b/i.test(text)) return thisYear - 1;
  if (/\bthis\s+year\b/i.test(text)) return thisYear;
  return null;
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
    const said = stripInvisible(text.normalize('NFKC')).trim();
    if (said === '') return { kind: 'unreadable' };
    const doubt = DONT_KNOW.exec(said);
    if (doubt) {
      const rest = (doubt[2] ?? '').trim();
      if (rest === '') return { kind: 'unknown' };
      const reading = this.readWords(rest, now, true);
      return reading.kind === 'unreadable' ? { kind: 'unknown' } : reading;
    }
    return this.readWords(said, now, false);
  }

  private readWords(said: string, now: Date, unsure: boolean): DateReading {
    const { today, reference } = londonNow(now);
    const thisYear = Number(today.slice(0, 4));
    const thisMonth = Number(today.slice(5, 7));
    const vague = unsure || VAGUE.test(said);

    const numeric = NUMERIC_DATE.exec(said);
    if (numeric?.[1] && numeric[2] && numeric[3]) {
      const day = Number(numeric[1]);
      const month = Number(numeric[2]);
      let year = Number(numeric[3]);
      if (numeric[3].length === 2) year += year + 2000 > thisYear ? 1900 : 2000;
      if (year < EARLIEST_YEAR) return { kind: 'impossible', problem: `the year ${year} looks mistyped` };
      if (month < 1 || month > 12) return { kind: 'impossible', problem: `there is no month ${month} (the month comes second, as in 3/4/2025 for 3 April)` };
      if (day < 1 || day > daysInMonth(year, month)) return { kind: 'impossible', problem: `${monthName(month)} ${year} has no day ${day}` };
      return dated(localDate(year, month, day), today, vague ? 'approximate' : 'exact');
    }

    for (const named of NAMED_DAYS) {
      if (!named.pattern.test(said)) continue;
      const year = namedYear(said, thisYear);
      let date = named.on(year ?? thisYear);
      if (year === null && compareDates(date, today) > 0) date = named.on(thisYear - 1);
      return dated(date, today, vague ? 'approximate' : 'exact');
    }

    for (const season of SEASONS) {
      if (!season.pattern.test(said)) continue;
      let year = namedYear(said, thisYear);
      if (year === null && /\b(?:last|previous)\b/i.test(said)) {
        // "Last summer": the most recent one that has ended.
        year = compareDates(season.end(thisYear), today) < 0 ? thisYear : thisYear - 1;
      } else if (year === null && !/\bthis\b/i.test(said)) {
        // "In the summer": the most recent one that had got going.
        year = compareDates(season.middle(thisYear), today) <= 0 ? thisYear : thisYear - 1;
      }
      const middle = season.middle(year ?? thisYear);
      // "This summer", asked in June: so far, it can only have been up to today.
      return dated(year === null && compareDates(middle, today) > 0 ? today : middle, today, 'approximate');
    }

    const yearOnly = YEAR_ONLY.exec(said);
    if (yearOnly?.[1]) return yearReading(Number(yearOnly[1]), thisYear);

    // A year said in words ("in May last year") that chrono reads as a result of its own.
    const yearHint = namedYear(said, thisYear);
    const rewritten = said
      .replace(HEDGES, ' ')
      // "Last May": chrono knows no such phrase; "May" alone is read as the most recent May.
      .replace(new RegExp(`\\b(?:last|this\\s+past)\\s+(${MONTH_WORDS})\\b`, 'gi'), '$1')
      .replace(/\b(?:a|one)\s+fortnight\b/gi, '2 weeks')
      .replace(/\b(\d+)\s+fortnights\b/gi, (_, count: string) => `${Number(count) * 2} weeks`)
      .replace(/\btwo\s+fortnights\b/gi, '4 weeks');
    const result = chrono.en.GB.parse(rewritten, reference)[0];
    if (!result) return { kind: 'unreadable' };
    const start = result.start;
    const month = start.get('month');
    const sure = (part: 'year' | 'month' | 'day' | 'weekday' | 'hour'): boolean => start.isCertain(part);
    const yearGiven = sure('year') || (yearHint !== null && sure('month'));
    const year = !sure('year') && yearHint !== null && sure('month') ? yearHint : start.get('year');
    const day = start.get('day');
    if (!month || !year || !day) return { kind: 'unreadable' };
    if (year < EARLIEST_YEAR) return { kind: 'impossible', problem: `the year ${year} looks mistyped` };

    if (!sure('day') && !sure('weekday')) {
      // "This morning", "at 3pm", "this week": today (roughly, for a week).
      if (!sure('year') && !sure('month')) {
        if (!TIME_OF_DAY.test(said)) return { kind: 'unreadable' };
        return { kind: 'date', date: today, certainty: /\bweek/i.test(said) || vague ? 'approximate' : 'exact' };
      }
      // "Last year", "two years ago": only a year.
      if (!sure('month')) return yearReading(year, thisYear);
      // "In March", "6 months ago": only a month, the most recent such one unless a year was given.
      let monthYear = year;
      if (!yearGiven && monthYear * 12 + month > thisYear * 12 + thisMonth) monthYear -= 1;
      return monthYear * 12 + month > thisYear * 12 + thisMonth
        ? { kind: 'future', date: localDate(monthYear, month, 1) }
        : { kind: 'month', year: monthYear, month };
    }
    let date = localDate(year, month, Math.min(day, daysInMonth(year, month)));
    // A day given without a year ("3 April", "last Tuesday") means the most recent one, unless
    // they said "next", which is plainly the future (and will be queried as such).
    if (!yearGiven && compareDates(date, today) > 0 && !/\bnext\b/i.test(said)) {
      date = sure('month')
        ? localDate(year - 1, month, Math.min(day, daysInMonth(year - 1, month)))
        : addDays(date, -7 * Math.ceil((toDayNumber(date) - toDayNumber(today)) / 7));
    }
    const relative = /\b(ago|last|yesterday|today|this)\b/i.test(said);
    const certainty = vague || (relative && /\bweeks?\b/i.test(rewritten)) ? 'approximate' : 'exact';
    return dated(date, today, certainty);
  }
}

function yearReading(year: number, thisYear: number): DateReading {
  return year > thisYear ? { kind: 'future', date: localDate(year, 1, 1) } : { kind: 'year', year };
}
