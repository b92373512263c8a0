/**
 * A new complaint is made. The case as the complainant's answers and the policy make it is
 * saved with its first history entry; staff are alerted (and alerted again, as urgent, when it
 * comes flagged: safeguarding words, made late, or who may complain to decide), and the
 * complainant is sent an acknowledgement by email or text (the chat already showed it).
 *
 * @example
 * const lodging = lodge(caseFromDraft(draft, now, policy, options), { now });
 * await store.lodge({ ...lodging, secondFactor, submissionKey });
 */
import type { Case } from '../case.js';
import type { OutboxEventInput } from '../outbox-event.js';
import { COMPLAINANT, type Lodging } from './transition.js';

/** Lodges a complaint. */
export function lodge(complaint: Omit<Case, 'reference'>, context: { readonly now: Date }): Lodging {
  const at = context.now.toISOString();
  const { flags } = complaint;
  const events: OutboxEventInput[] = [{ type: 'staff-alerted', alert: 'lodged' }];
  if (flags.safeguarding || flags.late || flags.standing) events.push({ type: 'staff-alerted', alert: 'flagged' });
  events.push({ type: 'complainant-told', notice: 'acknowledgement', text: null });
  return {
    case: { ...structuredClone(complaint), lodgedAt: at, updatedAt: at },
    event: { at, actor: COMPLAINANT, summary: 'Complaint made through the chat' },
    events,
  };
}
