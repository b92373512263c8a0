/**
 * The complainant wrote to a case that is closed: their words in the case's thread, literally,
 * with the case's "Reopen" beside them, since what they wrote may call for it (the card at the
 * top of the thread has it too, but may be far above). A withdrawn case is the same; a
 * redirected one has nothing to reopen here.
 */
import type { Case } from '../../cases/case.js';
import { type AdaptiveCard, reopenAction } from './case-card.js';
import { messageCard } from './message-card.js';

export function closedCaseMessageCard(value: Case, message: string): AdaptiveCard {
  const card = messageCard(
    `The complainant wrote about this ${value.status} case. Read it in case it calls for reopening; to answer, use “Reply to complainant” ` +
      'on the card or @mention this app in a reply.',
    message,
  );
  return value.status === 'redirected' ? card : { ...card, actions: [reopenAction(value)] };
}
