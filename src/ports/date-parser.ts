/**
 * Reading a date from a person's own words ("last Tuesday", "3/4/2025", "a fortnight ago").
 * The answer says how sure the reading is, so the conversation can confirm it, ask again, or
 * record it as approximate, rather than guess wrong.
 */
import type { LocalDate } from '../policy/index.js';

/** One end of a range as the person gave it: a day, or only a month. */
export type RangeEnd = { readonly date: LocalDate } | { readonly year: number; readonly month: number };

/** The first, middle or last third of a month (days 1-10, 11-20, 21 to the end). */
export type PartOfMonth = 'early' | 'mid' | 'late';

/** The seasons as the Met Office counts them. */
export type Season = 'spring' | 'summer' | 'autumn' | 'winter';

/**
 * How precise an approximate answer was, so it can be read back at that precision and never
 * as a day the person did not give.
 */
export type Approximation =
  /** Around a day: "around Christmas", "about 10 days ago", "two weeks ago". */
  | { readonly kind: 'around-day'; readonly date: LocalDate }
  /** A part of a month: "early June"; "around early September" for "about 3 months ago". */
  | { readonly kind: 'part-of-month'; readonly part: PartOfMonth; readonly year: number; readonly month: number; readonly around: boolean }
  /** Around a month: "about 2 years ago" is around November 2024. */
  | { readonly kind: 'around-month'; readonly year: number; readonly month: number }
  /** A whole month: "sometime in October 2026". */
  | { readonly kind: 'month'; readonly year: number; readonly month: number }
  /** A season: "summer 2025" (winter is counted in the year it ends, so "winter 2025" spans January 2025). */
  | { readonly kind: 'season'; readonly season: Season; readonly year: number }
  /** A whole year: "sometime in 2024". */
  | { readonly kind: 'year'; readonly year: number }
  /** A stretch between two ends: "March to May 2025", "last week", "3/4/2025 to 10/4/2025". */
  | { readonly kind: 'between'; readonly from: RangeEnd; readonly to: RangeEnd }
  /** Only that it was before a day: "longer ago" than the last few weeks, and not sure when. */
  | { readonly kind: 'before'; readonly date: LocalDate };

/** What a person's answer to "when?" turned out to mean. */
export type DateReading =
  /** A day, as the person gave it. */
  | { readonly kind: 'date'; readonly date: LocalDate }
  /**
   * A stretch of days, none of them in the future: the first and last it could have been, and
   * how it was given ("summer 2025", "about 3 months ago", "last week").
   */
  | { readonly kind: 'range'; readonly earliest: LocalDate; readonly latest: LocalDate; readonly approximation: Approximation }
  /** Only a month ("in March", "last month"): the most recent one, unless a year was given. */
  | { readonly kind: 'month'; readonly year: number; readonly month: number }
  /** Only a year ("1990", "in 2023"). */
  | { readonly kind: 'year'; readonly year: number }
  /** Recently, but no more than that ("the other day", "a while back"): worth asking roughly when. */
  | { readonly kind: 'recently' }
  /** A day after today (for a range, its first day). */
  | { readonly kind: 'future'; readonly date: LocalDate }
  /** A date that does not exist (31/02/2025, 13/13/2025), with what is wrong in plain words. */
  | { readonly kind: 'impossible'; readonly problem: string }
  /** They said they do not know ("not sure", "idk"). */
  | { readonly kind: 'unknown' }
  /** Nothing in the words could be read as a date. */
  | { readonly kind: 'unreadable' };

/** Reads dates in British English, relative to now in London. */
export interface DateParser {
  read(text: string, now: Date): DateReading;
}
