/** Builds the public bot from its ports and conversation storage (the server's composition root calls this). */
import { MainDialog } from '../../dialogs/main-dialog.js';
import type { ComplaintDialogPorts, ConversationMemory } from '../../dialogs/ports.js';
import { ConversationStateStore } from '../state/conversation-state.js';
import type { ConversationStorage } from '../state/conversation-storage.js';
import { TurnRunner } from '../state/turn-runner.js';
import { ComplaintBot } from './complaint-bot.js';

/** The bot and the pieces a caller may need alongside it. */
export interface ComplaintBotParts {
  readonly bot: ComplaintBot;
  readonly dialog: MainDialog;
  readonly state: ConversationStateStore;
}

/** Wires the dialogs, conversation state and turn runner into a bot. */
export function createComplaintBot(
  storage: ConversationStorage,
  ports: Omit<ComplaintDialogPorts, 'memory'>,
  seen?: (messageId: unknown, conversationId: string) => Promise<void>,
): ComplaintBotParts {
  const state = new ConversationStateStore(storage);
  const dialog = new MainDialog({ ...ports, memory: state.createProperty<ConversationMemory>('memory') });
  return { bot: new ComplaintBot(dialog, state, new TurnRunner(state), seen), dialog, state };
}
