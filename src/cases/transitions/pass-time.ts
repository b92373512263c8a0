/**
 * Time has passed: whatever moments of the case's timeline have come (see `timeline.ts`) happen,
 * in one change. Staff are reminded before a deadline the organisation owes and alerted when it
 * passes; the complainant is told we are late, with what they can do now, and reminded before a
 * window they must meet closes; when the window to ask for the next stage has closed with no
 * request, the case is closed as resolved at its stage (staff can reopen it). Each moment's key
 * is recorded as done with the change, which is what makes it happen once, whichever process
 * gets there first.
 *
 * @example
 * const change = passTime(value, { policy, now, settings });
 * if (change) await store.update(stored, { ...change, idempotencyKey: timeChangeKey(stored, change) });
 */
import type { Case } from '../case.js';
import type { CaseEventInput } from '../case-store.js';
import { agreedResponseBy, escalationDecision } from '../case-policy.js';
import type { OutboxEventInput } from '../outbox-event.js';
import { formatReference } from '../reference.js';
import { dueMoments, type Moment, momentsOf, type OwedDeadline, TIMELINE_DONE_ROOM, type TimelineSettings } from '../timeline.js';
import { dateInZone, type EscalationPolicy, formatLongDate, workingDaysBetween } from '../../policy/index.js';
import { type CaseTransition, draftOf } from './transition.js';

/** What passing time needs besides the case. */
export interface TimeContext {
  readonly policy: EscalationPolicy;
  readonly now: Date;
  readonly settings: TimelineSettings;
}

/** What a deadline is, for staff: "the Stage 1 response", "the acknowledgement". */
function owedWhat(deadline: OwedDeadline, value: Case, policy: EscalationPolicy): string {
  if (deadline.acknowledgement) return 'the acknowledgement';
  const stage = policy.stage(value.procedure, deadline.record.stage).name;
  switch (deadline.record.kind) {
    case 'meeting':
      return `the Review Panel meeting (${stage})`;
    case 'report':
      return `the Review Panel's report (${stage})`;
    case 'explanation-duty':
      return `the response, or a letter explaining the delay (${stage})`;
    default:
      return agreedResponseBy(value) ? `the response agreed with the complainant (${stage})` : `the response (${stage})`;
  }
}

/** The apology for a deadline of ours that has passed, in the complainant's terms. */
function lateSentence(deadline: OwedDeadline, reference: string): string {
  const due = formatLongDate(deadline.due);
  switch (deadline.record.kind) {
    case 'meeting':
      return `**We’re sorry: the Review Panel for your complaint ${reference} should have met by ${due}, and it is late.**`;
    case 'report':
      return `**We’re sorry: the Review Panel’s report on your complaint ${reference} was due by ${due}, and it is late.**`;
    case 'explanation-duty':
      return (
        `**We’re sorry: six months have passed (on ${due}) without our response to your complaint ${reference}.** We must write to you to ` +
        `explain why it is taking longer.`
      );
    default:
      return `**We’re sorry: our response to your complaint ${reference} was due by ${due}, and we are late.**`;
  }
}

/** Who has the case, for a staff line. */
function assignedTo(value: Case): string {
  return value.handler ? `Assigned to ${value.handler.name}.` : 'Nobody is assigned to this case yet.';
}

/**
 * Why a case whose window to go further has closed should not be closed by the calendar, if it
 * should not: someone may be at risk, or the complainant wrote after the response (perhaps to say
 * they are not happy, without the words that ask for the next stage).
 */
function closingHeldBecause(value: Case): { readonly why: string; readonly short: string } | null {
  if (value.flags.safeguarding) return { why: 'words suggesting someone may be at risk were said', short: 'safeguarding flag' };
  const answered = value.responses.filter((response) => response.stage === value.stage).at(-1);
  if (value.complainantLastWroteAt && answered && Date.parse(value.complainantLastWroteAt) > Date.parse(answered.at)) {
    return {
      why: 'the complainant wrote after the response: read what they said, in case it is a request to go further in other words',
      short: 'they wrote after the response',
    };
  }
  return null;
}

