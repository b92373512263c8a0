/**
 * Deadlines for responses, meetings and acknowledgements, each carrying what it came from
 * (rule, citation, start, amount, unit, calendar version) so it can be recomputed and defended.
 *
 * Counting follows PROCEDURES.md section 4: the day of receipt is day 0 and the deadline is the
 * end of the Nth working day after it; something received on a weekend, a bank holiday or after
 * the daily cut-off counts as received on the next working day. Calendar limits count to the
 * corresponding date, or the last day of a shorter month.
 */
import { type LocalDate, addDays, addMonths, formatLongDate } from './calendar/local-date.js';
import {
  type WorkingDayCalendar, addWorkingDays, isCovered, nonWorkingReason, workingDayOnOrAfter,
} from './calendar/working-days.js';
import { endOfDayInZone, parseLocalTime, readInZone } from './calendar/zoned-time.js';
import type { Citation, ProcedureDefinition, StageDefinition, TimeLimitDefinition, TimeUnit } from './definition-schema.js';
import { ExtensionNotAllowed } from './errors.js';
import { findProcedure, findStage, findTimeLimit, type Rulebook } from './rulebook.js';
import { amountText, timeLimitText } from './wording.js';

/** What to compute a deadline for. */
export interface DeadlineRequest {
  readonly procedure: string;
  readonly stage: string;
  /** Which of the stage's time limits; its first (the one counted from the stage's start) by default. */
  readonly timeLimit?: string;
  /** When the complaint or request arrived, or when the earlier event a chained limit counts from happened. */
  readonly received: Date;
  /** Use the longest extension the procedure allows. */
  readonly extended?: boolean;
  /** Local time (HH:MM) after which something received counts as received the next working day. */
  readonly cutOff?: string;
}

/** Why the count did not start on the day something arrived. */
export type StartMoved =
  | { readonly reason: 'weekend' | 'bank-holiday'; readonly detail: string }
  | { readonly reason: 'after-cut-off'; readonly detail: string };

/** Where a count starts. */
export interface CountStart {
  /** The instant received, ISO-8601 in UTC. */
  readonly received: string;
  /** The date received, in the calendar's zone (London). */
  readonly receivedOn: LocalDate;
  /** Day 0 of the count: the date received, or the next working day. */
  readonly countsFrom: LocalDate;
  readonly moved: StartMoved | null;
}

/** An event that follows in the same stage, dated as if each earlier step took its full time. */
export interface FollowingEvent {
  readonly timeLimit: string;
  readonly kind: TimeLimitDefinition['kind'];
  readonly description: string;
  readonly due: LocalDate;
  readonly dueText: string;
  readonly ruleText: string;
  readonly citation: Citation;
  readonly beyondCalendarCoverage: boolean;
}

