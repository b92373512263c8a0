/**
 * A reminder in a case's thread for a case nobody has: what is due, and "Assign to me", so the
 * first person to see it can take it from where they read it. The action is the case card's own
 * (same verb, same decision state), so pressing it after someone else did is refused the same way.
 */
import type { Case } from '../../cases/case.js';
import { type AdaptiveCard, decisionState } from './case-card.js';

export function reminderCard(text: string, value: Case): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text, wrap: true, weight: 'Bolder' }],
    actions: [{ type: 'Action.Execute', title: 'Assign to me', verb: 'assign', data: { reference: value.reference, state: decisionState(value) } }],
  };
}
