/**
 * The case is closed. The complainant is told only when staff write something for them: a
 * closure with no words is a record-keeping step (say, one settled by phone).
 *
 * @example
 * const result = close(value, { message: 'As we agreed on the phone ...' }, context);
 * if (!isRefusal(result)) result.next.status; // 'closed'
 */
import type { Case } from '../case.js';
import { refusedAsNotIndependent, refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';

/** What the complainant is told, if anything. */
export interface CloseRequest {
  readonly message: string | null;
}

/** Closes the case. */
export function close(current: Case, request: CloseRequest, context: StaffContext): StaffTransitionResult {
  const refused = refusedWhenClosed(current) ?? refusedAsNotIndependent(current, current.stage, context);
  if (refused) return refused;
  const draft = staffDraft(current, context);
  draft.next.status = 'closed';
  draft.next.closure = 'decided';
  const { message } = request;
  return draft.finish(
    draft.event('closed', 'Closed', message ? { text: message } : {}),
    'Closed.',
    message ? { notice: 'closed', text: `About your complaint ${draft.reference}: it has now been closed.\n\n${message}` } : null,
  );
}