/** A computed deadline with its provenance. */
export interface Deadline {
  readonly procedure: string;
  readonly stage: string;
  readonly timeLimit: string;
  readonly kind: TimeLimitDefinition['kind'];
  /** The last day, as a London date. */
  readonly due: LocalDate;
  /** The due date as people read it: "Thursday 3 April 2025". */
  readonly dueText: string;
  /** The last moment of the due date, ISO-8601 in UTC. */
  readonly endsAt: string;
  readonly rule: {
    readonly description: string;
    readonly text: string;
    readonly amount: number;
    readonly unit: TimeUnit;
    readonly standardAmount: number;
    readonly extended: boolean;
    readonly extensionWhen: string | null;
  };
  readonly citation: Citation;
  readonly extensionCitation: Citation | null;
  readonly start: CountStart;
  /** How the date was reached, in plain words, for the complainant and for staff. */
  readonly explanation: string;
  readonly calendar: string;
  readonly calendarVersion: string;
  readonly calendarCoversThrough: LocalDate;
  /** True when the count reached dates the bank-holiday data does not cover; the date may then move. */
  readonly beyondCalendarCoverage: boolean;
  readonly then: readonly FollowingEvent[];
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function clock(secondOfDay: number): string {
  const minutes = Math.floor(secondOfDay / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Day 0 of a count for something received at an instant: its London date, moved to the next
 * working day when that date is not one or the time is at or after the cut-off.
 */
export function startOfCount(calendar: WorkingDayCalendar, received: Date, cutOff?: string): CountStart {
  const reading = readInZone(received, calendar.timeZone);
  const receivedOn = reading.date;
  const reason = nonWorkingReason(calendar, receivedOn);
  let countsFrom = receivedOn;
  let moved: StartMoved | null = null;
  if (reason) {
    countsFrom = workingDayOnOrAfter(calendar, receivedOn);
    moved = reason.kind === 'weekend'
      ? { reason: 'weekend', detail: `${formatLongDate(receivedOn)} is a ${reason.day}` }
      : { reason: 'bank-holiday', detail: `${formatLongDate(receivedOn)} is a bank holiday (${reason.title})` };
  } else if (cutOff !== undefined && reading.secondOfDay >= parseLocalTime(cutOff)) {
    countsFrom = workingDayOnOrAfter(calendar, addDays(receivedOn, 1));
    moved = { reason: 'after-cut-off', detail: `it arrived at ${clock(reading.secondOfDay)}, after the ${cutOff} cut-off` };
  }
  return { received: received.toISOString(), receivedOn, countsFrom, moved };
}

interface Counted {
  readonly due: LocalDate;
  readonly beyondCalendarCoverage: boolean;
}

function countOn(calendar: WorkingDayCalendar, from: LocalDate, amount: number, unit: TimeUnit): Counted {
  switch (unit) {
    case 'working-days': {
      const due = addWorkingDays(calendar, from, amount);
      return { due, beyondCalendarCoverage: !isCovered(calendar, from) || !isCovered(calendar, due) };
    }
    case 'calendar-days':
      return { due: addDays(from, amount), beyondCalendarCoverage: false };
    case 'months':
      return { due: addMonths(from, amount), beyondCalendarCoverage: false };
  }
}

function explain(start: CountStart, amount: number, unit: TimeUnit, due: LocalDate, calendar: WorkingDayCalendar, beyond: boolean): string {
  const parts: string[] = [];
  if (start.moved) {
    parts.push(`It arrived on ${formatLongDate(start.receivedOn)}, but ${start.moved.detail}, so it counts as received on the next working day, ${formatLongDate(start.countsFrom)}.`);
  } else {
    parts.push(`It counts as received on ${formatLongDate(start.countsFrom)}.`);
  }
  if (unit === 'working-days') {
    parts.push(`That day is day 0; the deadline is the end of the ${ordinal(amount)} working day after it, ${formatLongDate(due)}. Working days are Monday to Friday, not counting bank holidays in England and Wales.`);
  } else {
    parts.push(`The deadline is ${amountText(amount, unit)} after that, ${formatLongDate(due)}${unit === 'months' ? ' (the same date in the later month, or its last day if that month is shorter)' : ''}.`);
  }
  if (beyond) {
    parts.push(`This reaches past ${formatLongDate(calendar.coversThrough)}, the last day our bank holiday list covers, so it assumes no bank holidays after then and the real deadline may be later.`);
  }
  return parts.join(' ');
}

function resolveAmount(procedure: ProcedureDefinition, stage: StageDefinition, limit: TimeLimitDefinition, extended: boolean): number {
  if (!extended) return limit.amount;
  if (!limit.extension) throw new ExtensionNotAllowed(procedure.id, stage.id, limit.id);
  return limit.extension.upTo;
}

function following(calendar: WorkingDayCalendar, stage: StageDefinition, from: TimeLimitDefinition, fromDue: LocalDate): FollowingEvent[] {
  const events: FollowingEvent[] = [];
  let previous = from;
  let previousDue = fromDue;
  for (;;) {
    const next = stage.timeLimits.find((limit) => typeof limit.from === 'object' && limit.from.after === previous.id);
    if (!next) return events;
    const counted = countOn(calendar, workingDayOnOrAfter(calendar, previousDue), next.amount, next.unit);
    events.push({
      timeLimit: next.id, kind: next.kind, description: next.description, due: counted.due, dueText: formatLongDate(counted.due),
      ruleText: timeLimitText(next, stage), citation: next.citation, beyondCalendarCoverage: counted.beyondCalendarCoverage,
    });
    previous = next;
    previousDue = counted.due;
  }
}

function deadlineFor(
  calendar: WorkingDayCalendar, procedure: ProcedureDefinition, stage: StageDefinition, limit: TimeLimitDefinition,
  received: Date, options: { extended?: boolean; cutOff?: string },
): Deadline {
  const extended = options.extended ?? false;
  const amount = resolveAmount(procedure, stage, limit, extended);
  const start = startOfCount(calendar, received, options.cutOff);
  const counted = countOn(calendar, start.countsFrom, amount, limit.unit);
  return {
    procedure: procedure.id,
    stage: stage.id,
    timeLimit: limit.id,
    kind: limit.kind,
    due: counted.due,
    dueText: formatLongDate(counted.due),
    endsAt: endOfDayInZone(counted.due, calendar.timeZone).toISOString(),
    rule: {
      description: limit.description,
      text: timeLimitText(limit, stage, { extended }),
      amount,
      unit: limit.unit,
      standardAmount: limit.amount,
      extended,
      extensionWhen: limit.extension?.when ?? null,
    },
    citation: limit.citation,
    extensionCitation: extended ? limit.extension?.citation ?? null : null,
    start,
    explanation: explain(start, amount, limit.unit, counted.due, calendar, counted.beyondCalendarCoverage),
    calendar: calendar.id,
    calendarVersion: calendar.version,
    calendarCoversThrough: calendar.coversThrough,
    beyondCalendarCoverage: counted.beyondCalendarCoverage,
    then: following(calendar, stage, limit, counted.due),
  };
}

/**
 * The deadline for one of a stage's time limits.
 * @example computeDeadline(rulebook, calendar, { procedure: 'la-childrens-services', stage: 'stage-1', received: new Date('2025-04-03T10:00:00+01:00') }).due // '2025-04-17'
 */
export function computeDeadline(rulebook: Rulebook, calendar: WorkingDayCalendar, request: DeadlineRequest): Deadline {
  const procedure = findProcedure(rulebook, request.procedure);
  const { stage } = findStage(procedure, request.stage);
  const limit = findTimeLimit(procedure, stage, request.timeLimit);
  return deadlineFor(calendar, procedure, stage, limit, request.received, request);
}

/**
 * When the complaint must be acknowledged, for procedures that set a time (the 2009 NHS
 * regulations: 3 working days); `null` where the procedure sets none.
 */
export function computeAcknowledgementDeadline(
  rulebook: Rulebook, calendar: WorkingDayCalendar, request: { readonly procedure: string; readonly received: Date; readonly cutOff?: string },
): Deadline | null {
  const procedure = findProcedure(rulebook, request.procedure);
  const limit = procedure.acknowledgement;
  const firstStage = procedure.stages[0];
  if (!limit || !firstStage) return null;
  return deadlineFor(calendar, procedure, firstStage, limit, request.received, request.cutOff === undefined ? {} : { cutOff: request.cutOff });
}

/**
 * The date a window measured in calendar or working days closes, counted like a deadline from
 * the given date (a response's date, or when someone first knew of a problem).
 */
export function windowClosesOn(calendar: WorkingDayCalendar, from: LocalDate, amount: number, unit: TimeUnit): Counted {
  const start = unit === 'working-days' ? workingDayOnOrAfter(calendar, from) : from;
  return countOn(calendar, start, amount, unit);
}
