/**
 * A member of staff writes to the complainant from the case's thread or the staff tab: the
 * message is recorded in the history, and the complainant is told it in their chat (or kept for
 * their next visit); a message from the tab is also announced in the thread.
 * Allowed whatever the case's status: a closed case can still need a word.
 *
 * @example
 * const result = messageFromStaff(value, { text: 'Could you send the letter?' }, { now, staff });
 * result.events[0]; // { type: 'complainant-told', notice: 'message', text: '**A message from the complaints team about ...' }
 */
import type { Case } from '../case.js';
import { formatReference } from '../reference.js';
import type { StaffContext } from './staff-change.js';
import { type CaseTransition, draftOf } from './transition.js';

/** What staff wrote. */
export interface StaffMessageRequest {
  readonly text: string;
  /** Written in the case's thread (the default: the thread shows it already) or in the staff tab (the thread is told). */
  readonly from?: 'thread' | 'tab';
}

/** Relays a message from staff to the complainant. */
export function messageFromStaff(current: Case, request: StaffMessageRequest, context: Pick<StaffContext, 'now' | 'staff'>): CaseTransition {
  const next = draftOf(current, context.now);
  const { staff } = context;
  const text = `**A message from the complaints team about ${formatReference(current.reference)}:**\n\n${request.text}\n\nYou can reply here.`;
  return {
    next,
    event: {
      type: 'message-relayed',
      at: next.updatedAt,
      actor: { kind: 'staff', id: staff.id, name: staff.name },
      summary: 'Message to the complainant',
      details: { text: request.text },
    },
    events: [...(request.from === 'tab' ? [{ type: 'staff-wrote' as const, by: staff.name }] : []), { type: 'complainant-told', notice: 'message', text }],
  };
}
