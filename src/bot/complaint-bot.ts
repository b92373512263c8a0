/**
 * The bot: every turn runs through the turn runner (per-conversation order, compare-and-set
 * state, redelivered activities skipped), and the public dialogs run inside it. A new
 * conversation is greeted as soon as it opens, before the person types anything.
 */
import { ActivityHandler, type TurnContext } from 'botbuilder';
import { type Dialog, type DialogState, DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import type { ConversationStateStore } from '../state/conversation-state.js';
import type { TurnRunner } from '../state/turn-runner.js';

/** The public-facing bot. */
export class ComplaintBot extends ActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(private readonly root: Dialog, state: ConversationStateStore, private readonly runner: TurnRunner) {
    super();
    this.dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
    this.dialogs.add(root);
    this.onMessage(async (context, next) => {
      await this.converse(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const someoneArrived = (context.activity.membersAdded ?? []).some((member) => member.id !== context.activity.recipient.id);
      if (someoneArrived) await this.converse(context);
      await next();
    });
  }

  override run(context: TurnContext): Promise<void> {
    return this.runner.run(context, (turn) => super.run(turn));
  }

  /** Continues the conversation where it is, or starts it. */
  private async converse(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    if (context.activity.type === 'message') {
      const result = await dc.continueDialog();
      if (result.status !== DialogTurnStatus.empty) return;
    } else if (dc.activeDialog) {
      return;
    }
    await dc.beginDialog(this.root.id);
  }
}
