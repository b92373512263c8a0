/**
 * A rights action (subject access, a correction, an erasure) asked from the case card or the
 * staff tab, through the rights service (which keeps the audit): the same checks from both. A
 * correction or erasure asked from a view that is out of date is refused like any decision:
 * staff must see the case as it is before they change what it holds about someone.
 */
import type { StoredCase } from '../cases/case.js';
import { isRefusal } from '../cases/transitions/transition.js';
import type { RightsActor } from '../rights/rights.js';
import { decisionState } from './cards/case-card.js';
import type { StaffRights } from './staff-bot.js';
import type { RightsCardAction } from './staff-actions.js';
import type { StaffMember } from './staff-access.js';

/** What came of a rights action. */
export type RightsActionResult =
  | { readonly kind: 'export-link'; readonly url: string }
  | { readonly kind: 'done'; readonly text: string }
  | { readonly kind: 'refused'; readonly text: string }
  | { readonly kind: 'stale' }
  | { readonly kind: 'not-set-up' };

export async function applyRightsAction(
  rights: StaffRights | undefined,
  stored: StoredCase,
  action: RightsCardAction,
  staff: StaffMember,
  via: RightsActor['via'],
  /** Names this press: a repeat of it corrects once. */
  pressKey: string,
): Promise<RightsActionResult> {
  if (!rights) return { kind: 'not-set-up' };
  const reference = stored.case.reference;
  if (action.verb === 'subject-access') return { kind: 'export-link', url: await rights.exportLink(reference, staff) };
  if (action.state !== decisionState(stored.case)) return { kind: 'stale' };
  const by = { staff, via };
  const outcome =
    action.verb === 'erase'
      ? await rights.service.eraseOnRequest(reference, action.reason, by, `erase:${reference}`)
      : await rights.service.rectify(
          reference,
          {
            ...(action.name ? { name: action.name } : {}),
            ...(action.email ? { email: action.email } : {}),
            ...(action.phone ? { phone: action.phone } : {}),
            reason: action.reason,
          },
          by,
          `${pressKey}:correct-details`,
        );
  return isRefusal(outcome) ? { kind: 'refused', text: outcome.explanation } : { kind: 'done', text: outcome.done };
}

/** What staff are told when a rights action was not done for a reason of the service's own. */
export const RIGHTS_NOT_DONE = {
  'not-set-up': 'The rights actions are not set up on this service. Nothing was changed.',
  stale: 'Someone else changed this case since this card was shown. Here it is now; nothing was changed. Check, then try again.',
} as const;
