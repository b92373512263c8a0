/**
 * The bot: every turn runs through the turn runner (per-conversation order, compare-and-set
 * state, redelivered activities skipped), and the public dialogs run inside it. A new
 * conversation is greeted as soon as it opens, before the person types anything. What a turn
 * says goes out in as few messages as it can (see merge-replies.ts).
 */
import { ActivityHandler, type TurnContext } from 'botbuilder';
import { type Dialog, type DialogState, DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import type { ConversationStateStore } from '../state/conversation-state.js';
import type { TurnRunner } from '../state/turn-runner.js';
import { propertyOf } from '../values/property-of.js';
import { DialogShortcuts } from './dialog-shortcuts.js';
import { mergeReplies } from './merge-replies.js';

/** The event the widget sends when it has shown a message from staff. */
const SEEN_EVENT = 'message-seen';

/** The public-facing bot. */
export class ComplaintBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  /** Per-turn work of botbuilder-dialogs skipped after the first turn (see dialog-shortcuts.ts). */
  readonly shortcuts = new DialogShortcuts();

  constructor(
    private readonly root: Dialog,
    state: ConversationStateStore,
    private readonly runner: TurnRunner,
    /** The chat showed a message from staff (the widget confirms what it showed). */
    private readonly seen: (messageId: unknown, conversationId: string) => Promise<void> = () => Promise.resolve(),
  ) {
    super();
    this.dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
    this.dialogs.add(root);
  }

  override run(context: TurnContext): Promise<void> {
    // The turn runner sends an attempt's replies together once its state is saved: here they
    // are folded into as few messages as they can be, in place, before the adapter sends them.
    context.onSendActivities((_context, activities, next) => {
      activities.splice(0, activities.length, ...mergeReplies(activities));
      return next();
    });
    return this.runner.run(context, (turn) => this.dispatch(turn));
  }

  /**
   * Messages, and someone arriving, go straight to the dialogs; anything else takes
   * ActivityHandler's way (an invoke gets its 501 answer). ActivityHandler's dispatch,
   * a dozen layers of handlers for a message, cost more than the turn's own Redis work.
   */
  private async dispatch(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.type === 'message') {
      await this.converse(context);
    } else if (activity.type === 'event' && activity.name === SEEN_EVENT) {
      await this.seen(propertyOf(activity.value, 'id'), activity.conversation.id);
    } else if (activity.type === 'conversationUpdate') {
      const someoneArrived = (activity.membersAdded ?? []).some((member) => member.id !== activity.recipient.id);
      if (someoneArrived) await this.converse(context);
    } else {
      await super.run(context);
    }
  }

  /** Continues the conversation where it is, or starts it. */
  private async converse(context: TurnContext): Promise<void> {
    this.shortcuts.prepare(context);
    try {
      const dc = await this.dialogs.createContext(context);
      if (context.activity.type === 'message') {
        const result = await dc.continueDialog();
        if (result.status !== DialogTurnStatus.empty) return;
      } else if (dc.activeDialog) {
        return;
      }
      await dc.beginDialog(this.root.id);
    } finally {
      this.shortcuts.learn(context);
    }
  }
}
