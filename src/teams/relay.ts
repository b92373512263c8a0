/**
 * Staff words reaching the complainant: sent into the conversation the complainant last used
 * (from the reference stored on the case, in Redis, so it survives restarts). When it cannot be
 * reached, the message is kept on the case and shown the next time they talk to the bot.
 */
import type { StoredCase } from '../cases/case.js';
import { type CaseStore, updateCase } from '../cases/case-store.js';
import { keepMessage } from '../cases/transitions/keep-message.js';
import { isRefusal } from '../cases/transitions/transition.js';
import type { Clock } from '../ports/clock.js';
import { type ConversationMessenger, NotDeliverable } from '../ports/conversation-messenger.js';
import type { Logger } from '../ports/logger.js';

/** What happened to a message for the complainant. */
export type Delivery = 'delivered' | 'kept';

export interface RelayDeps {
  readonly cases: CaseStore;
  readonly messenger: ConversationMessenger;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Keeps a message on the case for the complainant's next visit (once per id). */
export async function keepForLater(deps: RelayDeps, stored: StoredCase, id: string, text: string): Promise<void> {
  const now = deps.clock.now();
  await updateCase(deps.cases, stored.case.reference, `${id}:kept`, (current) => {
    const result = keepMessage(current.case, { id, text }, { now });
    return isRefusal(result) ? null : result;
  });
}

/**
 * Sends to the complainant's latest conversation; keeps the message when it cannot be delivered.
 * `id` names the message (the staff activity or action that caused it), so a retry keeps it once.
 */
export async function sendToComplainant(deps: RelayDeps, stored: StoredCase, id: string, text: string): Promise<Delivery> {
  const conversation = stored.case.conversations.at(-1);
  if (conversation) {
    try {
      await deps.messenger.send(conversation, text, { messageId: id });
      return 'delivered';
    } catch (error) {
      if (!(error instanceof NotDeliverable)) throw error;
      deps.log.warn('relay.not-delivered', { channel: error.channelId });
    }
  }
  await keepForLater(deps, stored, id, text);
  return 'kept';
}

/** The line posted in the thread about a delivery. */
export function deliveryLine(delivery: Delivery): string {
  return delivery === 'delivered'
    ? 'Sent to the complainant’s chat.'
    : 'The complainant’s chat could not be reached, so the message is kept and will be shown to them when they next use the chat (or look up their ' +
        'complaint). Consider their preferred contact method too.';
}
