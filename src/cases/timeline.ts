/**
 * What happens to a case as time passes, as a pure function of the case, the policy and the
 * organisation's settings: reminders before each deadline the organisation owes, an alert when
 * it passes, a reminder to the complainant before a window they must meet closes, and the case
 * closed when it has closed with no request. Each is a *moment*: a named instant, recomputed from
 * the case whenever asked, so a deadline that moves (an extension, an escalation, a response)
 * takes its moments with it, and a moment for a deadline no longer owed is never computed again.
 *
 * Moments fall on working days, at the start of working hours (London), because the people they
 * are for are at work then. A moment's key names its deadline and its date, so a moved deadline
 * makes new keys; the case records the keys done (`Case['timeline']`), which is what makes each
 * happen once.
 */
import type { Case, DeadlineRecord } from './case.js';
import { STATUSES_WITH_A_DEADLINE } from './case.js';
import { AGREED_RESPONSE, dueOn, escalationDecision } from './case-policy.js';
import { currentDeadline } from './indexing.js';
import {
  addWorkingDays,
  compareDates,
  dateInZone,
  type EscalationPolicy,
  instantOfWallTime,
  isWorkingDay,
  type LocalDate,
  parseLocalDate,
  readInZone,
  workingDayOnOrAfter,
  addDays,
} from '../policy/index.js';
import type { WakeSchedule } from './case-store.js';

/** The organisation's choices about time-driven work (see README, "What happens when"). */
export interface TimelineSettings {
  /** Working hours in London, as seconds after midnight: moments fall at the start, none after the end. */
  readonly workingHours: { readonly startsAt: number; readonly endsAt: number };
  /** Working days before a deadline we owe that staff are reminded (default 3 and 1). */
  readonly staffReminderDays: readonly number[];
  /** Working days before a window the complainant must meet closes that they are reminded (default 5). */
  readonly complainantReminderDays: number;
}

export const DEFAULT_TIMELINE_SETTINGS: TimelineSettings = {
  workingHours: { startsAt: 8 * 3600 + 30 * 60, endsAt: 17 * 3600 + 30 * 60 },
  staffReminderDays: [3, 1],
  complainantReminderDays: 5,
};

/** A deadline the organisation owes, as the moments read it. */
export interface OwedDeadline {
  readonly record: DeadlineRecord;
  /** The day it falls on, as the law counts it (an agreed date as agreed). */
  readonly due: LocalDate;
  /** The acknowledgement, rather than the stage's own deadline. */
  readonly acknowledgement: boolean;
}

/** A window the complainant must meet: to ask for the next stage, or the ombudsman's. */
export interface ComplainantWindow {
  readonly kind: 'next-stage' | 'ombudsman';
  /** The last day. */
  readonly closesOn: LocalDate;
  /** What they would be asking for ("Stage 2: Investigation", "the Local Government and Social Care Ombudsman"). */
  readonly toName: string;
}

/** One thing that happens at a time. */
export type Moment =
  | { readonly kind: 'staff-reminder'; readonly key: string; readonly at: Date; readonly deadline: OwedDeadline; readonly workingDaysBefore: number }
  | { readonly kind: 'overdue'; readonly key: string; readonly at: Date; readonly deadline: OwedDeadline }
  | { readonly kind: 'window-reminder'; readonly key: string; readonly at: Date; readonly window: ComplainantWindow; readonly workingDaysBefore: number }
  | { readonly kind: 'window-closed'; readonly key: string; readonly at: Date; readonly window: ComplainantWindow };

/** The start of working hours on a day, or on the next working day if it is not one. */
export function workingStartOn(date: LocalDate, policy: EscalationPolicy, settings: TimelineSettings): Date {
  return instantOfWallTime(workingDayOnOrAfter(policy.calendar, date), settings.workingHours.startsAt, policy.calendar.timeZone);
}

/** Whether an instant falls within working hours on a working day. */
export function isWithinWorkingHours(instant: Date, policy: EscalationPolicy, settings: TimelineSettings): boolean {
  const reading = readInZone(instant, policy.calendar.timeZone);
  return (
    isWorkingDay(policy.calendar, reading.date) && reading.secondOfDay >= settings.workingHours.startsAt && reading.secondOfDay < settings.workingHours.endsAt
  );
}

/** The deadlines the organisation owes now: the acknowledgement while it is, and the stage's deadline. */
export function owedDeadlines(value: Case, policy: EscalationPolicy): OwedDeadline[] {
  if (!STATUSES_WITH_A_DEADLINE.includes(value.status)) return [];
  const owed: OwedDeadline[] = [];
  if (value.acknowledgement && !value.acknowledgement.acknowledgedAt) {
    owed.push({ record: value.acknowledgement.due, due: parseLocalDate(value.acknowledgement.due.due), acknowledgement: true });
  }
  const current = currentDeadline(value);
  // A late request for the next stage waits for staff's decision: the stage's own deadline was
  // met by its response, and the next stage's clock starts only if they agree.
  if (!current || value.flags.lateEscalation?.decision === 'pending') return owed;
  owed.push({ record: current, due: dueOn(value, policy, current), acknowledgement: false });
  // A response date agreed earlier than the NHS's six months does not lift the duty to explain a
  // delay at six months (SI 2009/309 reg 14(2)): a missed agreed date leaves that one owed too.
  const duty = value.deadlines.find((record) => record.stage === value.stage && record.kind === 'explanation-duty');
  if (current.timeLimit === AGREED_RESPONSE && duty && compareDates(parseLocalDate(duty.due), parseLocalDate(current.due)) > 0) {
    owed.push({ record: duty, due: dueOn(value, policy, duty), acknowledgement: false });
  }
  return owed;
}

