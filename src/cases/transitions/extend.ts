/**
 * The stage's time limit is extended, as far as the procedure allows and once only, counted
 * from the stage's start; the complainant is told the new date.
 *
 * @example
 * const result = extend(value, { reason: 'Waiting for the school’s records' }, context);
 * if (!isRefusal(result)) result.next.deadlines.at(-1)?.extended; // true
 */
import { type Case, deadlineRecord } from '../case.js';
import { stageStartedAt } from '../case-policy.js';
import { currentDeadline } from '../indexing.js';
import { ExtensionNotAllowed, formatLongDate, instantOfWallTime, parseLocalDate } from '../../policy/index.js';
import { refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** Why more time is needed (recorded in the history; told to the complainant where the procedure says so). */
export interface ExtensionRequest {
  readonly reason: string;
}

/** Extends the running deadline. */
export function extend(current: Case, request: ExtensionRequest, context: StaffContext): StaffTransitionResult {
  const closed = refusedWhenClosed(current);
  if (closed) return closed;
  const { policy } = context;
  const deadline = currentDeadline(current);
  if (!deadline) return refuse('no-running-deadline', 'There is no running deadline to extend.');
  if (deadline.extended) return refuse('already-extended', 'This deadline has already been extended as far as the procedure allows.');
  const draft = staffDraft(current, context);
  let extended;
  try {
    extended = policy.responseDeadline({
      procedure: current.procedure,
      stage: current.stage,
      extended: true,
      // From the stage's start as the policy reads it (a record made under the old count is read from the day it was received).
      stageStartedAt: stageStartedAt(current, policy) ?? instantOfWallTime(parseLocalDate(deadline.countsFrom), 9 * 3600, policy.calendar.timeZone),
    });
  } catch (error) {
    if (error instanceof ExtensionNotAllowed)
      return refuse('extension-not-allowed', `The procedure does not allow ${draft.stageName}'s time limit to be extended.`);
    throw error;
  }
  draft.next.deadlines.push(deadlineRecord(extended));
  const due = formatLongDate(parseLocalDate(extended.due));
  const told = extensionToldWith(current, extended.timeLimit, policy);
  const ombudsman = told.includes('ombudsman') ? policy.ombudsmenFor(current.procedure)[0] : undefined;
  return draft.finish(
    draft.event('extended', `Deadline extended to ${due}`, { reason: request.reason, due: extended.due, rule: extended.rule.text }),
    `Extended to ${due} (${extended.rule.text}).`,
    {
      notice: 'deadline-changed',
      text:
        `An update on your complaint ${draft.reference}: we need more time to respond properly, as the procedure allows. You’ll now have the ` +
        `response by **${due}**. I’m sorry for the wait.` +
        (told.includes('reason') ? `\n\nWhy: ${request.reason}` : '') +
        (ombudsman
          ? `\n\nIf you are unhappy with how your complaint is being handled, you can contact the ${ombudsman.name}: ${ombudsman.website}, ${ombudsman.phone}.`
          : ''),
    },
  );
}

/** What the procedure tells the complainant with an extension of this time limit, besides the new date. */
export function extensionToldWith(
  current: Pick<Case, 'procedure' | 'stage'>,
  timeLimit: string,
  policy: StaffContext['policy'],
): readonly ('reason' | 'ombudsman')[] {
  const stage = policy.procedure(current.procedure).stages.find((each) => each.id === current.stage);
  return stage?.timeLimits.find((limit) => limit.id === timeLimit)?.extension?.toldWith ?? [];
}
