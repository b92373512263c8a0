/**
 * The adapter for the self-hosted Direct Line. The widget's activities reach the bot in this
 * process, without an HTTP hop or Azure credentials; the bot's replies, and messages sent to the
 * person later (a staff reply while the page is open), are written straight into the
 * conversation log, from which the widget reads them.
 */
import { randomBytes } from 'node:crypto';
import { type Activity, ActivityTypes, BotAdapter, type ConversationReference, type ResourceResponse, TurnContext } from 'botbuilder';
import { type Logger, setTurnLogger } from '../ports/logger.js';
import type { ConversationLog } from './conversation-log.js';
import { SELF_HOSTED_SERVICE_URL } from './client-address.js';

export { SELF_HOSTED_SERVICE_URL };

/** The channel id self-hosted conversations carry. */
export const SELF_HOSTED_CHANNEL_ID = 'directline';

/** The bot's identity on the self-hosted channel. */
export const BOT_ACCOUNT = { id: 'complaints-bot', name: 'Complaints' } as const;

/** Whether a turn is finished with ('done'), or should be run again once storage answers ('again'). */
export type TurnOutcome = 'done' | 'again';

/** Failures after which a turn is run again: storage did not answer, or the turn kept losing its save to other turns. */
const RUN_AGAIN_AFTER: ReadonlySet<string> = new Set(['StorageUnavailable', 'TurnConflict']);

/** How many replies this turn wrote to the conversation (the apology for a failed turn included). */
const REPLIES_WRITTEN = Symbol('replies written');

/** A new activity id in a conversation, in the shape Direct Line uses ("<conversation>|<n>"). */
export function activityId(conversationId: string): string {
  return `${conversationId}|${randomBytes(6).toString('hex')}`;
}

/** Whether a conversation reference belongs to the self-hosted channel. */
export function isSelfHosted(reference: Partial<ConversationReference>): boolean {
  return reference.serviceUrl === SELF_HOSTED_SERVICE_URL;
}

/** Runs the bot for the self-hosted Direct Line and delivers its replies to the log. */
export class SelfHostedDirectLineAdapter extends BotAdapter {
  constructor(
    private readonly log: ConversationLog,
    private readonly logger: Logger,
  ) {
    super();
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const conversationId = activity.conversation?.id ?? context.activity.conversation.id;
      if (activity.type === ActivityTypes.InvokeResponse) {
        // There are no invokes on this channel; nothing to return.
        responses.push({ id: '' });
        continue;
      }
      if (activity.type === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, Math.min(Number(activity.value) || 0, 5000)));
        responses.push({ id: '' });
        continue;
      }
      const id = activityId(conversationId);
      await this.log.append(conversationId, {
        ...activity,
        id,
        channelId: SELF_HOSTED_CHANNEL_ID,
        serviceUrl: SELF_HOSTED_SERVICE_URL,
        timestamp: new Date(),
        from: activity.from ?? BOT_ACCOUNT,
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      });
      context.turnState.set(REPLIES_WRITTEN, (context.turnState.get<number | undefined>(REPLIES_WRITTEN) ?? 0) + 1);
      responses.push({ id });
    }
    return responses;
  }

  updateActivity(): Promise<void> {
    this.logger.warn('directline.update-unsupported');
    return Promise.resolve();
  }

  deleteActivity(): Promise<void> {
    this.logger.warn('directline.delete-unsupported');
    return Promise.resolve();
  }

  /** Sends to a conversation outside a turn (proactive messages). */
  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /**
   * Runs the bot for an activity from the widget; the turn logs through `log`. The turn failing
   * is reported to the person by the error handler; what comes back says whether it is worth
   * running again: 'again' when storage failed under it and nothing reached the chat (not even
   * the apology: the person has had no answer), 'done' otherwise (a person told "please try
   * again" will, and a turn that fails for a fault in it would only fail again).
   */
  async process(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>, log: Logger): Promise<TurnOutcome> {
    const context = new TurnContext(this, activity);
    setTurnLogger(context, log);
    let failure: unknown = null;
    await this.runMiddleware(context, async (turn) => {
      try {
        await logic(turn);
      } catch (error) {
        failure = error;
        throw error;
      }
    });
    const answered = (context.turnState.get<number | undefined>(REPLIES_WRITTEN) ?? 0) > 0;
    return failure instanceof Error && RUN_AGAIN_AFTER.has(failure.name) && !answered ? 'again' : 'done';
  }
}
