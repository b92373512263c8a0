/**
 * Deadlines for responses, meetings and acknowledgements, each carrying what it came from
 * (rule, citation, start, amount, unit, counting convention, calendar version) so it can be
 * recomputed and defended.
 *
 * Counting follows the provisions' own words (PROCEDURES.md section 4). "Within N working days of
 * receipt" and "not later than N working days after the day on which it receives": the London
 * date of receipt is day 0, whatever day of the week or holiday it is, and the deadline is the
 * end of the Nth working day after it. Moving a weekend receipt to Monday before counting would
 * promise a date one working day later than the law allows. Month periods "from" a day end on the
 * corresponding date; periods "beginning with" a day end the day before it. An organisation may
 * choose a daily cut-off after which receipt counts as the next day: a local choice, named as
 * such wherever it moved a date.
 */
import { type LocalDate, addDays, addMonths, compareDates, dateParts, formatLongDate, toDayNumber } from './calendar/local-date.js';
import { type WorkingDayCalendar, addWorkingDays, isCovered, usesComputedHolidays } from './calendar/working-days.js';
import { endOfDayInZone, parseLocalTime, readInZone, startOfDayInZone } from './calendar/zoned-time.js';
import type { Citation, Counting, ProcedureDefinition, StageDefinition, TimeLimitDefinition, TimeUnit } from './definition-schema.js';
import { AgreedResponseDateInPast, AgreedResponseNotAllowed, ExtensionNotAllowed } from './errors.js';
import { findProcedure, findStage, findTimeLimit, responseTimeLimit, type Rulebook } from './rulebook.js';
import { amountText, countingText, timeLimitText } from './wording.js';

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

/** Why a count did not start on the day something arrived: only ever the organisation's own cut-off. */
export interface StartMoved {
  readonly reason: 'after-cut-off';
  /** "it came in at 17:30, after the organisation’s 17:00 cut-off (a local choice, not the law)". */
  readonly detail: string;
}

/** Where a count starts. */
export interface CountStart {
  /** The instant received, ISO-8601 in UTC. */
  readonly received: string;
  /** The date received, in the calendar's zone (London). */
  readonly receivedOn: LocalDate;
  /** The day the count runs from: the date received, or the next day after the organisation's cut-off. */
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
  readonly counting: Counting;
  readonly orAsSoonAsPracticable: boolean;
  readonly citation: Citation;
  readonly beyondCalendarCoverage: boolean;
  readonly computedHolidays: boolean;
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
    /** The provision lets the date pass where meeting it is not reasonably practicable. */
    readonly orAsSoonAsPracticable: boolean;
  };
  /** How the period was counted from its first day, as the provision words it, and in plain words. */
  readonly counting: { readonly convention: Counting; readonly text: string };
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
  /**
   * True when this count, or a following event's, crossed a year whose bank holidays GOV.UK has
   * not yet published and the calendar computed from the fixed rules (a one-off could move it).
   */
  readonly computedHolidays: boolean;
  readonly then: readonly FollowingEvent[];
}

