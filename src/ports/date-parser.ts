/**
 * Reading a date from a person's own words ("last Tuesday", "3/4/2025", "a fortnight ago").
 * The answer says how sure the reading is, so the conversation can confirm it, ask again, or
 * record it as approximate, rather than guess wrong.
 */
import type { LocalDate } from '../policy/index.js';

/** What a person's answer to "when?" turned out to mean. */
export type DateReading =
  /** A day. "approximate" when their words were ("around Christmas", "two weeks ago"). */
  | { readonly kind: 'date'; readonly date: LocalDate; readonly certainty: 'exact' | 'approximate' }
  /** Only a month ("in March", "last month"): the most recent one, unless a year was given. */
  | { readonly kind: 'month'; readonly year: number; readonly month: number }
  /** Only a year ("1990", "in 2023"). */
  | { readonly kind: 'year'; readonly year: number }
  /** A day after today. */
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
