/**
 * Staff decide whether a complaint made after the procedure's time limit will be considered. If
 * not, the case is closed and the complainant is told why, in staff's words.
 *
 * @example
 * const result = decideLate(value, { decision: 'accepted' }, context);
 * if (!isRefusal(result)) result.next.flags.late?.decision; // 'accepted'
 */
import type { Case } from '../case.js';
import { refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** A decision on a flag: accepted, or declined with what the complainant is told. */
export type FlagDecision = { readonly decision: 'accepted' } | { readonly decision: 'declined'; readonly message: string };

/** Decides a late complaint. */
export function decideLate(current: Case, request: FlagDecision, context: StaffContext): StaffTransitionResult {
  const closed = refusedWhenClosed(current);
  if (closed) return closed;
  const late = current.flags.late;
  if (late?.decision !== 'pending') return refuse('no-late-decision', 'There is no late-complaint decision waiting.');
  const draft = staffDraft(current, context);
  draft.next.flags.late = { ...late, decision: request.decision };
  if (request.decision === 'accepted') {
    return draft.finish(draft.event('updated', 'Late complaint accepted for consideration', {}), 'The late complaint will be considered.');
  }
  draft.next.status = 'closed';
  draft.next.closure = 'decided';
  return draft.finish(draft.event('updated', 'Late complaint not considered', { text: request.message }), 'Declined; the complainant has been told.', {
    notice: 'closed',
    text: `About your complaint ${draft.reference}:\n\n${request.message}`,
  });
}
