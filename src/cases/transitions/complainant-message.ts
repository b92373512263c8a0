/**
 * The complainant writes to the staff handling their case: the words are recorded in the
 * history, and go into the case's Teams thread.
 *
 * @example
 * const result = messageFromComplainant(value, { text: 'I have the letter now' }, { now });
 * result.events; // [{ type: 'complainant-wrote', text: 'I have the letter now' }]
 */
import type { Case } from '../case.js';
import { COMPLAINANT, type CaseTransition, draftOf } from './transition.js';

/** What the complainant wrote. */
export interface ComplainantMessageRequest {
  readonly text: string;
}

/** Passes a message from the complainant to staff. */
export function messageFromComplainant(current: Case, request: ComplainantMessageRequest, context: { readonly now: Date }): CaseTransition {
  const next = draftOf(current, context.now);
  next.complainantLastWroteAt = next.updatedAt;
  return {
    next,
    event: {
      type: 'message-relayed',
      at: next.updatedAt,
      actor: COMPLAINANT,
      summary: 'Message from the complainant',
      details: { text: request.text },
    },
    events: [{ type: 'complainant-wrote', text: request.text }],
  };
}
