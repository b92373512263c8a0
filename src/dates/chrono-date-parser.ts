/**
 * The date parser on chrono-node's British English parser (so 3/4/2025 is 3 April), with the
 * gaps filled in:
 * - chrono reads "Easter Monday" as next Monday and knows no bank holiday names: holidays are
 *   worked out here, Easter by the Gregorian computus;
 * - it does not know "fortnight": rewritten as two weeks before parsing;
 * - it knows no seasons, parts of a month ("early June"), "the 5th" on its own, "last week" as
 *   a week, or "between March and May": all read here;
 * - a date without a year may come back in the future ("in March" in November): people
 *   complaining mean the past, so the most recent such date is taken;
 * - how precise an answer is comes from which parts chrono was sure of: "last year" is a year,
 *   "6 months ago" a month, "this morning" today;
 * - an approximate answer is kept at the precision given, as a range of days, never as a day
 *   the person did not give: "summer 2025" is 1 June to 31 August 2025; "around" a day is three
 *   days either side of it; "early June" is 1 to 10 June, and "around early September" ten days
 *   more each side; "about 3 months ago" is around the part of the month three months back;
 *   "about 2 years ago" is six months either side of the month two years back. No range runs
 *   past today;
 * - "not sure, maybe March" is read as the words after the doubt, and as approximate;
 * - "the other day" is recognised as recent and nothing more, so the conversation can ask;
 * - an impossible date (31/02/2025) is named, not silently ignored;
 * - relative words are computed from the London wall clock, whatever the server's zone.
 */
import * as chrono from 'chrono-node';
import type { Approximation, DateParser, DateReading, PartOfMonth, RangeEnd, Season } from '../ports/date-parser.js';
import {
  addDays,
  addMonths,
  compareDates,
  dateParts,
  daysInMonth,
  easterSunday,
  isoWeekday,
  type LocalDate,
  localDate,
  monthName,
  readInZone,
  toDayNumber,
} from '../policy/index.js';
import { stripInvisible } from '../text/clean-text.js';

const LONDON = 'Europe/London';

/**
 * Words saying they do not know, and what follows ("not sure, maybe March 2023"). The hedges
 * after the doubt ("maybe", "I think") are dropped; the rest, if any, is read as a date.
 */
const DONT_KNOW =
  /^(?:i\s*|i'?m\s+|im\s+)?(?:idk|dunno|don'?t\s+know|do\s+not\s+know|not\s+(?:too\s+|totally\s+|really\s+|entirely\s+|100%\s+)?sure|unsure|no\s+idea|can'?t\s+remember|cannot\s+remember|don'?t\s+remember|do\s+not\s+remember|can'?t\s+recall|unknown|no\s+clue|not\s+certain|\?+)(?=$|[\s,.;:!?-])[\s,.;:!?-]*((?:(?:but|maybe|perhaps|probably|possibly|i\s+think|i\s+guess|roughly|about|around|really|exactly|when|sorry)\b[\s,.;:!?-]*)*)(.*)$/i;
const VAGUE =
  /\b(?:around|about|roughly|approx\w*|circa|early|mid|middle|late|beginning|start|end|sometime|some\s+time|ish|weeks?|weekend|months?|fortnights?|or\s+so|few|couple|several|maybe|perhaps|probably|think)\b/i;
/** Words making "N months ago" or "N years ago" a rough figure rather than a month or a year to narrow down. */
const HEDGED = /\b(?:about|around|roughly|approx\w*|circa|maybe|perhaps|probably|possibly|i\s+think|i\s+guess|or\s+so|ish|give\s+or\s+take)\b/i;
const NUMERIC_DATE = /\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})\b/g;
const YEAR_ONLY = /^(?:in|during|back\s+in|around|about|since|from|sometime\s+in)?\s*((?:19|20)\d{2})[.!\s]*$/i;

/** The earliest year a complaint could sensibly be about; before it, a typed year is a slip. */
const EARLIEST_YEAR = 1900;

/** Words about time of day, the only reason to read an answer with no date in it as today. */
const TIME_OF_DAY =
  /\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|earlier|now|just\s+now|\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|o'?clock|noon|midday|lunchtime)\b/i;

