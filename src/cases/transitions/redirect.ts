/**
 * Another organisation is the right one to deal with the complaint: the case ends here, and the
 * complainant is told where to go, in staff's words.
 *
 * @example
 * const result = redirect(value, { to: 'NHS England', message: 'Please contact ...' }, context);
 * if (!isRefusal(result)) result.next.status; // 'redirected'
 */
import type { Case } from '../case.js';
import { refusedAsNotIndependent, refusedWhenClosed, type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';

/** Where the complaint should go, and what the complainant is told. */
export interface RedirectRequest {
  readonly to: string;
  readonly message: string;
}

/** Redirects the complaint to another organisation. */
export function redirect(current: Case, request: RedirectRequest, context: StaffContext): StaffTransitionResult {
  const refused = refusedWhenClosed(current) ?? refusedAsNotIndependent(current, current.stage, context);
  if (refused) return refused;
  const draft = staffDraft(current, context);
  draft.next.status = 'redirected';
  return draft.finish(
    draft.event('redirected', `Redirected to ${request.to}`, { to: request.to, text: request.message }),
    `Redirected to ${request.to}; the complainant has been told.`,
    {
      notice: 'redirected',
      text: `About your complaint ${draft.reference}: ${context.organisation} is not the right organisation to deal with it.\n\n${request.message}`,
    },
  );
}
