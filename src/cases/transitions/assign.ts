/**
 * A member of staff takes a case on: it is theirs to answer, and (where the procedure sets a
 * time to acknowledge it) picking it up acknowledges it. Someone the independence rule bars
 * from deciding the case's stage may not take it on.
 *
 * @example
 * const result = assign(value, { policy, now, staff: { id: 'entra-1', name: 'Jo Patel' }, organisation: 'Anytown Council' });
 * if (!isRefusal(result)) result.next.handler; // { id: 'entra-1', name: 'Jo Patel' }
 */
import type { Case } from '../case.js';
import { refusedAsNotIndependent, refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** Assigns the case to the member of staff acting. */
export function assign(current: Case, context: StaffContext): StaffTransitionResult {
  const closed = refusedWhenClosed(current);
  if (closed) return closed;
  const { staff } = context;
  if (current.status === 'responded') return refuse('awaiting-complainant', 'The response has been sent; wait to hear whether the complainant is satisfied.');
  if (current.handler?.id === staff.id) return refuse('already-assigned', 'This case is already assigned to you.');
  // Whoever may not decide the stage may not take it on either: refused now, not when they come to decide.
  const notIndependent = refusedAsNotIndependent(current, current.stage, context);
  if (notIndependent) return notIndependent;
  const draft = staffDraft(current, context);
  const { next } = draft;
  next.handler = { id: staff.id, name: staff.name };
  next.status = 'awaiting-response';
  if (next.acknowledgement && !next.acknowledgement.acknowledgedAt) next.acknowledgement = { ...next.acknowledgement, acknowledgedAt: next.updatedAt };
  return draft.finish(draft.event('assigned', `Assigned to ${staff.name}`), `Assigned to ${staff.name}.`);
}