/** Hedges people put before a date; chrono misreads some ("about 10 days ago" as today). */
const HEDGES = /\b(?:about|around|roughly|approximately|approx\.?|circa|maybe|perhaps|probably|possibly|i\s+think|i\s+guess|sometime|some\s+time)\b/gi;

/** Words for "recently" and no more: the conversation asks roughly when. */
const RECENTLY = /\b(?:the\s+other\s+(?:day|week)|a\s+(?:little\s+)?while\s+(?:ago|back)|not\s+(?:that\s+|so\s+)?long\s+ago|recently|lately)\b/i;

const MONTH_WORDS = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';

/** Leading words that add nothing to a date ("it was", "sometime in"). */
const LEAD =
  String.raw`^(?:(?:it\s+was|it\s+happened|that\s+was|sometime|some\s+time|in|during|on|at|around|about|roughly|approximately|maybe|probably` +
  String.raw`|perhaps|i\s+think)\s+)*`;

/** A part of a month: "early June", "the end of October 2025", "mid-March last year". */
const PART = String.raw`(?:(early|mid|late)[\s-]+|(?:the\s+)?(beginning|start|middle|end)\s+of\s+)`;
const PART_OF_MONTH = new RegExp(String.raw`${LEAD}${PART}(${MONTH_WORDS})\.?(?:\s*,?\s*((?:19|20)\d{2}))?(?:\s+(?:last|this)\s+year)?[.!]?$`, 'i');
/** A part of a year: "early 2025", "the end of 2024". */
const PART_OF_YEAR = new RegExp(String.raw`${LEAD}${PART}((?:19|20)\d{2})[.!]?$`, 'i');
/** Weeks as wholes: "last week", "this week", "the week before last". */
const WEEK = new RegExp(`${LEAD}(?:(?:earlier|early|sometime)\\s+)?(last|this|the\\s+previous|the\\s+week\\s+before\\s+last)(?:\\s+week)?[.!]?$`, 'i');
/** A day of the month on its own: "the 5th", "on the 21st", "5th", "the 5th of this month". */
const BARE_DAY = new RegExp(`${LEAD}(?:the\\s+(\\d{1,2})(?:st|nd|rd|th)?|(\\d{1,2})(?:st|nd|rd|th))(?:\\s+of\\s+(?:this|the)\\s+month)?[.!]?$`, 'i');

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
 * The seasons as the Met Office counts them: first day, middle day and last day (winter is
 * counted in the year it ends: "winter 2025" is December 2024 to February 2025).
 */
const SEASONS: readonly {
  readonly season: Season;
  readonly pattern: RegExp;
  readonly start: (year: number) => LocalDate;
  readonly middle: (year: number) => LocalDate;
  readonly end: (year: number) => LocalDate;
}[] = [
  {
    season: 'spring',
    pattern: /\bspring\b/i,
    start: (year) => localDate(year, 3, 1),
    middle: (year) => localDate(year, 4, 15),
    end: (year) => localDate(year, 5, 31),
  },
  {
    season: 'summer',
    pattern: /\bsummer\b/i,
    start: (year) => localDate(year, 6, 1),
    middle: (year) => localDate(year, 7, 15),
    end: (year) => localDate(year, 8, 31),
  },
  {
    season: 'autumn',
    pattern: /\bautumn\b/i,
    start: (year) => localDate(year, 9, 1),
    middle: (year) => localDate(year, 10, 15),
    end: (year) => localDate(year, 11, 30),
  },
  {
    season: 'winter',
    pattern: /\bwinter\b/i,
    start: (year) => localDate(year - 1, 12, 1),
    middle: (year) => localDate(year, 1, 15),
    end: (year) => localDate(year, 2, daysInMonth(year, 2)),
  },
];

/** Days either side of a day given roughly ("around Christmas", "two weeks ago"). */
const AROUND_A_DAY = 3;
/** Days either side of a part of a month given roughly ("around early September"). */
const AROUND_A_PART = 10;
/** Months either side of "about N years ago". */
const AROUND_YEARS_AGO = 6;

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

/** A month's number from its name or abbreviation ("Sept" is 9). */
function monthNumber(word: string): number {
  return ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(word.slice(0, 3).toLowerCase()) + 1;
}

