/**
 * The bank-holiday calendar changed (`npm run calendar:update` and a restart): the deadlines a
 * case is still counting down are counted again under the new calendar, from the same day and by
 * the same rule. Where a date moves, the new record is kept beside the old (the history says both
 * calendar versions and both dates), the card is brought up to date, and the complainant is told
 * the new date they will hear back by. A date agreed with the complainant is theirs, not the
 * calendar's, and is never recounted.
 *
 * @example
 * const change = recountDeadlines(value, { policy, now });
 * if (change) change.event.details; // { calendar: { from, to }, moved: [...] }
 */
import type { Case, DeadlineRecord } from '../case.js';
import { deadlineRecord, STATUSES_WITH_A_DEADLINE } from '../case.js';
import { AGREED_RESPONSE, dueOn } from '../case-policy.js';
import { currentDeadline } from '../indexing.js';
import type { OutboxEventInput } from '../outbox-event.js';
import { formatReference } from '../reference.js';
import { type EscalationPolicy, instantOfWallTime, formatLongDate, parseLocalDate } from '../../policy/index.js';
import { type CaseTransition, draftOf } from './transition.js';

export interface RecountContext {
  readonly policy: EscalationPolicy;
  readonly now: Date;
}

/** One deadline that moved. */
interface Moved {
  readonly what: 'acknowledgement' | 'deadline';
  readonly before: DeadlineRecord;
  readonly after: DeadlineRecord;
}

/** The record counted again under the policy's calendar, from the day it counted from. */
function recounted(value: Case, record: DeadlineRecord, policy: EscalationPolicy, acknowledgement: boolean): DeadlineRecord | null {
  // Nine in the morning of the day it counts from: no receipt cut-off can move it again.
  const received = instantOfWallTime(parseLocalDate(record.countsFrom), 9 * 3600, policy.calendar.timeZone);
  const deadline = acknowledgement
    ? policy.acknowledgementDeadline({ procedure: value.procedure, received })
    : policy.deadline({ procedure: value.procedure, stage: record.stage, timeLimit: record.timeLimit, received, extended: record.extended });
  if (!deadline) return null;
  // Counted from the day recorded, whatever the new count would call the day of receipt.
  return { ...deadlineRecord(deadline), receivedOn: record.receivedOn };
}

/** What the complainant is waiting for, by the deadline's kind. */
function whatIsDue(record: DeadlineRecord): string {
  switch (record.kind) {
    case 'meeting':
      return 'the date the Review Panel will meet by';
    case 'report':
      return 'the date the Review Panel’s report is due by';
    case 'explanation-duty':
      return 'the date by which, without a response, we must write to explain why it is taking longer,';
    default:
      return 'the date we will respond by';
  }
}

/** The change a new calendar makes to the case, or null when none of its running dates moves. */
export function recountDeadlines(current: Case, context: RecountContext): CaseTransition | null {
  if (!STATUSES_WITH_A_DEADLINE.includes(current.status)) return null;
  const { policy } = context;
  const version = policy.calendar.version;
  const moved: Moved[] = [];
  const acknowledgement = current.acknowledgement && !current.acknowledgement.acknowledgedAt ? current.acknowledgement.due : null;
  if (acknowledgement && acknowledgement.calendarVersion !== version) {
    const after = recounted(current, acknowledgement, policy, true);
    if (after && after.due !== acknowledgement.due) moved.push({ what: 'acknowledgement', before: acknowledgement, after });
  }
  const running = currentDeadline(current);
  if (running && running.calendarVersion !== version && running.timeLimit !== AGREED_RESPONSE) {
    const after = recounted(current, running, policy, false);
    if (after && after.due !== running.due) moved.push({ what: 'deadline', before: running, after });
  }
  if (moved.length === 0) return null;

  const next = draftOf(current, context.now);
  for (const change of moved) {
    if (change.what === 'acknowledgement' && next.acknowledgement) next.acknowledgement = { ...next.acknowledgement, due: change.after };
    else next.deadlines.push(change.after);
  }
  const words = moved.map(
    (change) => `${change.what === 'acknowledgement' ? 'acknowledgement' : change.before.timeLimit} ${change.before.due} → ${change.after.due}`,
  );
  const events: OutboxEventInput[] = [{ type: 'card-changed' }];
  const response = moved.find((change) => change.what === 'deadline');
  if (response) {
    // As the law counts it (`dueOn`): the date they are told is never later than the law allows.
    const now = formatLongDate(dueOn(next, policy, response.after));
    const was = formatLongDate(dueOn(current, policy, response.before));
    events.push({
      type: 'complainant-told',
      notice: 'deadline-changed',
      text:
        `About your complaint ${formatReference(current.reference)}: the bank holidays we count working days by have changed, so ` +
        `${whatIsDue(response.after)} is now ${now} (it was ${was}).`,
    });
  }
  return {
    next,
    event: {
      type: 'updated',
      at: next.updatedAt,
      actor: { kind: 'system', id: null, name: null },
      summary: `Bank holiday calendar changed: ${words.join('; ')}`,
      details: {
        calendar: { from: moved[0]?.before.calendarVersion ?? null, to: version },
        moved: moved.map((change) => ({ what: change.what, timeLimit: change.before.timeLimit, from: change.before.due, to: change.after.due })),
      },
    },
    events,
  };
}
