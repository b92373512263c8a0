/**
 * Something the complainant said suggests someone may be at risk: the words go on their case's
 * safeguarding flag (added to any there, the first ones kept), and staff are alerted (unless
 * they were told the words as they were said).
 *
 * @example
 * const result = flag(value, { safeguarding: { raisedAt, notes: ['he hits me'] } }, { now });
 * result.next.flags.safeguarding?.notes; // [..., 'he hits me']
 */
import type { Case } from '../case.js';
import { type SafeguardingNotes, withNote } from './safeguarding-notes.js';
import { COMPLAINANT, type CaseTransition, draftOf } from './transition.js';

/** The notes to put on the case. */
export interface FlagRequest {
  readonly safeguarding: Readonly<SafeguardingNotes>;
  /**
   * Staff were already told these words, urgently, as they were said: the case's card is brought
   * up to date without a second alert.
   */
  readonly staffAlreadyTold?: boolean;
}

/** Flags the case for safeguarding. */
export function flag(current: Case, request: FlagRequest, context: { readonly now: Date }): CaseTransition {
  const next = draftOf(current, context.now);
  let merged: SafeguardingNotes | null = next.flags.safeguarding;
  for (const note of request.safeguarding.notes) merged = withNote(merged, note, request.safeguarding.raisedAt);
  next.flags.safeguarding = merged ?? { raisedAt: request.safeguarding.raisedAt, notes: [...request.safeguarding.notes] };
  return {
    next,
    event: {
      type: 'flagged',
      at: next.updatedAt,
      actor: COMPLAINANT,
      summary: 'Said something suggesting someone may be at risk of harm',
      details: { safeguarding: true },
    },
    events: [request.staffAlreadyTold ? { type: 'card-changed' } : { type: 'staff-alerted', alert: 'flagged' }],
  };
}
