/**
 * A case is given to a member of staff: it is theirs to answer, and (where the procedure sets a
 * time to acknowledge it) picking it up acknowledges it. Staff take a case themselves ("Assign
 * to me") or give it to a colleague on the roster ("Assign to…"), who is told in a personal
 * chat. Taking a case a colleague has needs a deliberate "Take over", and they are told too.
 * Someone the independence rule bars from deciding the case's stage may not be given it.
 *
 * @example
 * const result = assign(value, { policy, now, staff: { id: 'entra-1', name: 'Jo Patel' }, organisation: 'Anytown Council' });
 * if (!isRefusal(result)) result.next.handler; // { id: 'entra-1', name: 'Jo Patel' }
 */
import type { Case } from '../case.js';
import type { OutboxEventInput } from '../outbox-event.js';
import { formatReference } from '../reference.js';
import { refusedAsNotIndependent, refusedWhenClosed, type StaffContext, staffDraft, type StaffMemberRef, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** Whom to assign (the member of staff acting, unless a colleague is named), and whether taking it from whoever has it was confirmed. */
export interface AssignRequest {
  readonly to?: StaffMemberRef;
  readonly takeOver?: boolean;
}

/** Assigns the case. */
export function assign(current: Case, context: StaffContext, request: AssignRequest = {}): StaffTransitionResult {
  const closed = refusedWhenClosed(current);
  if (closed) return closed;
  const { staff } = context;
  const target = request.to ?? staff;
  const self = target.id === staff.id;
  if (current.status === 'responded') return refuse('awaiting-complainant', 'The response has been sent; wait to hear whether the complainant is satisfied.');
  if (current.handler?.id === target.id) {
    return refuse('already-assigned', self ? 'This case is already assigned to you.' : `This case is already assigned to ${target.name}.`);
  }
  // Whoever may not decide the stage may not take it on either: refused now, not when they come to decide.
  const notIndependent = refusedAsNotIndependent(current, current.stage, { ...context, staff: target });
  if (notIndependent)
    return self ? notIndependent : { ...notIndependent, explanation: `${target.name} may not be given this case: ${notIndependent.explanation}` };
  const previous = current.handler;
  if (previous && self && !request.takeOver) {
    return refuse('assigned-to-colleague', `${previous.name} has this case. To take it from them, use “Take over” (they will be told).`);
  }
  const draft = staffDraft(current, context);
  const { next } = draft;
  next.handler = { id: target.id, name: target.name };
  next.status = 'awaiting-response';
  if (next.acknowledgement && !next.acknowledgement.acknowledgedAt) next.acknowledgement = { ...next.acknowledgement, acknowledgedAt: next.updatedAt };
  const reference = formatReference(current.reference);
  const told: OutboxEventInput[] = [];
  if (!self) told.push({ type: 'colleague-told', person: { ...target }, text: `${staff.name} has given you complaint ${reference}.` });
  if (previous && previous.id !== staff.id) {
    told.push({
      type: 'colleague-told',
      person: { ...previous },
      text: self
        ? `${staff.name} has taken over complaint ${reference} from you.`
        : `${staff.name} has given complaint ${reference}, which you had, to ${target.name}.`,
    });
  }
  const summary = self
    ? previous
      ? `Taken over from ${previous.name} by ${staff.name}`
      : `Assigned to ${staff.name}`
    : `Assigned to ${target.name} by ${staff.name}`;
  const finished = draft.finish(draft.event('assigned', summary), `${summary}.`);
  return { ...finished, events: [...finished.events, ...told] };
}
