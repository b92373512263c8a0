/**
 * Staff move a case to its next stage, as the procedure allows the complainant to (a request
 * made by phone or letter), never outside it: after the response, or without it once it is late.
 *
 * @example
 * const result = escalate(value, context);
 * if (!isRefusal(result)) result.next.stage; // 'stage-2'
 */
import type { Case } from '../case.js';
import { escalationDecision } from '../case-policy.js';
import { moveToNextStage } from './next-stage.js';
import { refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** Moves the case to the next stage for the complainant. */
export function escalate(current: Case, context: StaffContext): StaffTransitionResult {
  const closed = refusedWhenClosed(current);
  if (closed) return closed;
  const decision = escalationDecision(current, context.policy, context.now);
  if (!decision.allowed) return refuse('escalation-not-allowed', `Not moved. What the complainant is told: ${decision.explanation}`);
  if (current.flags.lateEscalation?.decision === 'pending')
    return refuse('late-escalation-pending', 'A late request to go further is waiting for a decision: accept or decline it instead.');
  return moveToNextStage(staffDraft(current, context), context, null, decision);
}
