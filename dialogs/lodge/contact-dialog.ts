/**
 * How to contact the complainant: an email address, a UK phone number or both, each checked,
 * with a clear message when one is not valid; then how they prefer to be contacted, and which
 * detail they will give later to look their complaint up.
 */
import { ComponentDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Case } from '../../src/cases/case.js';
import { readContactDetails } from '../../src/cases/contact-details.js';
import { answerPrompt, ask, values } from '../prompts.js';
import type { ComplaintDialogPorts } from '../ports.js';
import { normalise } from '../recognisers.js';
import { literal } from '../wording.js';
import { VersionedWaterfallDialog } from '../versioning.js';

export const CONTACT_DIALOG = 'contact';
const STEPS = 'contact-steps';

/** What this dialog ends with. */
export interface ContactAnswer {
  readonly contact: Case['contact'];
  readonly secondFactor: 'email' | 'phone';
}

const PREFERENCES = ['By email', 'By phone', 'Here in this chat'];

/** Asks for contact details and how to use them. */
export class ContactDialog extends ComponentDialog {
  constructor(private readonly ports: ComplaintDialogPorts) {
    super(CONTACT_DIALOG);
    this.addDialog(answerPrompt());
    this.addDialog(new VersionedWaterfallDialog(STEPS, 1, [
      this.askDetails.bind(this),
      this.checkDetails.bind(this),
      this.finish.bind(this),
    ]));
    this.initialDialogId = STEPS;
  }

  private askDetails(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const problem = (step.options as { problem?: string }).problem;
    return ask(step, {
      text: problem ?? 'How can the team contact you about your complaint? Please give an email address, a UK phone number, or both.',
      help: 'The team will use these to reply to you, and I’ll ask for one of them if you come back to check on your complaint, to make sure it’s you. An email address looks like name@example.com; a UK phone number like 07700 900123 or 020 7946 0958.',
    });
  }

  private checkDetails(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = String(step.result).slice(0, 2000);
    const found = readContactDetails(text);
    if (!found.email && !found.phone) {
      const problem = found.problems[0]
        ? `Sorry, ${literal(found.problems[0])}. Please check it and type it again, for example name@example.com or 07700 900123.`
        : 'I couldn’t find an email address or a UK phone number in that. Please type one, for example name@example.com or 07700 900123.';
      return step.replaceDialog(STEPS, { problem });
    }
    values(step)['email'] = found.email;
    values(step)['phone'] = found.phone;
    if (found.email && found.phone) {
      return ask(step, {
        text: 'Thank you. How would you prefer the team to contact you?',
        help: 'Choose how you’d like replies: email, a phone call, or messages here in this chat.',
        buttons: PREFERENCES,
      });
    }
    return step.next();
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const email = values(step)['email'] as string | null;
    const phone = values(step)['phone'] as string | null;
    let preferred: Case['contact']['preferred'] = email ? 'email' : 'phone';
    if (email && phone) {
      const said = normalise(String(step.result));
      if (said === normalise(PREFERENCES[1] ?? '') || /\b(phone|call|ring|mobile|text)\b/.test(said)) preferred = 'phone';
      else if (said === normalise(PREFERENCES[2] ?? '') || /\b(chat|here|message)\b/.test(said)) preferred = 'chat';
    }
    const secondFactor = email ? 'email' : 'phone';
    await step.context.sendActivity(`Thank you. When you check on your complaint later, I’ll ask for your ${secondFactor === 'email' ? 'email address' : 'phone number'}, so please remember which one you gave.`);
    this.ports.log.info('lodge.contact', { email: email !== null, phone: phone !== null, preferred });
    return step.endDialog({ contact: { email, phone, preferred }, secondFactor } satisfies ContactAnswer);
  }
}
