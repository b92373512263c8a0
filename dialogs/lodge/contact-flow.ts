/**
 * How to contact the complainant: an email address, a UK phone number or both, each checked,
 * with a clear message when one is not valid; then how they prefer to be contacted, and which
 * detail they will give later to look their complaint up. Someone with neither (or who would
 * rather not say) can skip: the team reply in the chat, and they get an access code to use
 * instead of an email or phone number when they come back.
 */
import { randomInt } from 'node:crypto';
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Case } from '../../src/cases/case.js';
import { readContactDetails } from '../../src/cases/contact-details.js';
import { ask, ChoicePrompt, values } from '../prompts.js';
import { type ComplaintDialogPorts, logOf } from '../ports.js';
import { type Choice, normalise } from '../recognisers.js';
import { literal } from '../wording.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';

export const CONTACT_DIALOG = 'contact';

/** What this dialog ends with. */
export type ContactAnswer =
  | { readonly contact: Case['contact']; readonly secondFactor: 'email' | 'phone' }
  | { readonly contact: Case['contact']; readonly secondFactor: 'code'; readonly accessCode: string };

/** Whether a step's result is this dialog's answer (undefined when the question was not asked). */
export function isContactAnswer(result: unknown): result is ContactAnswer {
  return typeof result === 'object' && result !== null && 'contact' in result;
}

/** Wrong tries before the way round (the service desk, or skipping) is offered. */
const MISSES_BEFORE_OFFER = 2;

