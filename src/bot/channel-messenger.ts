/**
 * Delivers messages outside a turn, by the conversation's channel: the self-hosted widget's
 * adapter writes straight into its conversation log (so the open page shows it at once); every
 * other channel goes through Bot Framework's CloudAdapter and the Bot Connector service.
 */
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { StoredConversationReference } from '../cases/case.js';
import { isSelfHosted, type SelfHostedDirectLineAdapter } from '../directline/self-hosted-adapter.js';
import { type ConversationMessenger, NotDeliverable } from '../ports/conversation-messenger.js';
import { proactively } from './proactive.js';

/** Sends to the widget or through Azure Bot Service, whichever the conversation came from. */
export class ChannelMessenger implements ConversationMessenger {
  constructor(
    private readonly deps: {
      readonly selfHosted: SelfHostedDirectLineAdapter | null;
      readonly cloud: CloudAdapter;
      /** The bot's Microsoft app id ('' without credentials). */
      readonly appId: string;
    },
  ) {}

  async send(stored: StoredConversationReference, text: string, options: { readonly messageId?: string } = {}): Promise<void> {
    const message = { type: 'message', text, ...(options.messageId ? { channelData: { complaintsMessageId: options.messageId } } : {}) };
    const reference: Partial<ConversationReference> = {
      channelId: stored.channelId,
      serviceUrl: stored.serviceUrl,
      conversation: {
        id: stored.conversation.id,
        isGroup: false,
        conversationType: 'personal',
        name: '',
        ...(stored.conversation.tenantId ? { tenantId: stored.conversation.tenantId } : {}),
      },
      bot: { id: stored.bot.id, name: stored.bot.name ?? '' },
      user: { id: stored.user.id, name: stored.user.name ?? '' },
      ...(stored.locale ? { locale: stored.locale } : {}),
    };
    try {
      if (isSelfHosted(reference)) {
        // Azure mode runs no self-hosted widget: its conversations cannot be reached from here.
        if (!this.deps.selfHosted) throw new NotDeliverable(stored.channelId);
        const adapter = this.deps.selfHosted;
        await proactively(
          (logic) => adapter.continueConversation(reference, logic),
          async (context) => {
            await context.sendActivity(message);
          },
        );
      } else {
        await proactively(
          (logic) => this.deps.cloud.continueConversationAsync(this.deps.appId, reference, logic),
          async (context) => {
            await context.sendActivity(message);
          },
        );
      }
    } catch (error) {
      throw new NotDeliverable(stored.channelId, { cause: error });
    }
  }
}
