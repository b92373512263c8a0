/**
 * The case's card has been posted in the staff channel: its thread is recorded on the case, and
 * carries everything about the case from now on. The card is then brought up to date, so its
 * buttons carry the case as it now stands.
 *
 * @example
 * const result = recordTeamsThread(value, { thread }, { now });
 * if (!isRefusal(result)) result.next.teamsThread; // thread
 */
import type { Case } from '../case.js';
import { draftOf, refuse, SYSTEM, type TransitionResult } from './transition.js';

/** The thread posted. */
export interface TeamsThreadRequest {
  readonly thread: NonNullable<Case['teamsThread']>;
}

/** Records the case's Teams thread (once: a case has one card). */
export function recordTeamsThread(current: Case, request: TeamsThreadRequest, context: { readonly now: Date }): TransitionResult {
  if (current.teamsThread) return refuse('thread-already-recorded', 'The case already has its card in Teams.');
  const next = draftOf(current, context.now);
  next.teamsThread = { ...request.thread };
  return {
    next,
    event: { type: 'updated', at: next.updatedAt, actor: SYSTEM, summary: 'Case card posted in Teams' },
    events: [{ type: 'card-changed' }],
  };
}
