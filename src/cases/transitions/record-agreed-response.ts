/**
 * Where a stage lets the response date be agreed with the complainant (NHS: as agreed, within
 * six months), staff record the date agreed; it becomes the stage's deadline, and the
 * complainant has it in writing.
 *
 * @example
 * const result = recordAgreedResponse(value, { agreedOn: parseLocalDate('2026-03-02') }, context);
 * if (!isRefusal(result)) result.next.deadlines.at(-1)?.due; // '2026-03-02'
 */
import { type Case, deadlineRecord } from '../case.js';
import { agreedResponseBy } from '../case-policy.js';
import { AgreedResponseDateInPast, AgreedResponseNotAllowed, dateInZone, formatLongDate, type LocalDate } from '../../policy/index.js';
import { refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** The date agreed with the complainant. */
export interface AgreedResponseRequest {
  readonly agreedOn: LocalDate;
}

/** Statuses in which the stage's response is still owed. */
const OWED: readonly Case['status'][] = ['open', 'awaiting-response', 'escalation-requested'];

/** Records the response date agreed with the complainant. */
export function recordAgreedResponse(current: Case, request: AgreedResponseRequest, context: StaffContext): StaffTransitionResult {
  const closed = refusedWhenClosed(current);
  if (closed) return closed;
  const { policy, now } = context;
  if (!OWED.includes(current.status)) return refuse('response-not-owed', 'The response at this stage has been sent, so there is no response date to agree.');
  const draft = staffDraft(current, context);
  let agreed;
  try {
    agreed = policy.agreedResponseDeadline({ procedure: current.procedure, stage: current.stage, agreedAt: now, agreedOn: request.agreedOn });
  } catch (error) {
    if (error instanceof AgreedResponseNotAllowed) {
      return refuse(
        'agreed-response-not-allowed',
        `${draft.stageName} has fixed time limits: the procedure does not let a response date be agreed with the complainant.`,
      );
    }
    if (error instanceof AgreedResponseDateInPast) {
      return refuse(
        'agreed-date-passed',
        `${formatLongDate(request.agreedOn)} has already passed (today is ${formatLongDate(dateInZone(now, policy.calendar.timeZone))}). Record the ` +
          `date agreed with the complainant: today or later.`,
      );
    }
    throw error;
  }
  const earlier = agreedResponseBy(current);
  draft.next.deadlines.push(deadlineRecord(agreed));
  const due = agreed.dueText;
  return draft.finish(
    draft.event('updated', `Response date agreed with the complainant: ${due}`, {
      due: agreed.due,
      rule: agreed.rule.text,
      citation: agreed.citation.reference,
      ...(earlier ? { replaces: earlier } : {}),
    }),
    `Response date agreed: ${due} (${agreed.citation.reference}).`,
    {
      notice: 'message',
      text:
        `About your complaint ${draft.reference}: as agreed with you, you’ll have our response by **${due}**. If it isn’t ready by then, ` +
        `we’ll write to tell you why.`,
    },
  );
}