/**
 * The window the complainant must meet, if there is one with a known last day: after a stage's
 * response, the time to ask for the next stage; after the last stage's, the ombudsman's. Its
 * last day is fixed by the case (the response's day, the day of first notice), so it is read the
 * same whenever asked: before it closes and after.
 */
export function complainantWindow(value: Case, policy: EscalationPolicy): ComplainantWindow | null {
  if (value.status !== 'responded' || value.flags.lateEscalation?.decision === 'pending') return null;
  const decision = escalationDecision(value, policy, new Date(value.updatedAt));
  if (decision.allowed) return decision.requestWindow ? { kind: 'next-stage', closesOn: decision.requestWindow.closesOn, toName: decision.to.name } : null;
  if (decision.reason === 'window-passed') return { kind: 'next-stage', closesOn: decision.windowClosedOn, toName: decision.to.name };
  if (decision.reason === 'final-stage' && decision.ombudsman.window.closesOn) {
    return { kind: 'ombudsman', closesOn: decision.ombudsman.window.closesOn, toName: decision.ombudsman.ombudsman.name };
  }
  return null;
}

/** The key naming a deadline's moments: its stage, time limit and day, so a moved deadline makes new keys. */
function deadlineKey(deadline: OwedDeadline): string {
  return `${deadline.acknowledgement ? 'ack' : deadline.record.stage}:${deadline.record.timeLimit}:${deadline.due}`;
}

/**
 * Every moment of the case as it stands, done or not, soonest first. Reminders that would fall
 * on or before the day the deadline started counting are left out (they would only repeat what
 * staff were told when it began), as is the closing of the ombudsman's window: nothing local is
 * left to close after the last stage, and the ombudsman may look later.
 */
export function momentsOf(value: Case, policy: EscalationPolicy, settings: TimelineSettings): Moment[] {
  const moments: Moment[] = [];
  for (const deadline of owedDeadlines(value, policy)) {
    const key = deadlineKey(deadline);
    const started = parseLocalDate(deadline.record.countsFrom);
    for (const days of settings.staffReminderDays) {
      const on = addWorkingDays(policy.calendar, deadline.due, -days);
      if (compareDates(on, started) <= 0) continue;
      moments.push({
        kind: 'staff-reminder',
        key: `remind-${String(days)}:${key}`,
        at: workingStartOn(on, policy, settings),
        deadline,
        workingDaysBefore: days,
      });
    }
    moments.push({ kind: 'overdue', key: `overdue:${key}`, at: workingStartOn(addDays(deadline.due, 1), policy, settings), deadline });
  }
  const window = complainantWindow(value, policy);
  if (window) {
    const key = `${window.kind}:${window.closesOn}`;
    const responded = value.responses.filter((response) => response.stage === value.stage).at(-1);
    const respondedOn = responded ? dateInZone(new Date(responded.at), policy.calendar.timeZone) : null;
    const days = settings.complainantReminderDays;
    const on = addWorkingDays(policy.calendar, window.closesOn, -days);
    if (days > 0 && (!respondedOn || compareDates(on, respondedOn) > 0)) {
      moments.push({ kind: 'window-reminder', key: `window-reminder:${key}`, at: workingStartOn(on, policy, settings), window, workingDaysBefore: days });
    }
    if (window.kind === 'next-stage') {
      moments.push({ kind: 'window-closed', key: `window-closed:${key}`, at: workingStartOn(addDays(window.closesOn, 1), policy, settings), window });
    }
  }
  return moments.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** How many done keys a case keeps (the case schema's bound). */
export const TIMELINE_DONE_ROOM = 100;

/** What is due now: the moments whose time has come and that are not done. */
export interface DueMoments {
  /** The moments to act on: for each deadline or window, only the latest due (an alert makes its reminders moot). */
  readonly act: readonly Moment[];
  /** Due but overtaken by a later one of the same deadline or window: recorded as done, without acting. */
  readonly passOver: readonly Moment[];
}

/** The family a moment belongs to: its deadline or window. */
function familyOf(moment: Moment): string {
  return moment.key.slice(moment.key.indexOf(':') + 1);
}

/** The moments due at `now` that the case has not done, grouped so only the latest of each family acts. */
export function dueMoments(value: Case, policy: EscalationPolicy, settings: TimelineSettings, now: Date): DueMoments {
  const done = new Set(value.timeline.done);
  const due = momentsOf(value, policy, settings).filter((moment) => moment.at.getTime() <= now.getTime() && !done.has(moment.key));
  const latest = new Map<string, Moment>();
  for (const moment of due) latest.set(familyOf(moment), moment);
  const act = [...latest.values()];
  return { act, passOver: due.filter((moment) => !act.includes(moment)) };
}

/**
 * When the case next needs looking at: its earliest moment not done (ms since the epoch), or
 * null when nothing is to come. The store keeps this in its wake index.
 */
export function nextWakeAt(value: Case, policy: EscalationPolicy, settings: TimelineSettings): number | null {
  const done = new Set(value.timeline.done);
  const next = momentsOf(value, policy, settings).find((moment) => !done.has(moment.key));
  return next ? next.at.getTime() : null;
}

/** A wake schedule for a policy and settings: what the stores index cases by. */
export function wakeScheduleFor(policy: EscalationPolicy, settings: TimelineSettings): WakeSchedule {
  return (value) => {
    try {
      return nextWakeAt(value, policy, settings);
    } catch {
      // A case the policy cannot read must not stop it being saved: it is looked at by the next
      // sweep, which says so and sets it aside for a while, rather than quietly never.
      return Date.parse(value.updatedAt);
    }
  };
}
