/**
 * Whether a complaint is late for its procedure. A late complaint is never refused: the policy
 * says so, asks why, and flags the case for a decision (PROCEDURES.md, sections 2 and 3).
 */
import { type LocalDate, compareDates, formatLongDate } from './calendar/local-date.js';
import type { WorkingDayCalendar } from './calendar/working-days.js';
import { dateInZone } from './calendar/zoned-time.js';
import { windowClosesOn } from './deadlines.js';
import type { Citation } from './definition-schema.js';
import { findProcedure, type Rulebook } from './rulebook.js';

/** What we know about when the matter happened and when the complaint arrived. */
export interface TimelinessFacts {
  readonly procedure: string;
  /** When the matter happened, if known. */
  readonly happenedOn?: LocalDate;
  /**
   * When only a range of days is known ("summer 2025"), the last of them. The time limit is
   * counted from it, the reading most favourable to the complainant; `happenedOn` wins if both are given.
   */
  readonly happenedBy?: LocalDate;
  /** When the person first knew about it, if later than when it happened. */
  readonly firstKnewOn?: LocalDate;
  /** As `happenedBy`, for when they first knew. */
  readonly firstKnewBy?: LocalDate;
  /** When the complaint was (or is being) made. */
  readonly receivedAt: Date;
}

/** The result: on time, late (flag for a decision), or no limit to apply. */
export type Timeliness =
  | { readonly status: 'no-time-limit' }
  | { readonly status: 'unknown'; readonly explanation: string }
  | {
      readonly status: 'on-time' | 'late';
      /** The last day a complaint is normally accepted. */
      readonly limitEndsOn: LocalDate;
      readonly countedFrom: LocalDate;
      readonly rule: string;
      readonly citation: Citation;
      /** What to do with a late one: always a decision, never a refusal. */
      readonly handling: 'flag-for-decision' | null;
      readonly explanation: string;
    };

/**
 * Checks a complaint against its procedure's time limit, counting from when it happened or,
 * where the procedure says so, from the later of that and when the person first knew. Where
 * only a range of days is known, it counts from the last of them, and says so.
 * @example assessTimeliness(rulebook, cal, { procedure: 'nhs-health', happenedOn: '2024-01-10', receivedAt: new Date('2025-03-01') }).status // 'late'
 */
export function assessTimeliness(rulebook: Rulebook, calendar: WorkingDayCalendar, facts: TimelinessFacts): Timeliness {
  const limit = findProcedure(rulebook, facts.procedure).complaintTimeLimit;
  if (!limit) return { status: 'no-time-limit' };
  // "event": the grounds arose when it happened (reg 9); we fall back to when they found out
  // only when that is all we know. "event-or-first-notice": the later of the two (reg 12).
  const happened = facts.happenedOn ?? facts.happenedBy;
  const firstKnew = facts.firstKnewOn ?? facts.firstKnewBy;
  const countedFrom =
    limit.from === 'event'
      ? (happened ?? firstKnew)
      : [happened, firstKnew]
          .filter((date): date is LocalDate => date !== undefined)
          .sort(compareDates)
          .pop();
  if (!countedFrom) {
    return { status: 'unknown', explanation: `We need to know when it happened, or when you found out, to check the time limit (${limit.description}).` };
  }
  const limitEndsOn = windowClosesOn(calendar, countedFrom, limit.amount, limit.unit, limit.counting).due;
  const receivedOn = dateInZone(facts.receivedAt, calendar.timeZone);
  const late = compareDates(receivedOn, limitEndsOn) > 0;
  const approximate = countedFrom !== facts.happenedOn && countedFrom !== facts.firstKnewOn;
  const from = approximate ? ` (counting from ${formatLongDate(countedFrom)}, the latest it could have been)` : '';
  const explanation = late
    ? `Normally ${limit.description}, which for this complaint was by ${formatLongDate(limitEndsOn)}${from}. ` +
      `It can still be looked at if ${limit.lateAcceptedWhen}, so we will ask why it is being made now, and a manager will decide.`
    : `This is within the time limit (${limit.description}); the last day to complain is ${formatLongDate(limitEndsOn)}${from}.`;
  return {
    status: late ? 'late' : 'on-time',
    limitEndsOn,
    countedFrom,
    rule: limit.description,
    citation: limit.citation,
    handling: late ? limit.lateComplaints : null,
    explanation,
  };
}

/** Whether a date is after today's London date (a complainant's "when it happened" cannot be). */
export function isInFuture(date: LocalDate, now: Date, calendar: WorkingDayCalendar): boolean {
  return compareDates(date, dateInZone(now, calendar.timeZone)) > 0;
}
