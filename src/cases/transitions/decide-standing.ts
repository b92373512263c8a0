/**
 * Staff decide whether the person complaining may complain for the person affected (sufficient
 * interest in a child's welfare, or a representative for a child). If not, as the rules say,
 * they are told why in writing and no further action is taken: the case is closed.
 *
 * @example
 * const result = decideStanding(value, { decision: 'accepted' }, context);
 * if (!isRefusal(result)) result.next.flags.standing?.decision; // 'accepted'
 */
import type { Case } from '../case.js';
import type { StandingCheck } from '../../policy/index.js';
import type { FlagDecision } from './decide-late.js';
import { refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** What accepting means, in a few words for a history line and the card. */
export const STANDING_ACCEPTED: Readonly<Record<StandingCheck, string>> = {
  'sufficient-interest': 'has sufficient interest in the child’s welfare',
  'representative-for-child': 'may complain for the child as their representative',
};

/** Decides who may complain. */
export function decideStanding(current: Case, request: FlagDecision, context: StaffContext): StaffTransitionResult {
  const closed = refusedWhenClosed(current);
  if (closed) return closed;
  const standing = current.flags.standing;
  if (standing?.decision !== 'pending') return refuse('no-standing-decision', 'There is no decision about who may complain waiting.');
  // Only where the procedure names the check are its words and citation given.
  const rule = context.policy.standingCheckRule(current.procedure, standing.check);
  const what = rule ? ` (${STANDING_ACCEPTED[standing.check]})` : '';
  const draft = staffDraft(current, context);
  draft.next.flags.standing = { ...standing, decision: request.decision };
  if (request.decision === 'accepted') {
    return draft.finish(
      draft.event('updated', `Who may complain: accepted${what}`, { check: standing.check, ...(rule ? { citation: rule.citation.reference } : {}) }),
      `Accepted: the complainant${rule ? ` ${STANDING_ACCEPTED[standing.check]}` : ' may complain for them'}. The complaint goes ahead.`,
    );
  }
  draft.next.status = 'closed';
  draft.next.closure = 'decided';
  return draft.finish(
    draft.event('updated', `Who may complain: declined${what}; closed`, { check: standing.check, text: request.message }),
    'Declined and closed; the complainant has been told.',
    { notice: 'closed', text: `About your complaint ${draft.reference}:\n\n${request.message}` },
  );
}
