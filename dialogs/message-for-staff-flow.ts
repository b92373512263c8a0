/**
 * Checking before passing a message to staff. Once a complaint is made or found in a chat, what
 * the person writes may be for the team or for the bot ("hello", "is anyone there?"); a message
 * that is not clearly for the team is sent only if they say so, and exactly as they wrote it.
 */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { formatReference, type CaseReference } from '../src/cases/reference.js';
import { passedOn, passToStaff } from './case-link.js';
import type { DialogFlow } from './flow.js';
import { ask } from './prompts.js';
import type { ComplaintDialogPorts } from './ports.js';
import { normalise, readYesNo } from './recognisers.js';
import { VersionedWaterfallDialog } from './versioning.js';

export const MESSAGE_FOR_STAFF_DIALOG = 'message-for-staff';

const SEND = 'Send';
const DONT_SEND = 'Don’t send';

/** A message waiting for the person to say whether it goes to the team. */
export interface MessageForStaff {
  readonly reference: CaseReference;
  /** What they wrote, cleaned, as it will reach staff. */
  readonly text: string;
  /** Names the relaying after the message's own activity (see `relayKey`), so it is relayed once. */
  readonly key: string;
}

/** How it ended: relayed or not, or answered with something else, to be taken as a new message. */
export type MessageForStaffOutcome = { readonly relayed: boolean } | { readonly instead: string };

/** Whether a dialog's result is this dialog's outcome (the menu hears the results of every dialog it begins). */
export function isMessageForStaffOutcome(result: unknown): result is MessageForStaffOutcome {
  if (typeof result !== 'object' || result === null) return false;
  return ('relayed' in result && typeof result.relayed === 'boolean') || ('instead' in result && typeof result.instead === 'string');
}

/** Whether a message is one of this question's buttons (pressed again, or late, it sends nothing by itself). */
export function isSendButton(text: string): boolean {
  const said = normalise(text);
  return said === normalise(SEND) || said === normalise(DONT_SEND);
}

/** Asks "Shall I send this to the team dealing with …?" and sends it only on "Send". */
export class MessageForStaffFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [new VersionedWaterfallDialog<MessageForStaff>(MESSAGE_FOR_STAFF_DIALOG, 1, [this.askToSend.bind(this), this.sendOrNot.bind(this)])];
  }

  private askToSend(step: WaterfallStepContext<MessageForStaff>): Promise<DialogTurnResult> {
    return ask(step, {
      text: `Shall I send this to the team dealing with ${formatReference(step.options.reference)}?`,
      help:
        `Choose "${SEND}" and I’ll pass what you just wrote to the team dealing with your complaint; they’ll reply here, or by the contact details ` +
        `you gave. Choose "${DONT_SEND}" if it wasn’t meant for them.`,
      buttons: [SEND, DONT_SEND],
    });
  }

  private async sendOrNot(step: WaterfallStepContext<MessageForStaff>): Promise<DialogTurnResult> {
    const said = String(step.result);
    const plain = normalise(said).replace(/[.!]+$/, '');
    const { answer, rest } = readYesNo(plain);
    if (plain === normalise(DONT_SEND) || /^(don'?t|do not|no,? don'?t|no) send( it)?$/.test(plain) || (answer === false && rest === '')) {
      await step.context.sendActivity('OK, I haven’t sent it.');
      return step.endDialog({ relayed: false } satisfies MessageForStaffOutcome);
    }
    if (plain === normalise(SEND) || /^(yes,? )?(please )?send( it)?( please| now)?$/.test(plain) || (answer === true && rest === '')) {
      const { reference, text, key } = step.options;
      const passed = await passToStaff(this.ports, step.context, reference, text, key);
      if (!passed) {
        await step.context.sendActivity('I’m sorry: I couldn’t pass that on just now because of a problem on our side. Please try again in a few minutes.');
        return step.endDialog({ relayed: false } satisfies MessageForStaffOutcome);
      }
      await step.context.sendActivity(passedOn(reference, passed));
      return step.endDialog({ relayed: true } satisfies MessageForStaffOutcome);
    }
    // They wrote something else: that one is not sent either, and the new words are read afresh.
    await step.context.sendActivity('I haven’t sent your earlier message.');
    return step.endDialog({ instead: said } satisfies MessageForStaffOutcome);
  }
}
