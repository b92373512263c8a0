/**
 * The root of the public conversation: a welcome that says what the bot can and cannot do, a
 * menu of three things (buttons, or the person's own words), and the requests that can
 * interrupt any question: "help", "cancel", "start again" (what they were doing, from its first
 * question), and "talk to a person".
 *
 * Once a complaint is made or found in the chat, what the person writes at the menu may be for
 * the team handling it: see `route` for how that is told apart from a request of the bot.
 *
 * Interruptions are handled here once, for every dialog below: a turn reaches this dialog first
 * on its way down to the question that is open. So is anything suggesting that someone is at
 * risk (see `safeguarding.ts`): the person is told at once what to do and staff are alerted,
 * before the message is taken as the answer it also is.
 *
 * A conversation saved under an older design of these dialogs (after an upgrade) is restarted
 * politely rather than resumed at a step that may no longer mean the same thing.
 */
import {
  ComponentDialog,
  Dialog,
  type DialogContext,
  type DialogEvent,
  DialogEvents,
  type DialogInstance,
  type DialogTurnResult,
  DialogTurnStatus,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { addFlows } from './flow.js';
import { ContactFlow } from './lodge/contact-flow.js';
import { isLodging, isSendComplaint, LODGE_DIALOG, LodgeComplaintFlow } from './lodge/lodge-complaint-flow.js';
import { lodgedConfirmation } from './lodge/lodge-wording.js';
import { ProcedureFlow } from './lodge/procedure-flow.js';
import { WhenFlow } from './lodge/when-flow.js';
import { WhoFlow } from './lodge/who-flow.js';
import { CHECK_STATUS_DIALOG, CheckStatusFlow } from './lookup/check-status-flow.js';
import { ESCALATE_DIALOG, EscalateFlow } from './lookup/escalate-flow.js';
import { FindCaseFlow } from './lookup/find-case-flow.js';
import { goodbye, isReplyToStaff, passedOn, passToStaff, relayKey, showKeptMessages } from './case-link.js';
import { isMessageForStaffOutcome, isSendButton, MESSAGE_FOR_STAFF_DIALOG, type MessageForStaff, MessageForStaffFlow } from './message-for-staff-flow.js';
import type { CaseReference } from '../src/cases/reference.js';
import { StorageUnavailable } from '../src/cases/errors.js';
import { referenceInWords } from './wording.js';
import { cleanAnswer, hasVisibleText } from '../src/text/clean-text.js';
import { propertyOf } from '../src/values/property-of.js';
import { ANSWER_PROMPT, ask, helpOf, values } from './prompts.js';
import { type ComplaintDialogPorts, logOf } from './ports.js';
import {
  addressedToStaff,
  MENU_LABELS,
  type MenuChoice,
  normalise,
  readYesNo,
  recogniseClosing,
  recogniseInterruption,
  recogniseMenuButton,
  recogniseMenuChoice,
  recogniseMenuRequest,
  suggestsRiskOfHarm,
} from './recognisers.js';
import { dropDraft, raiseConcern, retryUnsentConcerns } from './safeguarding.js';
import { messageText } from './turn.js';
import { designVersion, VersionedWaterfallDialog } from './versioning.js';

const MAIN_DIALOG = 'main';
const MENU = 'main-menu';

/** Where the conversation's design version is stamped on the root dialog's state. */
const DESIGN = 'design';

interface MenuOptions {
  /** Back at the menu after finishing or cancelling something. */
  readonly again?: boolean;
  /** The last answer to the menu was not understood. */
  readonly misunderstood?: boolean;
  /** Restarted after an upgrade. */
  readonly restarted?: boolean;
  /** "Start again" while doing this: begin it again from its first question. */
  readonly restart?: MenuChoice;
  /** After a goodbye: wait for whatever the person writes next, without asking anything. */
  readonly closed?: boolean;
  /** Words to take as the answer at once (typed instead of answering "Shall I send this?"). */
  readonly said?: string;
  /**
   * When the bot last asked something of its own, kept across messages relayed to staff, so a
   * conversation with staff carries on without "Shall I send this?" (see `isReplyToStaff`).
   */
  readonly since?: string;
}

/** What the menu keeps between its steps (saved with the conversation: keep the key). */
interface MenuValues {
  /** When it asked (see `MenuOptions.since`). */
  askedAt?: string;
}

const CHILD_DIALOGS: Readonly<Record<MenuChoice, string>> = { lodge: LODGE_DIALOG, status: CHECK_STATUS_DIALOG, escalate: ESCALATE_DIALOG };

/** The root dialog of the public conversation. */
export class MainDialog extends ComponentDialog {
  private readonly design: string;

  constructor(private readonly ports: ComplaintDialogPorts) {
    super(MAIN_DIALOG);
    // Every part of the conversation, in one dialog set (see flow.ts).
    addFlows(this, [
      new LodgeComplaintFlow(ports),
      new ProcedureFlow(ports),
      new WhoFlow(ports),
      new WhenFlow(ports),
      new ContactFlow(ports),
      new CheckStatusFlow(ports),
      new EscalateFlow(ports),
      new FindCaseFlow(ports),
      new MessageForStaffFlow(ports),
    ]);
    this.addDialog(new VersionedWaterfallDialog<MenuOptions>(MENU, 2, [this.menu.bind(this), this.route.bind(this), this.again.bind(this)]));
    this.initialDialogId = MENU;
    this.design = designVersion(this);
  }

  /** The design version conversations are stamped with. */
  get version(): string {
    return this.design;
  }

  override async beginDialog(outerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    // The first message starts the conversation rather than continuing it: check it here too.
    const opening = messageText(outerDc.context);
    await retryUnsentConcerns(this.ports, outerDc.context);
    await showKeptMessages(this.ports, outerDc.context);
    if (opening !== null && suggestsRiskOfHarm(opening)) await raiseConcern(this.ports, outerDc.context, opening, false);
    const result = await super.beginDialog(outerDc, options);
    const begun: DialogInstance<Record<string, unknown>> | undefined = outerDc.activeDialog;
    if (begun?.id === this.id) begun.state[DESIGN] = this.design;
    return result;
  }

  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    if (outerDc.activeDialog && propertyOf(outerDc.activeDialog.state, DESIGN) !== this.design) {
      const memory = await this.ports.memory.get(outerDc.context, {});
      const { hadDraft } = dropDraft(memory);
      await outerDc.context.sendActivity(
        `Sorry: this service has been updated since your last message, so I need to start again. Anything you have already sent to us is safe and ` +
          `hasn’t changed.${hadDraft ? ' The complaint you were writing hadn’t been sent, so I’m afraid you’ll need to give those answers again.' : ''}`,
      );
      delete memory.verifiedReference;
      logOf(this.ports, outerDc.context).info('conversation.restarted-after-upgrade');
      // Dropped, not cancelled: cancelling runs each saved dialog's own ending on its saved
      // state, and under the new design an id may name a dialog of another kind.
      outerDc.stack.splice(0);
      return outerDc.beginDialog(this.id, { restarted: true } satisfies MenuOptions);
    }
    return super.continueDialog(outerDc);
  }

  /** Version changes are handled by the design stamp above; this keeps Bot Framework's own check quiet. */
  override async onDialogEvent(dc: DialogContext, event: DialogEvent): Promise<boolean> {
    if (event.name === DialogEvents.versionChanged) return true;
    return super.onDialogEvent(dc, event);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const text = messageText(innerDc.context);
    if (text === null) return super.onContinueDialog(innerDc);
    await retryUnsentConcerns(this.ports, innerDc.context);
    await showKeptMessages(this.ports, innerDc.context);
    if (suggestsRiskOfHarm(text)) {
      await raiseConcern(this.ports, innerDc.context, text, isLodging(innerDc));
      // At the menu it is not a choice: ask again kindly rather than "sorry, I didn't catch that".
      const atMenu = innerDc.activeDialog?.id === MENU || (innerDc.activeDialog?.id === ANSWER_PROMPT && innerDc.stack.at(-2)?.id === MENU);
      if (atMenu && recogniseMenuChoice(text) === null) return this.askAgain(innerDc);
      if (recogniseInterruption(text) === null) return this.answerAfterConcern(innerDc);
    }
    switch (recogniseInterruption(text)) {
      case 'help': {
        await innerDc.context.sendActivity(this.helpFor(innerDc));
        return this.askAgain(innerDc);
      }
      case 'restart': {
        const doing = this.doing(innerDc);
        if (doing) return this.restart(innerDc, doing);
        return this.cancel(innerDc);
      }
      case 'cancel':
        return this.cancel(innerDc);
      case 'person': {
        const desk = this.ports.service.serviceDesk;
        await innerDc.context.sendActivity(
          `You can speak to someone at the service desk: call ${desk.phone} (${desk.hours}) or email ${desk.email}. If you’d like to carry on here, ` +
            `just answer the question below.`,
        );
        return this.askAgain(innerDc);
      }
      case null:
        return super.onContinueDialog(innerDc);
    }
  }

  /**
   * Gives the open question what was said, after urgent help was shown. A question that does not
   * take it as an answer (a choice, a yes or no) would stay silent, because this turn has already
   * replied: ask it again, so the "carry on below" has something below.
   */
  private async answerAfterConcern(innerDc: DialogContext): Promise<DialogTurnResult> {
    const open = innerDc.activeDialog;
    const result = await super.onContinueDialog(innerDc);
    if (open && innerDc.activeDialog === open && result.status === DialogTurnStatus.waiting) await innerDc.repromptDialog();
    return result;
  }

  /** Asks the open question again; after a goodbye, when none is open, offers the menu. */
  private async askAgain(innerDc: DialogContext): Promise<DialogTurnResult> {
    if (innerDc.activeDialog?.id === MENU) return innerDc.replaceDialog(MENU, { again: true } satisfies MenuOptions);
    await innerDc.repromptDialog();
    return Dialog.EndOfTurn;
  }

  /** Stops whatever is under way, and offers the menu. */
  private async cancel(innerDc: DialogContext): Promise<DialogTurnResult> {
    const memory = await this.ports.memory.get(innerDc.context, {});
    // Only stopping the complaint being written forgets it: "cancel" while checking on
    // another complaint leaves an unsent draft (kept after a failed save) alone.
    const lodging = isLodging(innerDc);
    const { hadDraft, keptConcerns } = lodging ? dropDraft(memory) : { hadDraft: false, keptConcerns: false };
    delete memory.verifiedReference;
    await innerDc.context.sendActivity(
      !hadDraft
        ? 'OK, I’ve stopped.'
        : keptConcerns
          ? 'OK, I’ve stopped. Your complaint hasn’t been sent, and I haven’t kept your answers. What you told us about someone’s safety has still been ' +
            'passed on.'
          : 'OK, I’ve stopped. Nothing has been sent, and I haven’t kept your answers.',
    );
    await innerDc.cancelAllDialogs();
    return innerDc.beginDialog(MENU, { again: true } satisfies MenuOptions);
  }

  /** Which of the menu's things the person is in the middle of, if any. */
  private doing(innerDc: DialogContext): MenuChoice | null {
    if (isLodging(innerDc)) return 'lodge';
    if (innerDc.stack.some((entry) => entry.id === ESCALATE_DIALOG)) return 'escalate';
    if (innerDc.stack.some((entry) => entry.id === CHECK_STATUS_DIALOG)) return 'status';
    return null;
  }

  /**
   * Starts what the person was doing again, from its first question: a complaint from the first
   * question with none of the answers kept (what they said about someone's safety is kept, and
   * goes with the complaint); a check or a request to go further from the reference.
   */
  private async restart(innerDc: DialogContext, doing: MenuChoice): Promise<DialogTurnResult> {
    const memory = await this.ports.memory.get(innerDc.context, {});
    delete memory.verifiedReference;
    if (doing === 'lodge') {
      const { hadDraft, keptConcerns } = dropDraft(memory);
      await innerDc.context.sendActivity(
        !hadDraft
          ? 'OK, let’s start again from the first question.'
          : keptConcerns
            ? 'OK, let’s start again from the first question. I haven’t kept the answers you gave. What you told us about someone’s safety has still ' +
              'been passed on, and will go with your complaint.'
            : 'OK, let’s start again from the first question. I haven’t kept the answers you gave.',
      );
    } else {
      await innerDc.context.sendActivity('OK, let’s start again.');
    }
    logOf(this.ports, innerDc.context).info('conversation.started-again', { choice: doing });
    await innerDc.cancelAllDialogs();
    return innerDc.beginDialog(MENU, { restart: doing } satisfies MenuOptions);
  }

  /** The help text of the question now open, however deep it is. */
  private helpFor(innerDc: DialogContext): string {
    let leaf: DialogContext = innerDc;
    while (leaf.child) leaf = leaf.child;
    return (
      helpOf(propertyOf(leaf.activeDialog?.state, 'options')) ??
      `I can help you make a complaint, check on a complaint, or take a complaint further. Answer the question below, or type "cancel" to stop, "start ` +
        `again" to go back to the first question, or "talk to a person" for the service desk.`
    );
  }

  private async menu(step: WaterfallStepContext<MenuOptions>): Promise<DialogTurnResult> {
    const options = step.options;
    values<MenuValues>(step).askedAt = options.since ?? this.ports.clock.now().toISOString();
    if (options.restart) return step.next();
    if (options.said !== undefined) return step.next(options.said);
    if (options.closed) return Dialog.EndOfTurn;
    const first = !options.again && !options.misunderstood;
    if (first && !options.restarted) await step.context.sendActivity(this.welcome());
    // Someone who opens with what they want ("I want to complain") goes straight there.
    const said = messageText(step.context);
    const opening = first && !options.restarted && said !== null ? recogniseMenuChoice(said) : null;
    if (opening) return step.next(opening);
    return ask(step, {
      text: options.misunderstood
        ? 'Sorry, I didn’t catch that. Choose one of the buttons, or tell me in your own words what you’d like to do.'
        : options.again
          ? 'Is there anything else I can help you with?'
          : 'What would you like to do?',
      help:
        'Choose "Make a complaint" to tell us about something new, "Check on my complaint" if you have a reference, or "Take my complaint further" ' +
        'if you’re not happy with the response you had.',
      buttons: Object.values(MENU_LABELS),
    });
  }

  /**
   * What the person wants. Before any complaint is made or found here, the menu's things in their
   * own words. After, what they write is often for the team handling it (an answer to a staff
   * question: "3", "an update on the visits"), so, in this order:
   *
   * - a menu button starts that thing;
   * - a message that says it is for the team ("tell them…", "message for the team: …") goes to them;
   * - a request for the menu's things in plain words ("where is my complaint up to") starts it;
   * - a closing ("no thats all thanks") gets a goodbye and goes nowhere, unless it answers yes or
   *   no just after a staff message ("no thanks" to "shall we call you?"), when it goes to staff;
   * - a reply shortly after a staff message reached the chat (see `isReplyToStaff`) goes to them;
   * - anything else is sent only once the person confirms it.
   */
  private async route(step: WaterfallStepContext<MenuOptions>): Promise<DialogTurnResult> {
    const said = typeof step.result === 'string' ? step.result : '';
    const restart = step.options.restart;
    if (restart) return this.begin(step, restart);
    const linked = (await this.ports.memory.get(step.context, {})).caseLink;
    if (!linked) {
      const choice = recogniseMenuChoice(said);
      if (choice) return this.begin(step, choice);
      // "No thanks" to "Is there anything else I can help you with?"
      if (step.options.again === true && recogniseClosing(said)) return this.close(step, undefined);
      return step.replaceDialog(MENU, { misunderstood: true } satisfies MenuOptions);
    }
    const button = recogniseMenuButton(said);
    if (button) return this.begin(step, button);
    if (!hasVisibleText(said)) return step.replaceDialog(MENU, { misunderstood: true } satisfies MenuOptions);
    const since = values<MenuValues>(step).askedAt;
    if (isSendComplaint(normalise(said))) {
      const shown = await this.showLodgedAgain(step, linked);
      if (shown) return step.replaceDialog(MENU, { again: true, ...(since ? { since } : {}) } satisfies MenuOptions);
    }
    if (addressedToStaff(said)) return this.relay(step, linked, said, since);
    const request = recogniseMenuRequest(said);
    if (request) return this.begin(step, request);
    const reply = await isReplyToStaff(this.ports, step.context, linked, since);
    if (recogniseClosing(said) && !(reply && readYesNo(said).answer !== null)) return this.close(step, linked);
    if (reply) return this.relay(step, linked, said, since);
    if (isSendButton(said)) {
      await step.context.sendActivity('There’s nothing waiting to be sent. If you’d like to write to the team, just type your message.');
      return step.replaceDialog(MENU, { again: true, ...(since ? { since } : {}) } satisfies MenuOptions);
    }
    return step.beginDialog(MESSAGE_FOR_STAFF_DIALOG, {
      reference: linked,
      text: cleanAnswer(said, 5000),
      key: relayKey(this.ports, step.context),
    } satisfies MessageForStaff);
  }

  /**
   * "Send complaint" pressed again for the complaint this conversation sent (its confirmation
   * lost on the way, or the button pressed twice): the reference and response date again, and
   * nothing sent to staff. False when this conversation sent no such complaint.
   */
  private async showLodgedAgain(step: WaterfallStepContext<MenuOptions>, linked: CaseReference): Promise<boolean> {
    const lodged = (await this.ports.memory.get(step.context, {})).lodgedHere;
    if (lodged?.reference !== linked) return false;
    let stored;
    try {
      stored = await this.ports.cases.get(linked);
    } catch (error) {
      if (!(error instanceof StorageUnavailable)) throw error;
      await step.context.sendActivity(`Your complaint has been sent. Your reference is ${referenceInWords(linked)}.`);
      return true;
    }
    if (!stored) return false;
    const value = stored.case;
    await step.context.sendActivity(lodgedConfirmation(value, new Date(value.lodgedAt), lodged.accessCode, this.ports.policy, this.ports.service.cutOff));
    logOf(this.ports, step.context).info('lodge.confirmation-repeated');
    return true;
  }

  /** Says goodbye, and waits for whatever the person writes next without asking anything. */
  private async close(step: WaterfallStepContext<MenuOptions>, linked: CaseReference | undefined): Promise<DialogTurnResult> {
    await step.context.sendActivity(goodbye(linked));
    logOf(this.ports, step.context).info('menu.closed');
    return step.replaceDialog(MENU, { closed: true } satisfies MenuOptions);
  }

  private begin(step: WaterfallStepContext<MenuOptions>, choice: MenuChoice): Promise<DialogTurnResult> {
    logOf(this.ports, step.context).info('menu.chosen', { choice });
    // Started again: straight to the first question (a complaint's introduction was given already).
    return step.beginDialog(CHILD_DIALOGS[choice], step.options.restart === 'lodge' ? { resume: true } : undefined);
  }

  /** Passes a message to staff at once; the menu keeps when it last asked, so the conversation with staff carries on. */
  private async relay(step: WaterfallStepContext<MenuOptions>, reference: CaseReference, said: string, since: string | undefined): Promise<DialogTurnResult> {
    const passed = await passToStaff(this.ports, step.context, reference, cleanAnswer(said, 5000));
    if (passed) {
      await step.context.sendActivity(passedOn(reference, passed));
      return step.replaceDialog(MENU, { again: true, ...(since ? { since } : {}) } satisfies MenuOptions);
    }
    await step.context.sendActivity('I’m sorry: I couldn’t pass that on just now because of a problem on our side. Please try again in a few minutes.');
    return step.replaceDialog(MENU, { again: true } satisfies MenuOptions);
  }

  /**
   * Back to the menu when something ends. Words typed instead of answering "Shall I send this?"
   * are read as a new message; after a message was relayed, the conversation with staff carries on.
   */
  private again(step: WaterfallStepContext<MenuOptions>): Promise<DialogTurnResult> {
    const outcome = isMessageForStaffOutcome(step.result) ? step.result : null;
    if (outcome && 'instead' in outcome) return step.replaceDialog(MENU, { again: true, said: outcome.instead } satisfies MenuOptions);
    const since = values<MenuValues>(step).askedAt;
    return step.replaceDialog(MENU, { again: true, ...(outcome?.relayed === true && since ? { since } : {}) } satisfies MenuOptions);
  }

  private welcome(): string {
    const numbers = this.ports.service.safeguarding;
    return [
      `Hello. I can help you **make a complaint** to ${this.ports.service.organisation}, **check on a complaint** you’ve already made, or **take a ` +
        `complaint further** if you’re not happy with the response.`,
      `I can’t help in an emergency or with urgent medical advice. If someone is in danger, call 999. For urgent medical help, call NHS 111 or go to ` +
        `111.nhs.uk. If you’re worried a child is at risk, call ${numbers.children}.`,
    ].join('\n\n');
  }
}
