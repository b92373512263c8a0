/**
 * Staff decide a request to go further made after the time to ask had passed. Deciding it is
 * deciding for the stage asked for, so the independence rule applies to that stage. Accepted,
 * the case moves there with a clock from today; declined, it stays where it is and the
 * complainant is told why.
 *
 * @example
 * const result = decideLateEscalation(value, { decision: 'accepted' }, context);
 * if (!isRefusal(result)) result.next.stage; // the stage asked for
 */
import type { Case } from '../case.js';
import type { FlagDecision } from './decide-late.js';
import { moveToNextStage } from './next-stage.js';
import { refusedAsNotIndependent, refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** Decides a late request to go further. */
export function decideLateEscalation(current: Case, request: FlagDecision, context: StaffContext): StaffTransitionResult {
  const closed = refusedWhenClosed(current);
  if (closed) return closed;
  const asked = current.flags.lateEscalation;
  if (asked?.decision !== 'pending') return refuse('no-late-escalation', 'There is no late request to decide.');
  const barred = refusedAsNotIndependent(current, asked.to, context);
  if (barred) return barred;
  const draft = staffDraft(current, context);
  draft.next.flags.lateEscalation = { ...asked, decision: request.decision };
  if (request.decision === 'accepted') return moveToNextStage(draft, context, asked.to, null);
  return draft.finish(
    draft.event('updated', `Late request for ${context.policy.stage(current.procedure, asked.to).name} declined`, { text: request.message }),
    'Declined; the complainant has been told.',
    // The case is not closed: it stays at its stage, so this is a message, not a closure.
    { notice: 'message', text: `About your request to take complaint ${draft.reference} further:\n\n${request.message}` },
  );
}
