/**
 * A staff message could not reach the complainant's chat: it is kept on the case, and shown the
 * next time they talk to the bot or look the complaint up. Kept once per message id, however
 * often the delivery is tried.
 *
 * @example
 * const result = keepMessage(value, { id: 'act-1:relay', text: '**A message from ...' }, { now });
 * if (!isRefusal(result)) result.next.undelivered.at(-1)?.id; // 'act-1:relay'
 */
import type { Case } from '../case.js';
import { draftOf, refuse, SYSTEM, type TransitionResult } from './transition.js';

/** How many messages wait at most: the oldest give way, since the latest matter most and the history has them all. */
const KEPT = 50;

/** The message, named by what caused it. */
export interface KeepMessageRequest {
  readonly id: string;
  readonly text: string;
}

/** Keeps an undelivered staff message for the complainant's next visit. */
export function keepMessage(current: Case, request: KeepMessageRequest, context: { readonly now: Date }): TransitionResult {
  if (current.undelivered.some((message) => message.id === request.id)) return refuse('already-kept', 'That message is already kept for the complainant.');
  const next = draftOf(current, context.now);
  const at = next.updatedAt;
  next.undelivered = [...next.undelivered, { id: request.id, at, text: request.text }].slice(-KEPT);
  return {
    next,
    event: { type: 'message-relayed', at, actor: SYSTEM, summary: 'Could not reach the complainant’s chat: kept for their next visit' },
    events: [],
  };
}
