/**
 * Which case a Teams thread belongs to. A staff reply arrives with the thread's conversation id
 * (`19:...@thread.tacv2;messageid=<root>`), and nothing else says which complaint it is about:
 * the directory maps the thread's root post to the case reference. Written once, when the card
 * is posted, and never changed, so it needs no atomicity with the case itself.
 */
import { isCaseReference, type CaseReference } from '../cases/reference.js';

/** Maps a case card's Teams post to its case. */
export interface ThreadDirectory {
  /** Records that the post with this id is the case's card (a second call for the same post keeps the first). */
  link(rootActivityId: string, reference: CaseReference): Promise<void>;
  /** The case whose card is this post, or null. */
  find(rootActivityId: string): Promise<CaseReference | null>;
}

/** The root post id of a Teams channel thread's conversation id, or null for a channel or chat without one. */
export function threadRootOf(conversationId: string): string | null {
  const match = /;messageid=(\d{1,30})$/.exec(conversationId);
  return match?.[1] ?? null;
}

/** The channel part of a thread's conversation id (what comes before ";messageid="). */
export function channelOfConversation(conversationId: string): string {
  const at = conversationId.indexOf(';');
  return at === -1 ? conversationId : conversationId.slice(0, at);
}

/** A stored value read back: a reference, or nothing (a damaged entry is treated as none). */
export function storedReference(value: string | null | undefined): CaseReference | null {
  return typeof value === 'string' && isCaseReference(value) ? value : null;
}
