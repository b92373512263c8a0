/**
 * How an answer to "when did this happen?" is read back: a day in full ("Thursday 3 April
 * 2025"), and an approximate answer at the precision it was given ("sometime in October 2026",
 * "summer 2025 (June to August)", "around early September 2026"), never as a day the person
 * did not give.
 */
import { compareDates, dateParts, daysInMonth, formatLongDate, type LocalDate, localDate, monthName, weekdayName } from '../../src/policy/index.js';
import type { Approximation, PartOfMonth, RangeEnd, Season } from '../../src/ports/date-parser.js';
import type { DraftWhen } from '../draft.js';
import { excerpt } from '../wording.js';

const SEASON_MONTHS: Readonly<Record<Season, readonly [number, number]>> = {
  spring: [3, 5],
  summer: [6, 8],
  autumn: [9, 11],
  winter: [12, 2],
};

const PART_WORDS: Readonly<Record<PartOfMonth, string>> = { early: 'early ', mid: 'mid-', late: 'late ' };

/**
 * An approximate answer as read back, from how it was given and the days it covers.
 * @example describeApproximation({ kind: 'season', season: 'summer', year: 2025 }, '2025-08-31') // 'summer 2025 (June to August)'
 */
export function describeApproximation(approximation: Approximation, latest: LocalDate): string {
  switch (approximation.kind) {
    case 'around-day':
      return `around ${formatLongDate(approximation.date)}`;
    case 'part-of-month': {
      const { around, part, month, year } = approximation;
      return `${around ? 'around ' : ''}${PART_WORDS[part]}${monthName(month)} ${year}`;
    }
    case 'around-month':
      return `around ${monthName(approximation.month)} ${approximation.year}`;
    case 'month':
      return `sometime in ${monthName(approximation.month)} ${approximation.year}`;
    case 'year':
      return `sometime in ${approximation.year}`;
    case 'before':
      return `sometime before ${formatLongDate(approximation.date)}`;
    case 'season': {
      const [first, last] = SEASON_MONTHS[approximation.season];
      const year = approximation.season === 'winter' ? `${approximation.year - 1} to ${approximation.year}` : String(approximation.year);
      // A season still going on ("this summer", asked in July) is only as far as today.
      const ended = compareDates(latest, localDate(approximation.year, last, daysInMonth(approximation.year, last))) === 0;
      return `${approximation.season} ${year} (${monthName(first)} ${ended ? 'to' : 'up to'} ${ended ? monthName(last) : formatLongDate(latest)})`;
    }
    case 'between':
      return betweenWords(approximation.from, approximation.to);
  }
}

/** "sometime between Monday 9 and Sunday 15 November 2026", "sometime between March and May 2025". */
function betweenWords(from: RangeEnd, to: RangeEnd): string {
  if ('date' in from && 'date' in to) {
    if (compareDates(from.date, to.date) === 0) return formatLongDate(from.date);
    const start = dateParts(from.date);
    const end = dateParts(to.date);
    const first =
      start.year !== end.year
        ? formatLongDate(from.date)
        : start.month !== end.month
          ? `${weekdayName(from.date)} ${start.day} ${monthName(start.month)}`
          : `${weekdayName(from.date)} ${start.day}`;
    return `sometime between ${first} and ${formatLongDate(to.date)}`;
  }
  if (!('date' in from) && !('date' in to)) {
    if (from.year === to.year && from.month === to.month) return `sometime in ${monthName(from.month)} ${from.year}`;
    const first = from.year === to.year ? monthName(from.month) : `${monthName(from.month)} ${from.year}`;
    return `sometime between ${first} and ${monthName(to.month)} ${to.year}`;
  }
  return `sometime between ${endWords(from)} and ${endWords(to)}`;
}

function endWords(end: RangeEnd): string {
  return 'date' in end ? formatLongDate(end.date) : `${monthName(end.month)} ${end.year}`;
}

/**
 * The "when" line of the summary: as it was read back and confirmed, and whether it is when
 * they found out. A draft saved before approximate dates were kept as ranges has no read-back.
 */
export function whenInSummary(when: DraftWhen): string {
  const foundOut = when.basis === 'first-knew' ? ' (when you found out)' : '';
  if (when.readAs) return `${when.readAs}${foundOut}`;
  if (!when.date) return `not known (you said "${excerpt(when.said, 80)}")`;
  return `${when.certainty === 'approximate' ? 'around ' : ''}${formatLongDate(when.date)}${foundOut}`;
}
