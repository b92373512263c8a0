/**
 * Staff messages kept because the complainant's chat could not be reached have now been shown
 * to them: they leave the case (the history still has them).
 *
 * @example
 * const result = keptMessagesShown(value, { ids: ['act-1:relay'] }, { now });
 * if (!isRefusal(result)) result.next.undelivered; // without act-1:relay
 */
import type { Case } from '../case.js';
import { draftOf, refuse, SYSTEM, type TransitionResult } from './transition.js';

/** The messages shown, by id. */
export interface KeptMessagesShownRequest {
  readonly ids: readonly string[];
}

/** Clears kept messages once shown. */
export function keptMessagesShown(current: Case, request: KeptMessagesShownRequest, context: { readonly now: Date }): TransitionResult {
  const shown = new Set(request.ids);
  if (!current.undelivered.some((message) => shown.has(message.id))) return refuse('nothing-waiting', 'None of those messages is waiting any more.');
  const next = draftOf(current, context.now);
  next.undelivered = next.undelivered.filter((message) => !shown.has(message.id));
  return {
    next,
    event: { type: 'message-relayed', at: next.updatedAt, actor: SYSTEM, summary: `Kept messages shown to the complainant (${String(shown.size)})` },
    events: [],
  };
}