/** What the complainant may do now that we are late: the next stage, or the ombudsman at the last. */
function whatTheyCanDo(value: Case, policy: EscalationPolicy, now: Date): string {
  const decision = escalationDecision(value, policy, now);
  if (decision.allowed && decision.reason === 'response-overdue') {
    return `You don’t have to wait: you can ask for your complaint to go to ${decision.to.name} now. Type "take my complaint further" here to do that.`;
  }
  if (!decision.allowed && decision.reason === 'final-stage') return decision.ombudsman.explanation;
  return 'We will send it as soon as we can. You can ask what is happening here, or by contacting the service desk.';
}

/** The words and events of one moment that acts. */
function effectOf(moment: Moment, value: Case, context: TimeContext): { line: string; events: OutboxEventInput[] } {
  const { policy, now } = context;
  const reference = formatReference(value.reference);
  const assignee = value.handler ? { id: value.handler.id, name: value.handler.name } : null;
  const today = dateInZone(now, policy.calendar.timeZone);
  switch (moment.kind) {
    case 'staff-reminder': {
      const left = workingDaysBetween(policy.calendar, today, moment.deadline.due);
      const when = left <= 0 ? 'today' : `in ${String(left)} working ${left === 1 ? 'day' : 'days'}`;
      const text = `Reminder: ${owedWhat(moment.deadline, value, policy)} is due ${formatLongDate(moment.deadline.due)} (${when}). ${assignedTo(value)}`;
      return {
        line: `Reminder: ${owedWhat(moment.deadline, value, policy)} due ${moment.deadline.due}`,
        events: [{ type: 'staff-reminded', moment: 'reminder', text, assignee }],
      };
    }
    case 'overdue': {
      const what = owedWhat(moment.deadline, value, policy);
      const duty =
        moment.deadline.record.kind === 'explanation-duty'
          ? ' The complainant must be told in writing why the response is taking longer (SI 2009/309 reg 14(2)).'
          : '';
      const text = `OVERDUE: ${what} was due ${formatLongDate(moment.deadline.due)}.${duty} ${assignedTo(value)}`;
      const events: OutboxEventInput[] = [{ type: 'staff-reminded', moment: 'overdue', text, assignee }];
      // The acknowledgement is a step of ours the complainant cannot act on; the response is theirs to know about.
      if (!moment.deadline.acknowledgement) {
        events.push({
          type: 'complainant-told',
          notice: 'late',
          text: `${lateSentence(moment.deadline, reference)}\n\n${whatTheyCanDo(value, policy, now)}`,
        });
      }
      return { line: `Overdue: ${what}, due ${moment.deadline.due}`, events };
    }
    case 'window-reminder': {
      const { window } = moment;
      const text =
        window.kind === 'next-stage'
          ? `About your complaint ${reference}: if you are not satisfied with the response, you can ask for it to go to ${window.toName} until ` +
            `${formatLongDate(window.closesOn)}. Type "take my complaint further" here to do that. If you are satisfied, there is nothing you need to do.`
          : `About your complaint ${reference}: if you are not satisfied with our final response, you can complain to ${window.toName}. They normally ` +
            `expect to hear from you by ${formatLongDate(window.closesOn)}, though they can look at a complaint made later.`;
      return {
        line: `Reminded the complainant that the time to ask for ${window.toName} ends ${window.closesOn}`,
        events: [{ type: 'complainant-told', notice: 'window-closing', text }],
      };
    }
    case 'window-closed': {
      const stage = policy.stage(value.procedure, value.stage).name;
      const held = closingHeldBecause(value);
      if (held) {
        // A person decides whether this case is finished, not the calendar.
        return {
          line: `No request for ${moment.window.toName} by ${moment.window.closesOn}; left open for staff: ${held.short}`,
          events: [
            {
              type: 'staff-reminded',
              moment: 'resolved',
              text:
                `The complainant did not ask for ${moment.window.toName} by ${formatLongDate(moment.window.closesOn)}. This case was not closed ` +
                `automatically because ${held.why}: decide whether to close it.`,
              assignee,
            },
          ],
        };
      }
      return {
        line: `Resolved at ${stage}: no request for ${moment.window.toName} by ${moment.window.closesOn}`,
        events: [
          {
            type: 'staff-reminded',
            moment: 'resolved',
            text:
              `Closed as resolved at ${stage}: the complainant did not ask for ${moment.window.toName} by ${formatLongDate(moment.window.closesOn)}. ` +
              `Reopen it from the card if they come back.`,
            assignee,
          },
          {
            type: 'complainant-told',
            notice: 'closed',
            text:
              `About your complaint ${reference}: the time to ask for ${moment.window.toName} ended on ${formatLongDate(moment.window.closesOn)}, so we have ` +
              `closed it as resolved. If you still want to take it further, you can ask here: we will consider a late request.`,
          },
        ],
      };
    }
  }
}

