/** What the dialogs read from the turn's activity, in one place. */
import { type Activity, type TurnContext, TurnContext as Context } from 'botbuilder';
import { conversationReferenceSchema, type StoredConversationReference } from '../src/cases/case.js';

/** The text of a message activity (an empty string for a message with only attachments), or null for other activities. */
export function messageText(context: TurnContext): string | null {
  // Typed as always having text, but a message with only attachments has none.
  const activity: Partial<Activity> = context.activity;
  return activity.type === 'message' ? (activity.text ?? '') : null;
}

/**
 * Where to reach this person later (staff replies, updates), as a case stores it; null when the
 * channel gave too little to reach them again.
 */
export function storedReferenceOf(context: TurnContext): StoredConversationReference | null {
  const reference = Context.getConversationReference(context.activity);
  const parsed = conversationReferenceSchema.safeParse({
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: { id: reference.conversation?.id, ...(reference.conversation?.tenantId ? { tenantId: reference.conversation.tenantId } : {}) },
    bot: { id: reference.bot?.id },
    user: { id: reference.user?.id },
    ...(reference.locale ? { locale: reference.locale } : {}),
  });
  return parsed.success ? parsed.data : null;
}

/** A key naming what this activity caused, for idempotent changes ("<activity id>:escalate"). */
export function causedBy(context: TurnContext, purpose: string, fallback: string): string {
  return `${context.activity.id ?? fallback}:${purpose}`;
}
