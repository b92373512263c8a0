/**
 * The complainant is back in a chat the case does not send to yet (they lodged in another, or
 * came back in a new one and proved the case theirs): from now on, staff messages go here. The
 * case remembers the latest few chats, this one last.
 *
 * @example
 * const result = linkConversation(value, { conversation: here }, { now });
 * if (!isRefusal(result)) result.next.conversations.at(-1); // here
 */
import type { Case, StoredConversationReference } from '../case.js';
import { COMPLAINANT, draftOf, refuse, type TransitionResult } from './transition.js';

/** The history line when a case starts sending replies to a new chat. */
export const CONVERSATION_LINKED = 'Came back in a new chat: replies now go there';

/** How many conversations a case remembers (the latest are the ones staff replies go to). */
const CONVERSATIONS_KEPT = 10;

/** The conversation to send to. */
export interface LinkConversationRequest {
  readonly conversation: StoredConversationReference;
}

/** Makes the conversation the one staff messages reach. */
export function linkConversation(current: Case, request: LinkConversationRequest, context: { readonly now: Date }): TransitionResult {
  const here = request.conversation;
  const same = (known: StoredConversationReference): boolean => known.channelId === here.channelId && known.conversation.id === here.conversation.id;
  const last = current.conversations.at(-1);
  if (last && same(last)) return refuse('already-linked', 'Staff messages already come to this conversation.');
  const next = draftOf(current, context.now);
  next.conversations = [...next.conversations.filter((known) => !same(known)), structuredClone(here)].slice(-CONVERSATIONS_KEPT);
  return { next, event: { type: 'updated', at: next.updatedAt, actor: COMPLAINANT, summary: CONVERSATION_LINKED }, events: [] };
}