/**
 * The change the passing of time makes to a case at `now`, or null when nothing is due. Moments
 * overtaken by a later one of the same deadline or window (a reminder when the deadline has
 * already passed, after an outage) are recorded as done without being acted on.
 */
export function passTime(current: Case, context: TimeContext): CaseTransition | null {
  const { act, passOver } = dueMoments(current, context.policy, context.settings, context.now);
  if (act.length === 0 && passOver.length === 0) return null;
  const next = draftOf(current, context.now);
  const lines: string[] = [];
  const events: OutboxEventInput[] = [];
  let closes = false;
  for (const moment of act) {
    const effect = effectOf(moment, current, context);
    lines.push(effect.line);
    events.push(...effect.events);
    if (moment.kind === 'window-closed' && !closingHeldBecause(current)) closes = true;
  }
  if (closes) {
    next.status = 'closed';
    next.closure = 'window-passed';
  }
  if (act.some((moment) => moment.kind === 'overdue')) events.push({ type: 'card-changed' });
  next.timeline = { done: keptDone([...current.timeline.done, ...act.map((moment) => moment.key), ...passOver.map((moment) => moment.key)], next, context) };
  const type: CaseEventInput['type'] = closes ? 'closed' : act.some((moment) => moment.kind === 'overdue') ? 'overdue' : 'reminded';
  const event: CaseEventInput = {
    type,
    at: next.updatedAt,
    actor: { kind: 'system', id: null, name: null },
    summary: lines.length > 0 ? lines.join('; ') : 'Reminders overtaken by later ones, recorded as done',
    details: { moments: act.map((moment) => moment.key), passedOver: passOver.map((moment) => moment.key) },
  };
  return { next, event, events: sortStaffFirst(events) };
}

/**
 * The done keys to keep. A moment done stays done when the case moves on and comes back (closed
 * at its window and reopened, an overdue case closed and reopened): reopening never repeats an
 * alert, an apology or a closing. Only past the list's room are the oldest keys no longer
 * computed let go, and those are of deadlines and windows long gone.
 */
function keptDone(keys: readonly string[], next: Case, context: TimeContext): string[] {
  const unique = [...new Set(keys)];
  if (unique.length <= TIMELINE_DONE_ROOM) return unique;
  const still = new Set(momentsOf(next, context.policy, context.settings).map((moment) => moment.key));
  const gone = unique.filter((key) => !still.has(key));
  const drop = new Set(gone.slice(0, unique.length - TIMELINE_DONE_ROOM));
  return unique.filter((key) => !drop.has(key));
}

/** Staff hear of a change before the complainant does, as in every other change. */
function sortStaffFirst(events: OutboxEventInput[]): OutboxEventInput[] {
  return [...events.filter((event) => event.type !== 'complainant-told'), ...events.filter((event) => event.type === 'complainant-told')];
}