/** Twelve digits, grouped in fours to read and write down (never starting with 0, which reads as a phone number). */
function newAccessCode(): string {
  const digits = String(randomInt(1, 10)) + Array.from({ length: 11 }, () => String(randomInt(0, 10))).join('');
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The question, the first time it is asked. */
const QUESTION = 'How can the team contact you about your complaint? Please give an email address, a UK phone number, or both.';

/** "Skip", "I don't have one", "none": no email or phone to give. */
function skips(said: string): boolean {
  return /^(skip|none|no|nope|n\/a|neither|i (don't|do not) have (one|any|either|them|an email|a phone|email|a number)|(i have )?no (email|phone|number|email or phone)( or (phone|email))?|don't have (one|any|either)|(i'd )?rather not( say)?|prefer not to( say)?)[.!]?$/.test(
    said,
  );
}

const PREFERENCE_PROMPT = 'contact-preference';

/**
 * How the team may contact someone who gave both an email and a phone number: the buttons, and
 * words people use for each. A text message goes to the phone; "here" alone is the chat.
 */
const PREFERENCES = {
  email: { label: 'By email', words: /\b(e-?mails?|e-?mailing|e-?mailed|e mail|mail|inbox|gmail|hotmail|outlook)\b/, spellings: ['email'] },
  phone: {
    label: 'By phone',
    words: /\b(phone\w*|telephone\w*|call|calls|called|calling|ring|ringing|rung|mobile|landline|text|texts|texting|texted|sms|voice ?mail|whatsapp)\b/,
    spellings: ['phone'],
  },
  chat: {
    label: 'Here in this chat',
    words:
      /\b(chat\w*|webchat|in this (conversation|window)|on here|online)\b|^\s*((just|right|stay|reply|answer|message me|write) )?(in )?here( please| is (fine|good|best|ok|okay)| thanks| thank you)?\s*$/,
  },
} as const satisfies Record<Case['contact']['preferred'], Choice>;

/** Why the question is asked again, and how many answers have not done so far. */
interface ContactOptions {
  readonly problem?: string;
  readonly misses?: number;
}

/** What the questions keep between steps (saved with the conversation: keep the keys); one of the two is given. */
interface ContactValues {
  email: string | null;
  phone: string | null;
}

function kept(step: WaterfallStepContext<ContactOptions>): ContactValues {
  return values<ContactValues>(step);
}

/** Asks for contact details and how to use them. */
export class ContactFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];
  private readonly preference = new ChoicePrompt(PREFERENCE_PROMPT, PREFERENCES);

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      // Version 2: the preference is asked until it is clear, and the last step is given the choice, not the words.
      new VersionedWaterfallDialog<ContactOptions>(CONTACT_DIALOG, 2, [this.askDetails.bind(this), this.checkDetails.bind(this), this.finish.bind(this)]),
      this.preference,
    ];
  }

  private askDetails(step: WaterfallStepContext<ContactOptions>): Promise<DialogTurnResult> {
    const { problem, misses = 0 } = step.options;
    const desk = this.ports.service.serviceDesk;
    const offer =
      misses >= MISSES_BEFORE_OFFER
        ? `\n\nIf it isn’t working, you can call the service desk on ${desk.phone} (${desk.hours}). ` +
          'Or, if you don’t have an email address or phone number, type "skip": the team will reply here in this chat, ' +
          'and I’ll give you a code to check on your complaint later.'
        : '';
    return ask(step, {
      text: `${problem ?? QUESTION}${offer}`,
      help:
        'The team will use these to reply to you, and I’ll ask for one of them if you come back to check on your complaint, to make sure it’s you. ' +
        'An email address looks like name@example.com; a UK phone number like 07700 900123 or 020 7946 0958. If you have neither, type "skip".',
    });
  }

  private async checkDetails(step: WaterfallStepContext<ContactOptions>): Promise<DialogTurnResult> {
    const text = String(step.result).slice(0, 2000);
    if (skips(normalise(text))) {
      const accessCode = newAccessCode();
      await step.context.sendActivity(
        'That’s fine. The team will reply to you here in this chat. To check on your complaint later, ' +
          `you’ll need your reference (I’ll give you that at the end) and this access code: **${accessCode}**. ` +
          'Please write it down; I’ll show it again with your reference when your complaint is sent.',
      );
      logOf(this.ports, step.context).info('lodge.contact', { email: false, phone: false, preferred: 'chat' });
      return step.endDialog({ contact: { email: null, phone: null, preferred: 'chat' }, secondFactor: 'code', accessCode } satisfies ContactAnswer);
    }
    const found = readContactDetails(text);
    if (!found.email && !found.phone) {
      const misses = (step.options.misses ?? 0) + 1;
      const problem = found.problems[0]
        ? `Sorry, ${literal(found.problems[0])}. Please check it and type it again, for example name@example.com or 07700 900123.`
        : 'I couldn’t find an email address or a UK phone number in that. Please type one, for example name@example.com or 07700 900123.';
      return step.replaceDialog(CONTACT_DIALOG, { problem, misses } satisfies ContactOptions);
    }
    kept(step).email = found.email;
    kept(step).phone = found.phone;
    if (found.email && found.phone) {
      return ask(
        step,
        {
          text: 'Thank you. How would you prefer the team to contact you?',
          help: 'Choose how you’d like replies: email, a phone call, or messages here in this chat.',
          buttons: this.preference.buttons,
          retry: 'Sorry, I couldn’t tell which you’d prefer. Any of these is fine: please choose one.',
        },
        PREFERENCE_PROMPT,
      );
    }
    return step.next();
  }

  private async finish(step: WaterfallStepContext<ContactOptions>): Promise<DialogTurnResult> {
    const { email, phone } = kept(step);
    let preferred: Case['contact']['preferred'] = email ? 'email' : 'phone';
    if (email && phone) {
      // The prompt lets only a choice through; anything else (a step skipped by mistake) asks again rather than choosing for them.
      if (!this.preference.isChoice(step.result)) return step.replaceDialog(CONTACT_DIALOG);
      preferred = step.result;
    }
    const secondFactor = email ? 'email' : 'phone';
    // Every contact detail given unlocks the case (the store hashes each), so say so.
    const either = email && phone ? 'your email address or your phone number (either will do)' : email ? 'your email address' : 'your phone number';
    await step.context.sendActivity(`Thank you. When you check on your complaint later, I’ll ask for ${either}.`);
    logOf(this.ports, step.context).info('lodge.contact', { email: email !== null, phone: phone !== null, preferred });
    return step.endDialog({ contact: { email, phone, preferred }, secondFactor } satisfies ContactAnswer);
  }
}