/** The days of a part of a month. */
function partOfMonth(part: PartOfMonth, year: number, month: number): { first: LocalDate; last: LocalDate } {
  switch (part) {
    case 'early':
      return { first: localDate(year, month, 1), last: localDate(year, month, 10) };
    case 'mid':
      return { first: localDate(year, month, 11), last: localDate(year, month, 20) };
    case 'late':
      return { first: localDate(year, month, 21), last: localDate(year, month, daysInMonth(year, month)) };
  }
}

/** Which part of its month a day falls in. */
function partOf(date: LocalDate): PartOfMonth {
  const { day } = dateParts(date);
  return day <= 10 ? 'early' : day <= 20 ? 'mid' : 'late';
}

function partWord(word: string): PartOfMonth {
  const lower = word.toLowerCase();
  return lower === 'early' || lower === 'beginning' || lower === 'start' ? 'early' : lower === 'late' || lower === 'end' ? 'late' : 'mid';
}

/** The London date now, and a host-local Date showing the same wall-clock time (what chrono computes from). */
function londonNow(now: Date): { today: LocalDate; reference: Date } {
  const { date, secondOfDay } = readInZone(now, LONDON);
  const { year, month, day } = dateParts(date);
  return { today: date, reference: new Date(year, month - 1, day, Math.floor(secondOfDay / 3600), Math.floor((secondOfDay % 3600) / 60)) };
}

function earlier(a: LocalDate, b: LocalDate): LocalDate {
  return compareDates(a, b) <= 0 ? a : b;
}

/** A day: exactly as given, or (given roughly) the days around it. */
function dated(date: LocalDate, today: LocalDate, rough: boolean): DateReading {
  if (compareDates(date, today) > 0) return { kind: 'future', date };
  if (!rough) return { kind: 'date', date };
  return ranged(addDays(date, -AROUND_A_DAY), addDays(date, AROUND_A_DAY), { kind: 'around-day', date }, today);
}

/** A range of days, cut off at today; in the future if it had not begun. */
function ranged(earliest: LocalDate, latest: LocalDate, approximation: Approximation, today: LocalDate): DateReading {
  if (compareDates(earliest, today) > 0) return { kind: 'future', date: earliest };
  return { kind: 'range', earliest, latest: earlier(latest, today), approximation };
}

/** A typed day/month/year, checked; the two-digit year is the most recent such. */
function numericDate(match: RegExpMatchArray, thisYear: number): LocalDate | { problem: string } {
  const day = Number(match[1]);
  const month = Number(match[2]);
  const yearText = match[3] ?? '';
  let year = Number(yearText);
  if (yearText.length === 2) year += year + 2000 > thisYear ? 1900 : 2000;
  if (year < EARLIEST_YEAR) return { problem: `the year ${year} looks mistyped` };
  if (month < 1 || month > 12) return { problem: `there is no month ${month} (the month comes second, as in 3/4/2025 for 3 April)` };
  if (day < 1 || day > daysInMonth(year, month)) return { problem: `${monthName(month)} ${year} has no day ${day}` };
  return localDate(year, month, day);
}

