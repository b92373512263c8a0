/**
 * A closed or withdrawn case is opened again, with the reason recorded. It goes back to where it
 * stood before it was closed (waiting to be picked up, waiting for its response, or responded),
 * at the same stage and with the same deadlines: the law's clock did not stop while the case was
 * closed, so reopening never gives the organisation a later date. A decision that closed the case
 * (not considering a late complaint, or who may complain) is put back to be decided again.
 *
 * A redirected case is not reopened: it went to another organisation, and coming back is a new
 * complaint to this one.
 *
 * @example
 * const result = reopen(value, { reason: 'Closed by mistake', message: null }, context);
 * if (!isRefusal(result)) result.next.status; // 'open', 'awaiting-response' or 'responded'
 */
import type { Case, CaseStatus } from '../case.js';
import { currentDeadline } from '../indexing.js';
import { formatLongDate, parseLocalDate } from '../../policy/index.js';
import { type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** Why the case is reopened (for the record), and what the complainant is told, if anything. */
export interface ReopenRequest {
  readonly reason: string;
  readonly message: string | null;
}

/** Where a case stands once reopened, from what it holds. */
function statusOnReopening(current: Case): CaseStatus {
  if (current.responses.some((response) => response.stage === current.stage)) return 'responded';
  return current.handler ? 'awaiting-response' : 'open';
}

/** Reopens the case. */
export function reopen(current: Case, request: ReopenRequest, context: StaffContext): StaffTransitionResult {
  if (current.erased)
    return refuse(
      'already-erased',
      'The personal data in this case were erased, so it cannot be reopened; if the person comes back, it is lodged as a new complaint.',
    );
  if (current.status === 'redirected') {
    return refuse('redirected-elsewhere', 'This complaint was sent to another organisation; if it comes back, it is lodged as a new complaint.');
  }
  if (current.status !== 'closed' && current.status !== 'withdrawn') return refuse('not-closed', 'This case is open; there is nothing to reopen.');
  const draft = staffDraft(current, context);
  const { next } = draft;
  next.status = statusOnReopening(current);
  next.closure = null;
  if (next.flags.late?.decision === 'declined') next.flags.late = { ...next.flags.late, decision: 'pending' };
  if (next.flags.standing?.decision === 'declined') next.flags.standing = { ...next.flags.standing, decision: 'pending' };
  const { message } = request;
  const deadline = next.status === 'responded' ? null : currentDeadline(next);
  const late = deadline !== null && Date.parse(deadline.endsAt) < context.now.getTime();
  const done = late ? `Reopened. Its response was due by ${formatLongDate(parseLocalDate(deadline.due))} and is now late.` : 'Reopened.';
  return draft.finish(
    draft.event('reopened', `Reopened: ${request.reason}`, { reason: request.reason, ...(message ? { text: message } : {}) }),
    done,
    message ? { notice: 'message', text: `About your complaint ${draft.reference}: it has been opened again.\n\n${message}` } : null,
  );
}
