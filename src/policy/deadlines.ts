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
import { endOfDayInZone, parseLocalTime, readInZone, startOfDayInZone } from './calendar/zoned-time.js';
import type { Citation, ProcedureDefinition, StageDefinition, TimeLimitDefinition, TimeUnit } from './definition-schema.js';
import { ExtensionNotAllowed } from './errors.js';
import { findProcedure, findStage, findTimeLimit, responseTimeLimit, type Rulebook } from './rulebook.js';
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

/** Why a working-day count did not start on the day something arrived, in words that follow "but". */
export interface StartMoved {
  readonly reason: 'weekend' | 'bank-holiday' | 'after-cut-off';
  /** "that was a Saturday", "that was a bank holiday: Boxing Day (substitute day)", "it came in at 17:30, after the 17:00 cut-off". */
  readonly detail: string;
}

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
  /** True when this count, or a following event's, reached dates the bank-holiday data does not cover. */
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
 * Day 0 of a count for something received at an instant. For working-day limits it is the
 * London date, moved to the next working day when that date is not one or the time is after
 * the cut-off (PROCEDURES.md section 4). Calendar limits (days, months) count from the date
 * itself: the rule runs to the corresponding date whatever day of the week it starts on.
 */
export function startOfCount(calendar: WorkingDayCalendar, received: Date, options: { readonly cutOff?: string | undefined; readonly unit?: TimeUnit } = {}): CountStart {
  const reading = readInZone(received, calendar.timeZone);
  const receivedOn = reading.date;
  const unchanged = { received: received.toISOString(), receivedOn, countsFrom: receivedOn, moved: null };
  if ((options.unit ?? 'working-days') !== 'working-days') return unchanged;
  const reason = nonWorkingReason(calendar, receivedOn);
  if (reason) {
    const detail = reason.kind === 'weekend' ? `that was a ${reason.day}` : `that was a bank holiday: ${reason.title}`;
    return { ...unchanged, countsFrom: workingDayOnOrAfter(calendar, receivedOn), moved: { reason: reason.kind, detail } };
  }
  // "After the cut-off": something arriving at exactly 17:00:00 is still in time.
  if (options.cutOff !== undefined && reading.secondOfDay > parseLocalTime(options.cutOff)) {
    return {
      ...unchanged,
      countsFrom: workingDayOnOrAfter(calendar, addDays(receivedOn, 1)),
      moved: { reason: 'after-cut-off', detail: `it came in at ${clock(reading.secondOfDay)}, after the ${options.cutOff} cut-off` },
    };
  }
  return unchanged;
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

function explain(start: CountStart, amount: number, unit: TimeUnit, due: LocalDate, calendar: WorkingDayCalendar, beyond: boolean, after: string | null): string {
  const parts: string[] = [];
  if (after !== null) {
    parts.push(`It counts from the day ${after}, ${formatLongDate(start.countsFrom)}.`);
  } else if (start.moved) {
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
    parts.push(`The dates reach past ${formatLongDate(calendar.coversThrough)}, the last day our bank holiday list covers, so they assume no bank holidays after then and may turn out later.`);
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
  const start = startOfCount(calendar, received, { cutOff: options.cutOff, unit: limit.unit });
  const counted = countOn(calendar, start.countsFrom, amount, limit.unit);
  const then = following(calendar, stage, limit, counted.due);
  const beyond = counted.beyondCalendarCoverage || then.some((event) => event.beyondCalendarCoverage);
  const earlier = typeof limit.from === 'object' ? stage.timeLimits.find((candidate) => typeof limit.from === 'object' && candidate.id === limit.from.after) : undefined;
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
    explanation: explain(start, amount, limit.unit, counted.due, calendar, beyond, earlier?.description ?? null),
    calendar: calendar.id,
    calendarVersion: calendar.version,
    calendarCoversThrough: calendar.coversThrough,
    beyondCalendarCoverage: beyond,
    then,
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
 * When a stage's response is due, counted from the stage's start. Where the response follows
 * other steps (the Review Panel meets, reports, then the council responds), each earlier step
 * is taken to use all the time it is allowed, which gives the latest date the response is due.
 */
export function computeStageResponseDeadline(
  rulebook: Rulebook, calendar: WorkingDayCalendar,
  request: { readonly procedure: string; readonly stage: string; readonly stageStartedAt: Date; readonly extended?: boolean; readonly cutOff?: string },
): Deadline {
  const procedure = findProcedure(rulebook, request.procedure);
  const { stage } = findStage(procedure, request.stage);
  const target = responseTimeLimit(procedure, stage);
  const first = findTimeLimit(procedure, stage);
  const options = { ...(request.cutOff === undefined ? {} : { cutOff: request.cutOff }) };
  let deadline = deadlineFor(calendar, procedure, stage, first, request.stageStartedAt, { ...options, extended: first === target && (request.extended ?? false) });
  while (deadline.timeLimit !== target.id) {
    const next = stage.timeLimits.find((limit) => typeof limit.from === 'object' && limit.from.after === deadline.timeLimit);
    if (!next) break;
    deadline = deadlineFor(calendar, procedure, stage, next, startOfDayInZone(deadline.due, calendar.timeZone), { extended: next === target && (request.extended ?? false) });
  }
  return deadline;
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