/** The most recent given day of the month, not after today ("the 31st" in November is 31 October). */
function latestDayOfMonth(day: number, today: LocalDate): LocalDate | null {
  if (day < 1 || day > 31) return null;
  let { year, month } = dateParts(today);
  for (let step = 0; step < 12; step += 1) {
    if (day <= daysInMonth(year, month)) {
      const date = localDate(year, month, day);
      if (compareDates(date, today) <= 0) return date;
    }
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return null;
}

/** One end of a range chrono read: a day when it was sure of one, else a month. */
function rangeEnd(components: chrono.ParsedComponents, yearHint: number | null): RangeEnd | null {
  const year = !components.isCertain('year') && yearHint !== null ? yearHint : components.get('year');
  const month = components.get('month');
  const day = components.get('day');
  if (!year || !month || !day || !components.isCertain('month')) return null;
  return components.isCertain('day') ? { date: localDate(year, month, Math.min(day, daysInMonth(year, month))) } : { year, month };
}

function firstDayOf(end: RangeEnd): LocalDate {
  return 'date' in end ? end.date : localDate(end.year, end.month, 1);
}

function lastDayOf(end: RangeEnd): LocalDate {
  return 'date' in end ? end.date : localDate(end.year, end.month, daysInMonth(end.year, end.month));
}

function shiftYears(end: RangeEnd, years: number): RangeEnd {
  return 'date' in end ? { date: addMonths(end.date, 12 * years) } : { year: end.year + years, month: end.month };
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
    const hedged = unsure || HEDGED.test(said);
    const plain = said.replace(/\s+/g, ' ').trim();

    const numeric = [...said.matchAll(NUMERIC_DATE)].map((match) => numericDate(match, thisYear));
    const [first, second] = numeric;
    if (first && typeof first !== 'string') return { kind: 'impossible', problem: first.problem };
    if (second && typeof second !== 'string') return { kind: 'impossible', problem: second.problem };
    if (first && second && first !== second) {
      // "3/4/2025 to 10/4/2025": a range, whichever way round it was typed.
      const [from, to] = compareDates(first, second) <= 0 ? [first, second] : [second, first];
      return ranged(from, to, { kind: 'between', from: { date: from }, to: { date: to } }, today);
    }
    if (first) return dated(first, today, vague);

    for (const named of NAMED_DAYS) {
      if (!named.pattern.test(said)) continue;
      const year = namedYear(said, thisYear);
      let date = named.on(year ?? thisYear);
      if (year === null && compareDates(date, today) > 0) date = named.on(thisYear - 1);
      return dated(date, today, vague);
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
      // "This summer", asked in June: so far, it can only have been up to today.
      const inYear = year ?? thisYear;
      return ranged(season.start(inYear), season.end(inYear), { kind: 'season', season: season.season, year: inYear }, today);
    }

    const yearOnly = YEAR_ONLY.exec(said);
    if (yearOnly?.[1]) return yearReading(Number(yearOnly[1]), thisYear);

    const yearPart = PART_OF_YEAR.exec(plain);
    if (yearPart?.[3]) {
      // "Early 2025": January to April; "mid 2025": May to August; "late 2025": September to December.
      const year = Number(yearPart[3]);
      const part = partWord(yearPart[1] ?? yearPart[2] ?? '');
      const [from, to] = part === 'early' ? [1, 4] : part === 'mid' ? [5, 8] : [9, 12];
      return ranged(
        localDate(year, from, 1),
        localDate(year, to, daysInMonth(year, to)),
        { kind: 'between', from: { year, month: from }, to: { year, month: to } },
        today,
      );
    }

    const monthPart = PART_OF_MONTH.exec(plain);
    if (monthPart?.[3]) {
      const part = partWord(monthPart[1] ?? monthPart[2] ?? '');
      const month = monthNumber(monthPart[3]);
      let year = monthPart[4] ? Number(monthPart[4]) : namedYear(plain, thisYear);
      // Without a year, the most recent such part of the month that had begun.
      if (year === null) year = compareDates(partOfMonth(part, thisYear, month).first, today) <= 0 ? thisYear : thisYear - 1;
      return this.monthPart(part, year, month, hedged, today);
    }

    // A year said in words ("in May last year") that chrono reads as a result of its own.
    const yearHint = namedYear(said, thisYear);
    const rewritten = said
      .replace(HEDGES, ' ')
      // "Last May": chrono knows no such phrase; "May" alone is read as the most recent May.
      .replace(new RegExp(`\\b(?:last|this\\s+past)\\s+(${MONTH_WORDS})\\b`, 'gi'), '$1')
      .replace(/\b(?:a|one)\s+fortnight\b/gi, '2 weeks')
      .replace(/\b(\d+)\s+fortnights\b/gi, (_, count: string) => `${Number(count) * 2} weeks`)
      .replace(/\btwo\s+fortnights\b/gi, '4 weeks')
      // "Between March and May": chrono reads ranges written "March to May".
      .replace(/\bbetween\s+(.+?)\s+and\s+/i, '$1 to ')
      .replace(/\s+/g, ' ')
      .trim();

    const week = WEEK.exec(rewritten);
    if (week?.[1] && /\bweek\b/i.test(rewritten)) {
      // Weeks run Monday to Sunday.
      const monday = addDays(today, 1 - isoWeekday(today));
      const which = week[1].toLowerCase();
      const start = which === 'this' ? monday : addDays(monday, which.includes('before') ? -14 : -7);
      return ranged(start, addDays(start, 6), { kind: 'between', from: { date: start }, to: { date: earlier(addDays(start, 6), today) } }, today);
    }

    const bareDay = BARE_DAY.exec(rewritten);
    if (bareDay) {
      // "The 5th": the most recent 5th that is not in the future.
      const day = Number(bareDay[1] ?? bareDay[2]);
      const date = latestDayOfMonth(day, today);
      return date ? dated(date, today, vague) : { kind: 'impossible', problem: `no month has a day ${day}` };
    }

    const result = chrono.en.GB.parse(rewritten, reference)[0];
    if (!result) return RECENTLY.test(said) ? { kind: 'recently' } : { kind: 'unreadable' };
    if (result.end) {
      const between = this.between(result.start, result.end, yearHint, today);
      if (between) return between;
    }
    const start = result.start;
    const month = start.get('month');
    const sure = (part: 'year' | 'month' | 'day' | 'weekday' | 'hour'): boolean => start.isCertain(part);
    const yearGiven = sure('year') || (yearHint !== null && sure('month'));
    const year = !sure('year') && yearHint !== null && sure('month') ? yearHint : start.get('year');
    const day = start.get('day');
    if (!month || !year || !day) return { kind: 'unreadable' };
    if (year < EARLIEST_YEAR) return { kind: 'impossible', problem: `the year ${year} looks mistyped` };
    const ago = /\bago\b/i.test(rewritten);

    if (!sure('day') && !sure('weekday')) {
      // "This morning", "at 3pm": today.
      if (!sure('year') && !sure('month')) {
        if (!TIME_OF_DAY.test(said)) return RECENTLY.test(said) ? { kind: 'recently' } : { kind: 'unreadable' };
        // Hedges here are about the time ("around 3pm"), not the day.
        return { kind: 'date', date: today };
      }
      // "About 2 years ago": around the month that many years back.
      if (!sure('month') && ago && hedged) {
        const centre = localDate(year, month, Math.min(day, daysInMonth(year, month)));
        return ranged(addMonths(centre, -AROUND_YEARS_AGO), addMonths(centre, AROUND_YEARS_AGO), { kind: 'around-month', year, month }, today);
      }
      // "Last year", "two years ago": only a year.
      if (!sure('month')) return yearReading(year, thisYear);
      // "About 3 months ago": around the part of the month that many months back.
      if (ago && hedged) {
        const centre = localDate(year, month, Math.min(day, daysInMonth(year, month)));
        return this.monthPart(partOf(centre), year, month, true, today);
      }
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
    return dated(date, today, vague || (relative && /\bweeks?\b/i.test(rewritten)));
  }

  /** A part of a month, or (roughly) the days around it. */
  private monthPart(part: PartOfMonth, year: number, month: number, around: boolean, today: LocalDate): DateReading {
    if (year < EARLIEST_YEAR) return { kind: 'impossible', problem: `the year ${year} looks mistyped` };
    const { first, last } = partOfMonth(part, year, month);
    const widen = around ? AROUND_A_PART : 0;
    return ranged(addDays(first, -widen), addDays(last, widen), { kind: 'part-of-month', part, year, month, around }, today);
  }

  /** A range chrono read ("March to May 2025"), in the past unless a year said otherwise; null if its ends are times. */
  private between(start: chrono.ParsedComponents, end: chrono.ParsedComponents, yearHint: number | null, today: LocalDate): DateReading | null {
    let from = rangeEnd(start, yearHint);
    let to = rangeEnd(end, yearHint);
    if (!from || !to) return null;
    if (compareDates(firstDayOf(from), lastDayOf(to)) > 0) {
      // "November to February": over a new year, when no year was given for the first.
      if (!start.isCertain('year')) from = shiftYears(from, -1);
      else [from, to] = [to, from];
    }
    if (!start.isCertain('year') && !end.isCertain('year') && yearHint === null) {
      // No year given: the most recent such stretch that had begun.
      while (compareDates(firstDayOf(from), today) > 0) {
        from = shiftYears(from, -1);
        to = shiftYears(to, -1);
      }
    }
    const earliest = firstDayOf(from);
    if (Number(earliest.slice(0, 4)) < EARLIEST_YEAR) return { kind: 'impossible', problem: `the year ${earliest.slice(0, 4)} looks mistyped` };
    return ranged(earliest, lastDayOf(to), { kind: 'between', from, to }, today);
  }
}

function yearReading(year: number, thisYear: number): DateReading {
  return year > thisYear ? { kind: 'future', date: localDate(year, 1, 1) } : { kind: 'year', year };
}
