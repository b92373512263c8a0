/**
 * Making a complaint, from the first question to the reference. Each step asks only if its
 * answer is not yet in the draft, so changing one answer means forgetting it and running the
 * steps again: everything else is kept. The draft lives in conversation memory, so a failed
 * save loses nothing and the person can simply try again. What it says back (the read-back
 * of the answers, the confirmation) is in `lodge-wording.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Dialog, DialogContext, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Case } from '../../src/cases/case.js';
import { InvalidCaseData, StorageUnavailable } from '../../src/cases/errors.js';
import { lodge } from '../../src/cases/transitions/lodge.js';
import { withNote } from '../../src/cases/transitions/safeguarding-notes.js';
import { cleanAnswer } from '../../src/text/clean-text.js';
import {
  advocacyOffer,
  caseFromDraft,
  CHANGEABLE,
  type ChangeablePart,
  type ComplaintDraft,
  forget,
  isChangeablePart,
  missingAnswers,
  secondFactorOf,
  startDraft,
} from '../draft.js';
import { ANSWER_PROMPT, ask, ChoicePrompt, QuestionPrompt, values, YES_NO_PROMPT } from '../prompts.js';
import { type ComplaintDialogPorts, type ConversationMemory, logOf } from '../ports.js';
import { type Choice, negates, normalise, readYesNo, recogniseChoice, recogniseYesNo } from '../recognisers.js';
import { dropDraft } from '../safeguarding.js';
import { storedReferenceOf } from '../turn.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';
import { CONTACT_DIALOG, isContactAnswer } from './contact-flow.js';
import { isProcedureChoice, PROCEDURE_DIALOG } from './procedure-flow.js';
import { isWhenAnswer, WHEN_DIALOG } from './when-flow.js';
import { advocacyInvitation, complaintSummary, lodgedConfirmation, PART_LABELS } from './lodge-wording.js';
import { isDraftWho, WHO_DIALOG } from './who-flow.js';

export const LODGE_DIALOG = 'lodge';
const SAVE = 'lodge-save';
const WHAT_HAPPENED_PROMPT = 'what-happened';

/** Whether a complaint is being made: its steps, or its sending, are on the dialog stack. */
export function isLodging(dc: DialogContext): boolean {
  return dc.stack.some((entry) => entry.id === LODGE_DIALOG || entry.id === SAVE);
}

const ADVOCACY_PROMPT = 'advocacy-offer';

