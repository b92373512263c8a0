/**
 * Sending a message into a person's conversation outside a turn: a staff reply reaching the
 * complainant's chat while it is open. Which channel carries it (the self-hosted widget, Azure
 * Direct Line, Teams) is the adapter's business, decided from the stored conversation reference.
 */
import type { StoredConversationReference } from '../cases/case.js';

/** A message could not be delivered to a conversation (no such channel here, or the channel refused). */
export class NotDeliverable extends Error {
  override readonly name = 'NotDeliverable';
  constructor(
    readonly channelId: string,
    options?: { cause?: unknown },
  ) {
    super(`A message could not be delivered on channel ${channelId}`, options);
  }
}

/** Sends messages to conversations. */
export interface ConversationMessenger {
  /**
   * Sends Markdown text; throws `NotDeliverable` when it cannot. `messageId` travels with the
   * message (in its channel data) so the widget can confirm it showed it.
   */
  send(reference: StoredConversationReference, text: string, options?: { readonly messageId?: string }): Promise<void>;
}