/** The suffixes that are not "th", by last digit (11th to 13th aside). */
const ORDINAL_SUFFIXES: Readonly<Record<number, string>> = { 1: 'st', 2: 'nd', 3: 'rd' };

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (ORDINAL_SUFFIXES[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function clock(secondOfDay: number): string {
  const minutes = Math.floor(secondOfDay / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Where a count starts for something received at an instant: its London date, whatever day that
 * is. With the organisation's optional cut-off, something arriving after it counts as received
 * the next day; the result names that as the local choice it is.
 */
export function startOfCount(calendar: WorkingDayCalendar, received: Date, options: { readonly cutOff?: string | undefined } = {}): CountStart {
  const reading = readInZone(received, calendar.timeZone);
  const receivedOn = reading.date;
  const unchanged = { received: received.toISOString(), receivedOn, countsFrom: receivedOn, moved: null };
  // "After the cut-off": something arriving at exactly 17:00:00 is still in time.
  if (options.cutOff !== undefined && reading.secondOfDay > parseLocalTime(options.cutOff)) {
    return {
      ...unchanged,
      countsFrom: addDays(receivedOn, 1),
      moved: {
        reason: 'after-cut-off',
        detail: `it came in at ${clock(reading.secondOfDay)}, after the organisation’s ${options.cutOff} cut-off (a local choice, not the law)`,
      },
    };
  }
  return unchanged;
}

interface Counted {
  readonly due: LocalDate;
  readonly beyondCalendarCoverage: boolean;
  readonly computedHolidays: boolean;
}

/**
 * The last day of months beginning with a day: the day before the corresponding date, or, where
 * the later month has no such date, that month's last day (12 months beginning with 1 March 2027
 * end on 29 February 2028; 6 months beginning with 31 August 2025 on 28 February 2026).
 */
function monthsBeginningWith(from: LocalDate, months: number): LocalDate {
  const corresponding = addMonths(from, months);
  return dateParts(corresponding).day === dateParts(from).day ? addDays(corresponding, -1) : corresponding;
}

/**
 * The last day of a period of `amount` units counted from `from`. Working or calendar days
 * beginning with a day are the same as days counted after the day before it.
 */
function countOn(calendar: WorkingDayCalendar, from: LocalDate, amount: number, unit: TimeUnit, counting: Counting): Counted {
  const dayZero = counting === 'beginning-with' ? addDays(from, -1) : from;
  switch (unit) {
    case 'working-days': {
      const due = addWorkingDays(calendar, dayZero, amount);
      return {
        due,
        beyondCalendarCoverage: !isCovered(calendar, dayZero) || !isCovered(calendar, due),
        computedHolidays: usesComputedHolidays(calendar, dayZero, due),
      };
    }
    // Calendar periods do not depend on bank holidays.
    case 'calendar-days':
      return { due: addDays(dayZero, amount), beyondCalendarCoverage: false, computedHolidays: false };
    case 'months':
      return {
        due: counting === 'beginning-with' ? monthsBeginningWith(from, amount) : addMonths(from, amount),
        beyondCalendarCoverage: false,
        computedHolidays: false,
      };
  }
}

function explain(
  start: CountStart,
  amount: number,
  unit: TimeUnit,
  counting: Counting,
  due: LocalDate,
  calendar: WorkingDayCalendar,
  beyond: boolean,
  computed: boolean,
  after: string | null,
  orAsSoonAsPracticable: boolean,
): string {
  const parts: string[] = [];
  if (after !== null) {
    parts.push(`It counts from the day ${after}, ${formatLongDate(start.countsFrom)}.`);
  } else if (start.moved) {
    parts.push(
      `It arrived on ${formatLongDate(start.receivedOn)}, but ${start.moved.detail}, so it counts as received the next day, ` +
        `${formatLongDate(start.countsFrom)}.`,
    );
  } else {
    parts.push(`It was received on ${formatLongDate(start.countsFrom)}.`);
  }
  const from = after !== null ? 'that day' : 'the day it was received';
  if (unit === 'working-days') {
    parts.push(
      counting === 'beginning-with'
        ? `The period begins with ${from}, which counts as day 1 if it is a working day; the deadline is the end of the ${ordinal(amount)} working day, ` +
            `${formatLongDate(due)}.`
        : `${capitalise(from)} is not counted; the deadline is the end of the ${ordinal(amount)} working day after it, ${formatLongDate(due)}.`,
    );
    parts.push('Working days are Monday to Friday, not counting bank holidays in England and Wales.');
  } else if (unit === 'months') {
    parts.push(
      counting === 'beginning-with'
        ? `The ${amountText(amount, unit)} begin with ${from}, so they end the day before the same date in the later month (or on that month’s last day ` +
            `if it has no such date): ${formatLongDate(due)}.`
        : `The deadline is ${amountText(amount, unit)} after that, ${formatLongDate(due)} (the same date in the later month, or its last day if that ` +
            `month is shorter).`,
    );
  } else {
    parts.push(
      `The deadline is ${amountText(amount, unit)} ${counting === 'beginning-with' ? `counting ${from} as the first` : 'after that'}, ${formatLongDate(due)}.`,
    );
  }
  if (orAsSoonAsPracticable) {
    parts.push('The regulation allows it to come later only where that date is not reasonably practicable, and then as soon as it is.');
  }
  if (computed && !beyond) {
    parts.push(
      `The dates reach past ${formatLongDate(calendar.publishedThrough)}, after which GOV.UK has not yet published the bank holidays: we count the ones ` +
        `that follow from the fixed rules (New Year, Easter, May, August and Christmas), and a one-off holiday could still move the date.`,
    );
  }
  if (beyond) {
    parts.push(
      `The dates reach past ${formatLongDate(calendar.coversThrough)}, the last day our bank holiday list covers, so they assume no bank holidays after ` +
        `then and may turn out later.`,
    );
  }
  return parts.join(' ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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
    const counted = countOn(calendar, previousDue, next.amount, next.unit, next.counting);
    events.push({
      timeLimit: next.id,
      kind: next.kind,
      description: next.description,
      due: counted.due,
      dueText: formatLongDate(counted.due),
      ruleText: timeLimitText(next, stage),
      counting: next.counting,
      orAsSoonAsPracticable: next.orAsSoonAsPracticable,
      citation: next.citation,
      beyondCalendarCoverage: counted.beyondCalendarCoverage,
      computedHolidays: counted.computedHolidays,
    });
    previous = next;
    previousDue = counted.due;
  }
}

function deadlineFor(
  calendar: WorkingDayCalendar,
  procedure: ProcedureDefinition,
  stage: StageDefinition,
  limit: TimeLimitDefinition,
  received: Date,
  options: { extended?: boolean; cutOff?: string },
): Deadline {
  const extended = options.extended ?? false;
  const amount = resolveAmount(procedure, stage, limit, extended);
  const start = startOfCount(calendar, received, { cutOff: options.cutOff });
  const counted = countOn(calendar, start.countsFrom, amount, limit.unit, limit.counting);
  const then = following(calendar, stage, limit, counted.due);
  const beyond = counted.beyondCalendarCoverage || then.some((event) => event.beyondCalendarCoverage);
  const computed = counted.computedHolidays || then.some((event) => event.computedHolidays);
  const earlier =
    typeof limit.from === 'object' ? stage.timeLimits.find((candidate) => typeof limit.from === 'object' && candidate.id === limit.from.after) : undefined;
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
      orAsSoonAsPracticable: limit.orAsSoonAsPracticable,
    },
    counting: { convention: limit.counting, text: countingText(limit.counting, limit.unit) },
    citation: limit.citation,
    extensionCitation: extended ? (limit.extension?.citation ?? null) : null,
    start,
    explanation: explain(
      start,
      amount,
      limit.unit,
      limit.counting,
      counted.due,
      calendar,
      beyond,
      computed,
      earlier?.description ?? null,
      limit.orAsSoonAsPracticable,
    ),
    calendar: calendar.id,
    calendarVersion: calendar.version,
    calendarCoversThrough: calendar.coversThrough,
    beyondCalendarCoverage: beyond,
    computedHolidays: computed,
    then,
  };
}

/**
 * The deadline for one of a stage's time limits.
 * @example computeDeadline(rulebook, calendar, { procedure: 'la-childrens-services', stage: 'stage-1', received: new Date('2025-04-03T10:00:00+01:00')
 * }).due // '2025-04-17'
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
  rulebook: Rulebook,
  calendar: WorkingDayCalendar,
  request: { readonly procedure: string; readonly stage: string; readonly stageStartedAt: Date; readonly extended?: boolean; readonly cutOff?: string },
): Deadline {
  const procedure = findProcedure(rulebook, request.procedure);
  const { stage } = findStage(procedure, request.stage);
  const target = responseTimeLimit(procedure, stage);
  const first = findTimeLimit(procedure, stage);
  const options = { ...(request.cutOff === undefined ? {} : { cutOff: request.cutOff }) };
  let deadline = deadlineFor(calendar, procedure, stage, first, request.stageStartedAt, {
    ...options,
    extended: first === target && (request.extended ?? false),
  });
  while (deadline.timeLimit !== target.id) {
    const next = stage.timeLimits.find((limit) => typeof limit.from === 'object' && limit.from.after === deadline.timeLimit);
    if (!next) break;
    deadline = deadlineFor(calendar, procedure, stage, next, startOfDayInZone(deadline.due, calendar.timeZone), {
      extended: next === target && (request.extended ?? false),
    });
  }
  return deadline;
}

/**
 * When the complaint must be acknowledged, for procedures that set a time (the 2009 NHS
 * regulations: 3 working days); `null` where the procedure sets none.
 */
export function computeAcknowledgementDeadline(
  rulebook: Rulebook,
  calendar: WorkingDayCalendar,
  request: { readonly procedure: string; readonly received: Date; readonly cutOff?: string },
): Deadline | null {
  const procedure = findProcedure(rulebook, request.procedure);
  const limit = procedure.acknowledgement;
  const firstStage = procedure.stages[0];
  if (!limit || !firstStage) return null;
  return deadlineFor(calendar, procedure, firstStage, limit, request.received, request.cutOff === undefined ? {} : { cutOff: request.cutOff });
}

/**
 * The last day of a window the complainant must meet (to ask for the next stage, to go to the
 * ombudsman, to complain at all), counted from a date as its provision words it. Never moved to a
 * later start: a window told to a complainant must be the earliest the law could end it.
 * @example windowClosesOn(cal, '2025-04-03', 12, 'months', 'beginning-with').due // '2026-04-02'
 */
export function windowClosesOn(calendar: WorkingDayCalendar, from: LocalDate, amount: number, unit: TimeUnit, counting: Counting): Counted {
  return countOn(calendar, from, amount, unit, counting);
}

/** A response date agreed with the complainant, and when it was agreed. */
export interface AgreedResponseRequest {
  readonly procedure: string;
  readonly stage: string;
  /** When the date was agreed (recorded). */
  readonly agreedAt: Date;
  /** The London date by which the response is to be sent. */
  readonly agreedOn: LocalDate;
}

/**
 * A response date agreed with the complainant (SI 2009/309 reg 13(3)) as a deadline: lateness,
 * and the duty to explain a delay when it is past, follow it. Throws `AgreedResponseNotAllowed`
 * where the stage's time limits are fixed, and `AgreedResponseDateInPast` for a day gone.
 */
export function computeAgreedResponseDeadline(rulebook: Rulebook, calendar: WorkingDayCalendar, request: AgreedResponseRequest): Deadline {
  const procedure = findProcedure(rulebook, request.procedure);
  const { stage } = findStage(procedure, request.stage);
  if (!stage.agreedResponse) throw new AgreedResponseNotAllowed(procedure.id, stage.id);
  const start = startOfCount(calendar, request.agreedAt);
  if (compareDates(request.agreedOn, start.receivedOn) < 0) throw new AgreedResponseDateInPast(request.agreedOn, start.receivedOn);
  const amount = toDayNumber(request.agreedOn) - toDayNumber(start.receivedOn);
  const dueText = formatLongDate(request.agreedOn);
  return {
    procedure: procedure.id,
    stage: stage.id,
    timeLimit: 'agreed-response',
    kind: 'response',
    due: request.agreedOn,
    dueText,
    endsAt: endOfDayInZone(request.agreedOn, calendar.timeZone).toISOString(),
    rule: {
      description: 'a response, by the date agreed with you',
      text: `by ${dueText}, the date agreed with the complainant`,
      amount,
      unit: 'calendar-days',
      standardAmount: amount,
      extended: false,
      extensionWhen: null,
      orAsSoonAsPracticable: false,
    },
    counting: { convention: 'after', text: countingText('after', 'calendar-days') },
    citation: stage.agreedResponse.citation,
    extensionCitation: null,
    start,
    explanation:
      `On ${formatLongDate(start.receivedOn)} a response date was agreed with the complainant: ${dueText}. If there is no response by then, ` +
      `they must be told in writing why. ${stage.agreedResponse.rule}`,
    calendar: calendar.id,
    calendarVersion: calendar.version,
    calendarCoversThrough: calendar.coversThrough,
    beyondCalendarCoverage: false,
    computedHolidays: false,
    then: [],
  };
}