/** The answers to the offer of an advocate, as recorded, with their buttons; "I have one" in other words too. */
const ADVOCACY_ANSWERS = {
  requested: { label: 'Yes, please' },
  'not-needed': { label: 'No, thank you' },
  'has-advocate': {
    label: 'I already have one',
    words:
      /\b(already|my (own )?advocate|(i|we|i've|ive|we've) (have |got |have got )?(one|an advocate|someone|somebody)|(he|she|they) (has|have|has got|have got|'s got) (one|an advocate))\b/,
  },
} as const satisfies Record<Exclude<Case['needs']['advocacy'], 'not-offered'>, Choice>;
type AdvocacyAnswer = keyof typeof ADVOCACY_ANSWERS;

/** Words that, alone, want an advocate: "please", "I'd like one", "that would help". */
const WANTS_ONE =
  /^(please|please do|(i'd|i would) like (one|that|it|an advocate|some help)|i want (one|that|it|an advocate)|i need (one|it|an advocate|help|some help)|that would (help|be (good|great|helpful))|go on( then)?|sounds good)( please| thanks| thank you)?$/;
/** Words that, alone or after a no, want none: "thanks, I'm fine", "not now", "I don't need one". */
const NEEDS_NONE = new RegExp(
  `^(?:(?:${[
    'thanks',
    'thank you',
    'no need',
    'not needed',
    'not for me',
    'not now',
    'not at the moment',
    'not right now',
    "i'm fine",
    "i'm ok",
    "i'm okay",
    "i'm alright",
    "i'm good",
    "i'll manage",
    'i can manage',
    "(i )?(don't|do not) (need|want) (one|it|that|an advocate|any help)",
  ].join('|')})(?: |$))+$`,
);

/**
 * The answer to the offer of an advocate: a button, "I already have one" in other words, or a
 * plain yes or no. A no with more after it counts only when the rest wants none ("no, I'm
 * fine"): "no idea" and "no, I don't have one" are asked again, like "maybe" and "what's that?".
 */
function advocacyAnswer(text: string): AdvocacyAnswer | null {
  const byButton = recogniseChoice(text, ADVOCACY_ANSWERS);
  if (byButton !== null || text.length > 200) return byButton;
  const words = (said: string): string =>
    normalise(said)
      .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const { answer, rest } = readYesNo(text);
  if (answer === true) return negates(rest) ? null : 'requested';
  if (answer === false) return rest === '' || NEEDS_NONE.test(words(rest)) ? 'not-needed' : null;
  return WANTS_ONE.test(words(text)) ? 'requested' : NEEDS_NONE.test(words(text)) ? 'not-needed' : null;
}

/** The longest account we take in one go. */
const MAX_ACCOUNT = 50_000;

/** How it is begun: `resume` carries on with the answers kept, without the introduction. */
interface LodgeOptions {
  readonly resume?: boolean;
}

/** What the steps keep between them (saved with the conversation: keep the key). */
interface LodgeValues {
  /** The person said no to the privacy question, and is asked whether to delete their answers. */
  declining?: boolean;
}

/** How this dialog ended. */
type LodgeOutcome = { readonly outcome: 'lodged'; readonly reference: string } | { readonly outcome: 'redirected' | 'declined' | 'not-saved' };

/** Collects a complaint and sends it. */
export class LodgeComplaintFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];
  private readonly advocacyOffer = new ChoicePrompt(ADVOCACY_PROMPT, ADVOCACY_ANSWERS, advocacyAnswer);

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      // Version 3: the advocacy offer is asked until the answer is clear, and the consent step is given the answer, not the words.
      new VersionedWaterfallDialog<LodgeOptions>(LODGE_DIALOG, 3, [
        this.start.bind(this),
        this.procedure.bind(this),
        this.who.bind(this),
        this.whatHappened.bind(this),
        this.when.bind(this),
        this.outcome.bind(this),
        this.contact.bind(this),
        this.adjustments.bind(this),
        this.advocacy.bind(this),
        this.consent.bind(this),
        this.review.bind(this),
        this.chooseChange.bind(this),
        this.change.bind(this),
      ]),
      new QuestionPrompt(WHAT_HAPPENED_PROMPT, async (prompt) => {
        const text = (prompt.recognized.value ?? '').trim();
        if (text.length > MAX_ACCOUNT) {
          await prompt.context.sendActivity(
            `That’s more than I can take in one message (${MAX_ACCOUNT.toLocaleString('en-GB')} characters). Could you shorten it? You can send longer ` +
              `documents to the team once they contact you.`,
          );
          return false;
        }
        if ((text.match(/\p{L}/gu) ?? []).length >= 8) return true;
        await prompt.context.sendActivity(
          'Could you tell me a little more about what happened? A few sentences is plenty: what happened, who was involved, and how it has affected you ' +
            'or the person you’re complaining for.',
        );
        return false;
      }),
      new VersionedWaterfallDialog(SAVE, 1, [this.save.bind(this), this.retry.bind(this)]),
      this.advocacyOffer,
    ];
  }

  private async memory(context: TurnContext): Promise<ConversationMemory> {
    return this.ports.memory.get(context, {});
  }

  /** The draft being written, begun if there is none, taking over any safeguarding notes held until now. */
  private async draft(context: TurnContext): Promise<ComplaintDraft> {
    const memory = await this.memory(context);
    if (!memory.draft) {
      memory.draft = startDraft(randomUUID(), memory.safeguarding);
    } else if (memory.safeguarding) {
      for (const note of memory.safeguarding.notes) memory.draft.safeguarding = withNote(memory.draft.safeguarding, note, memory.safeguarding.raisedAt);
    }
    delete memory.safeguarding;
    return memory.draft;
  }

  private async start(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const resuming = step.options.resume === true;
    if (!resuming) {
      const existing = (await this.memory(step.context)).draft !== undefined;
      await step.context.sendActivity(
        existing
          ? 'Welcome back. I still have the answers you gave earlier, so we’ll carry on from there. (Type "start again" if you’d rather start afresh.)'
          : 'I’ll ask you some questions about your complaint. It usually takes about five minutes. You can type "help" at any point if a question ' +
              'isn’t clear, or "cancel" to stop.',
      );
    }
    await this.draft(step.context);
    return step.next();
  }

  private async procedure(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    return draft.procedure ? step.next() : step.beginDialog(PROCEDURE_DIALOG);
  }

  private async who(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    const choice = isProcedureChoice(step.result) ? step.result : undefined;
    if (choice && 'redirected' in choice) {
      dropDraft(await this.memory(step.context));
      return step.endDialog({ outcome: 'redirected' } satisfies LodgeOutcome);
    }
    if (choice) {
      draft.procedure = choice.procedure;
      draft.route = choice.route;
    }
    return draft.who ? step.next() : step.beginDialog(WHO_DIALOG, { procedure: draft.procedure, route: draft.route ?? null });
  }

  private async whatHappened(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    if (isDraftWho(step.result)) draft.who = step.result;
    if (draft.whatHappened) return step.next();
    return ask(
      step,
      {
        text:
          'Please tell me what happened. Include what went wrong, who was involved, and how it has affected you (or the person you’re complaining ' +
          'for). Write as much as you need.',
        help:
          'Describe what happened in your own words. You don’t need to use any special terms. Include names, places and dates if you know them. If ' +
          'there is a lot to say, it’s fine to send a long message.',
      },
      WHAT_HAPPENED_PROMPT,
    );
  }

  private async when(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    if (typeof step.result === 'string') draft.whatHappened = cleanAnswer(step.result, MAX_ACCOUNT);
    return draft.when ? step.next() : step.beginDialog(WHEN_DIALOG, { procedure: draft.procedure });
  }

  private async outcome(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    const answer: unknown = step.result;
    if (isWhenAnswer(answer)) {
      draft.when = answer.when;
      draft.late = answer.late;
    }
    if (draft.outcomeWanted !== undefined) return step.next();
    return ask(step, {
      text:
        'What would you like to happen to put things right? For example an apology, an explanation, a decision looked at again, or a change to how ' +
        'things are done.',
      help: 'Tell me what outcome you’re hoping for. It helps the team understand what would resolve your complaint. If you’re not sure, say so.',
    });
  }

  private async contact(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    if (typeof step.result === 'string') draft.outcomeWanted = cleanAnswer(step.result, 10_000);
    return draft.contact ? step.next() : step.beginDialog(CONTACT_DIALOG);
  }

  private async adjustments(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    const answer: unknown = step.result;
    if (isContactAnswer(answer)) {
      draft.contact = answer.contact;
      draft.secondFactor = answer.secondFactor;
      if (answer.secondFactor === 'code') draft.accessCode = answer.accessCode;
      else delete draft.accessCode;
    }
    if (draft.adjustments !== undefined) return step.next();
    return ask(step, {
      text:
        'Do you need anything to help you take part in the complaint? For example large print, easy read, an interpreter, British Sign Language, or ' +
        'calls at certain times.',
      help: 'These are called reasonable adjustments: changes the team make so you can take part fully. Tell me anything that would help, or say "no".',
      buttons: ['No, thank you'],
    });
  }

  private async advocacy(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    if (typeof step.result === 'string') {
      const said = normalise(step.result);
      // A plain no ("No, thank you", "none") is no adjustments; "no, but large print" is one.
      const { answer, rest } = readYesNo(said);
      draft.adjustments =
        (answer === false && rest === '') || /^(none|nothing|n\/a|i'?m fine)[.!]?$/.test(said) ? null : cleanAnswer(step.result, 2000) || null;
    }
    if (draft.advocacy) return step.next();
    const advocacy = draft.procedure ? this.ports.policy.procedure(draft.procedure).advocacy : undefined;
    const offer = advocacyOffer(draft, this.ports.policy);
    if (!advocacy || !offer) {
      draft.advocacy = 'not-offered';
      return step.next();
    }
    const buttons = this.advocacyOffer.buttons;
    const retry = 'Sorry, I couldn’t tell which you’d like. Please choose one of these, or type "help" to hear more about advocates first.';
    if (offer === 'arranged') {
      // Children Act 1989 s26A: the council must arrange help for a child who complains.
      return ask(
        step,
        {
          text:
            'An advocate can help you say what you want and support you through your complaint. They’re on your side, not the council’s. Because ' +
            'you’re a child or young person, the council must arrange an advocate for you if you’d like one, and it’s free. Would you like one?',
          help:
            'An advocate is someone independent who helps you say what you think and makes sure you’re listened to. The council must arrange one for ' +
            'you if you want, for free. Say yes or no, or "I already have one".',
          buttons,
          retry,
        },
        ADVOCACY_PROMPT,
      );
    }
    // Adults are pointed to a service, never promised an advocate.
    return ask(
      step,
      {
        text: advocacyInvitation(advocacy, draft),
        help:
          'An advocate is independent: they’re on your side, and can help you say what you want and understand the replies. If you say yes, the team ' +
          'will pass on how to reach an advocacy service. Say yes or no, or "I already have one".',
        buttons,
        retry,
      },
      ADVOCACY_PROMPT,
    );
  }

  private async consent(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    // Only a clear answer gets past the prompt; without one the advocacy stays unanswered, and is asked again before sending.
    if (!draft.advocacy && this.advocacyOffer.isChoice(step.result)) draft.advocacy = step.result;
    if (draft.consentGivenAt) return step.next();
    const notice = this.ports.service.privacyNotice;
    return ask(
      step,
      {
        text:
          `Before I send your complaint, please read this. We will use what you’ve told us to look into your complaint and reply to you. Only the ` +
          `complaints team and the people who look into your complaint will see it. We keep complaint records for ${notice.keptFor}. You can read the ` +
          `full privacy notice at ${notice.url}.\n\nDo you agree to us keeping and using your complaint in this way?`,
        help:
          'We can only look into your complaint if we can keep a record of it. If you don’t agree, nothing you’ve typed will be saved, and you can ' +
          'complain another way, for example by contacting the service desk.',
        buttons: ['Yes, I agree', 'No'],
        retry: 'Sorry, I need a yes or no to that. Do you agree to us keeping and using your complaint in this way?',
      },
      YES_NO_PROMPT,
    );
  }

  private async review(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const draft = await this.draft(step.context);
    if (!draft.consentGivenAt) {
      // The yes-or-no prompt lets nothing else through. A no would lose every answer, so check first.
      if (recogniseYesNo(String(step.result)) !== true) {
        values<LodgeValues>(step).declining = true;
        return ask(
          step,
          {
            text: 'Just to check: without your agreement I can’t send your complaint, and I’ll delete the answers you’ve given. Shall I delete them?',
            help: 'Say yes to delete your answers without sending anything. Say no to go back to the privacy question.',
            buttons: ['Yes, delete them', 'No, go back'],
            retry: 'Sorry, I need a yes or no to that. Shall I delete your answers?',
          },
          YES_NO_PROMPT,
        );
      }
      draft.consentGivenAt = this.ports.clock.now().toISOString();
    }
    return ask(step, {
      text: `Here’s your complaint. Please check it.\n\n${complaintSummary(draft, this.ports.policy)}\n\nIs everything right?`,
      help: 'Choose "Send complaint" to send it, or "Change something" to correct any part first. Nothing is sent until you choose "Send complaint".',
      buttons: ['Send complaint', 'Change something'],
    });
  }

  private async chooseChange(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    if (values<LodgeValues>(step).declining === true) {
      if (recogniseYesNo(String(step.result)) !== true) return step.replaceDialog(LODGE_DIALOG, { resume: true } satisfies LodgeOptions);
      dropDraft(await this.memory(step.context));
      const desk = this.ports.service.serviceDesk;
      await step.context.sendActivity(
        `That’s fine. I haven’t saved anything. If you’d like to complain another way, you can contact the service desk on ${desk.phone} ` +
          `(${desk.hours}) or at ${desk.email}.`,
      );
      return step.endDialog({ outcome: 'declined' } satisfies LodgeOutcome);
    }
    const said = normalise(String(step.result));
    // "Send" or "yes" sends, unless what follows the yes names a part ("yes but the date is wrong").
    const { answer, rest } = readYesNo(said);
    const sends = isSendComplaint(said) || /^(it'?s (all )?(right|correct|fine)|looks (good|right|fine)|all (good|correct|fine))[.!]?$/.test(said);
    if (sends || (answer === true && (rest === '' || !partNamed(rest)))) return step.replaceDialog(SAVE);
    const part = partNamed(answer === null ? said : rest);
    if (part) return step.next(part);
    return ask(step, {
      text: 'Which part would you like to change?',
      help: 'Choose the part that isn’t right, and I’ll ask that question again. Everything else stays as it is.',
      buttons: CHANGEABLE.map((part) => PART_LABELS[part]),
    });
  }

  private async change(step: WaterfallStepContext<LodgeOptions>): Promise<DialogTurnResult> {
    const part = isChangeablePart(step.result) ? step.result : partNamed(normalise(String(step.result)));
    if (!part) {
      await step.context.sendActivity('Sorry, I didn’t catch which part. Here it is again.');
      return step.replaceDialog(LODGE_DIALOG, { resume: true } satisfies LodgeOptions);
    }
    const draft = await this.draft(step.context);
    forget(draft, part);
    // Advocacy is offered differently to a child complaining and to an adult: where who they are
    // decides the offer, an answer given to one offer is not kept for the other.
    if (part === 'who' && draft.procedure && this.ports.policy.procedure(draft.procedure).advocacy?.childrensDuty) delete draft.advocacy;
    return step.replaceDialog(LODGE_DIALOG, { resume: true } satisfies LodgeOptions);
  }

  private async save(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const memory = await this.memory(step.context);
    const draft = memory.draft;
    const factor = draft ? secondFactorOf(draft) : null;
    if (!draft || !factor || missingAnswers(draft).length > 0) {
      // An answer went missing (it was changed, or the draft expired): ask for what is missing.
      await step.context.sendActivity('I need a little more before I can send this.');
      return step.replaceDialog(LODGE_DIALOG, { resume: true } satisfies LodgeOptions);
    }
    const now = this.ports.clock.now();
    try {
      const value = caseFromDraft(draft, now, this.ports.policy, {
        privacyNoticeVersion: this.ports.service.privacyNotice.version,
        cutOff: this.ports.service.cutOff,
        conversation: storedReferenceOf(step.context) ?? undefined,
      });
      const { stored, created } = await this.ports.cases.lodge({
        ...lodge(value, { now }),
        secondFactor: factor,
        submissionKey: `${step.context.activity.channelId}/${step.context.activity.conversation.id}/${draft.id}`,
      });
      delete memory.draft;
      memory.caseLink = stored.case.reference;
      memory.lodgedHere = { reference: stored.case.reference, ...(draft.accessCode ? { accessCode: draft.accessCode } : {}) };
      // Staff are told, and the complainant acknowledged, by the outbox: the events were saved
      // with the case, so a repeat of a submission already saved causes nothing again.
      await step.context.sendActivity(lodgedConfirmation(stored.case, now, draft.accessCode, this.ports.policy, this.ports.service.cutOff));
      logOf(this.ports, step.context).info('lodge.saved', {
        procedure: stored.case.procedure,
        created,
        late: stored.case.flags.late !== null,
        safeguarding: stored.case.flags.safeguarding !== null,
      });
      return await step.endDialog({ outcome: 'lodged', reference: stored.case.reference } satisfies LodgeOutcome);
    } catch (error) {
      if (error instanceof InvalidCaseData) {
        // A bug of ours, not something the person can fix by trying again: say so, keep the answers.
        logOf(this.ports, step.context).error('lodge.invalid', { problems: error.problems.length });
        const desk = this.ports.service.serviceDesk;
        await step.context.sendActivity(
          `I’m sorry: I couldn’t send your complaint because of a problem on our side. Your answers are still here. Please contact the service desk on ` +
            `${desk.phone} (${desk.hours}) or at ${desk.email}, who can take your complaint.`,
        );
        return step.endDialog({ outcome: 'not-saved' } satisfies LodgeOutcome);
      }
      if (!(error instanceof StorageUnavailable)) throw error;
      logOf(this.ports, step.context).warn('lodge.save-failed', { error: error.name });
      return ask(
        step,
        {
          text:
            'I’m sorry: I couldn’t send your complaint just now because of a problem on our side. Your answers are still here. Would you like to ' +
            'try again?',
          help:
            'Choose "Try again" to send your complaint again. If it keeps failing, you can contact the service desk instead; your answers stay here ' +
            'for a while.',
          buttons: ['Try again', 'Not now'],
        },
        ANSWER_PROMPT,
      );
    }
  }

  private async retry(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = normalise(String(step.result));
    const { answer } = readYesNo(said);
    if (answer === true || (answer === null && /\b(try|again|retry)\b/.test(said))) return step.replaceDialog(SAVE);
    const desk = this.ports.service.serviceDesk;
    await step.context.sendActivity(
      `OK. Your answers will be kept for a while, so you can come back and send your complaint. If you’d rather, contact the service desk on ` +
        `${desk.phone} (${desk.hours}).`,
    );
    return step.endDialog({ outcome: 'not-saved' } satisfies LodgeOutcome);
  }
}

/** Whether what was said (normalised) presses "Send complaint", or says so in as many words. */
export function isSendComplaint(said: string): boolean {
  return /^(send|send (it|now)|send( my| the)? complaint|submit)[.!]?$/.test(said);
}

/** Which changeable part a person named ("the date", "2", "contact details"). */
function partNamed(said: string): ChangeablePart | null {
  const byLabel = CHANGEABLE.find((part) => normalise(PART_LABELS[part]) === said);
  if (byLabel) return byLabel;
  const number = /^(\d)$/.exec(said)?.[1];
  if (number) {
    const byNumber = (['procedure', 'who', 'whatHappened', 'when', 'outcomeWanted', 'contact', 'needs'] as const)[Number(number) - 1];
    if (byNumber) return byNumber;
  }
  if (/\b(date|when|time)\b/.test(said)) return 'when';
  if (/\b(email|phone|number|contact)\b/.test(said)) return 'contact';
  if (/\b(name|who|relationship)\b/.test(said)) return 'who';
  if (/\b(happened|description|story|account|details)\b/.test(said)) return 'whatHappened';
  if (/\b(outcome|want|like|resolve|put right)\b/.test(said)) return 'outcomeWanted';
  if (/\b(help|adjustment|advocate|needs)\b/.test(said)) return 'needs';
  if (/\b(about|service|topic|procedure)\b/.test(said)) return 'procedure';
  return null;
}
