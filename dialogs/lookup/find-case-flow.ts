/**
 * Finding a person's own case: their reference (typos caught by the check character before any
 * lookup), then the email or phone number they gave. A wrong answer gets one neutral reply,
 * whatever was wrong; repeated failures are answered more slowly, then refused for a while.
 */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { StoredCase } from '../../src/cases/case.js';
import { type CaseReference, findReference } from '../../src/cases/reference.js';
import { StorageUnavailable } from '../../src/cases/errors.js';
import { addressKeyOf } from '../../src/directline/client-address.js';
import { ask, values } from '../prompts.js';
import type { ComplaintDialogPorts } from '../ports.js';
import { normalise } from '../recognisers.js';
import { linkCase, showKeptMessages } from '../case-link.js';
import { attachHeldConcerns } from '../safeguarding.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';

export const FIND_CASE_DIALOG = 'find-case';

/** How many wrong tries this dialog allows before suggesting another way. */
const TRIES = 3;

/** Why the reference is asked for again, and how many tries have not matched. */
interface Round {
  readonly problem?: string;
  readonly tries?: number;
}

/** What the steps keep between them (saved with the conversation: keep the key), once a reference is read. */
interface FindCaseValues {
  reference: CaseReference;
}

/** Whether a step's result is the case this dialog found (it ends with null when it found none). */
export function isFoundCase(result: unknown): result is StoredCase {
  return typeof result === 'object' && result !== null && 'case' in result;
}

/** How long to wait before answering after a run of failed lookups. */
function slowDownMs(failures: number): number {
  return failures <= 1 ? 0 : Math.min(8000, 1000 * 2 ** (failures - 2));
}

/** Finds and verifies a case; ends with the case, or null if it could not. */
export class FindCaseFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      new VersionedWaterfallDialog<Round>(FIND_CASE_DIALOG, 1, [this.askReference.bind(this), this.askSecondFactor.bind(this), this.verify.bind(this)]),
    ];
  }

  private askReference(step: WaterfallStepContext<Round>): Promise<DialogTurnResult> {
    const round = step.options;
    return ask(step, {
      text: round.problem ?? 'What is your complaint reference? It has nine letters and numbers, like K7M-4QX-P2C.',
      help:
        'Your reference was given to you when you made your complaint, in this chat and in any email or letter about it. Capitals, spaces and ' +
        'dashes don’t matter. If you don’t have it, type "I don’t have it".',
    });
  }

  private async askSecondFactor(step: WaterfallStepContext<Round>): Promise<DialogTurnResult> {
    const round = step.options;
    const said = String(step.result);
    const parsed = findReference(said);
    if (
      !parsed.ok &&
      /\b(don'?t|do not|dont|haven'?t|have not|lost|forgot|no)\b.*\b(have|reference|it|number|ref)\b|^(no|lost|forgot( it)?)$/.test(normalise(said))
    ) {
      await this.noReference(step);
      return step.endDialog(null);
    }
    if (!parsed.ok) {
      const problem = {
        empty: 'Please type your reference.',
        length: 'A reference has nine letters and numbers, like K7M-4QX-P2C. Please check yours and type it again.',
        characters: 'That doesn’t look like one of our references: they use only letters and numbers, like K7M-4QX-P2C. Please check it and type it again.',
        check: 'That reference doesn’t look quite right: one of the characters may have been mistyped. Please check it and type it again.',
      }[parsed.problem];
      return step.replaceDialog(FIND_CASE_DIALOG, { ...round, problem } satisfies Round);
    }
    values<FindCaseValues>(step).reference = parsed.reference;
    return ask(step, {
      text:
        'Thank you. To check it’s you, what email address or phone number did you give when you made the complaint? (If you were given an access ' +
        'code instead, type that.)',
      help:
        'Type the email address or phone number you gave us when you made your complaint, or the 12-digit access code if you were given one. This ' +
        'keeps your complaint private.',
    });
  }

  private async verify(step: WaterfallStepContext<Round>): Promise<DialogTurnResult> {
    const round = step.options;
    const { reference } = values<FindCaseValues>(step);
    const activity = step.context.activity;
    let result;
    try {
      result = await this.ports.cases.verify({
        reference,
        secondFactor: String(step.result).slice(0, 500),
        requesterKey: `${activity.channelId}:${activity.from.id}`,
        addressKey: addressKeyOf(activity),
      });
    } catch (error) {
      if (!(error instanceof StorageUnavailable)) throw error;
      await step.context.sendActivity('I’m sorry: I can’t look complaints up just now because of a problem on our side. Please try again in a few minutes.');
      return step.endDialog(null);
    }
    if (result.ok) {
      (await this.ports.memory.get(step.context, {})).verifiedReference = result.stored.case.reference;
      await attachHeldConcerns(this.ports, step.context, result.stored.case.reference);
      await linkCase(this.ports, step.context, result.stored.case.reference);
      await showKeptMessages(this.ports, step.context);
      return step.endDialog(result.stored satisfies StoredCase);
    }
    const desk = this.ports.service.serviceDesk;
    if (result.refused) {
      const minutes = Math.max(1, Math.ceil((result.retryAfterSeconds ?? 60) / 60));
      await step.context.sendActivity(
        `For your security, I can’t look up complaints for you here for about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, after several tries ` +
          `that didn’t match. If you need help now, the service desk can: ${desk.phone} (${desk.hours}) or ${desk.email}.`,
      );
      return step.endDialog(null);
    }
    await this.ports.pause(slowDownMs(result.failures));
    const tries = (round.tries ?? 0) + 1;
    if (tries >= TRIES) {
      await step.context.sendActivity(
        `Sorry, I still couldn’t find a complaint with those details. The service desk can help you find it: ${desk.phone} (${desk.hours}) or ${desk.email}.`,
      );
      return step.endDialog(null);
    }
    return step.replaceDialog(FIND_CASE_DIALOG, {
      tries,
      problem:
        'Sorry, I couldn’t find a complaint with those details. Please check your reference, and the email address or phone number you gave us, and try ' +
        'again. What is your reference?',
    } satisfies Round);
  }

  private async noReference(step: WaterfallStepContext<Round>): Promise<void> {
    const desk = this.ports.service.serviceDesk;
    await step.context.sendActivity(
      `That’s OK. The service desk can find your complaint for you: ${desk.phone} (${desk.hours}) or ${desk.email}. Your reference is also in any email ` +
        `or letter we’ve sent about it.`,
    );
  }
}
