/**
 * The root of the public conversation: a welcome that says what the bot can and cannot do, a
 * menu of three things (buttons, or the person's own words), and the requests that can
 * interrupt any question: "help", "cancel" or "start again", and "talk to a person".
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
  ComponentDialog, Dialog, type DialogContext, type DialogEvent, DialogEvents, type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { addFlows } from './flow.js';
import { ContactFlow } from './lodge/contact-dialog.js';
import { isLodging, LODGE_DIALOG, LodgeComplaintFlow } from './lodge/lodge-complaint-dialog.js';
import { ProcedureFlow } from './lodge/procedure-dialog.js';
import { WhenFlow } from './lodge/when-dialog.js';
import { WhoFlow } from './lodge/who-dialog.js';
import { CHECK_STATUS_DIALOG, CheckStatusFlow } from './lookup/check-status-dialog.js';
import { ESCALATE_DIALOG, EscalateFlow } from './lookup/escalate-dialog.js';
import { FindCaseFlow } from './lookup/find-case-dialog.js';
import { passedOn, passToStaff, showKeptMessages } from './case-link.js';
import { cleanAnswer, hasVisibleText } from '../src/text/clean-text.js';
import { ANSWER_PROMPT, ask, helpOf } from './prompts.js';
import { type ComplaintDialogPorts, logOf } from './ports.js';
import { MENU_LABELS, type MenuChoice, recogniseInterruption, recogniseMenuButton, recogniseMenuChoice, suggestsRiskOfHarm } from './recognisers.js';
import { dropDraft, raiseConcern, retryUnsentConcerns } from './safeguarding.js';
import { messageText } from './turn.js';
import { designVersion, VersionedWaterfallDialog } from './versioning.js';

export const MAIN_DIALOG = 'main';
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
}

const CHILD_DIALOGS: Readonly<Record<MenuChoice, string>> = { lodge: LODGE_DIALOG, status: CHECK_STATUS_DIALOG, escalate: ESCALATE_DIALOG };

/** The root dialog of the public conversation. */
export class MainDialog extends ComponentDialog {
  private readonly design: string;

  constructor(private readonly ports: ComplaintDialogPorts) {
    super(MAIN_DIALOG);
    // Every part of the conversation, in one dialog set (see flow.ts).
    addFlows(this, [
      new LodgeComplaintFlow(ports), new ProcedureFlow(ports), new WhoFlow(ports), new WhenFlow(ports), new ContactFlow(ports),
      new CheckStatusFlow(ports), new EscalateFlow(ports), new FindCaseFlow(ports),
    ]);
    this.addDialog(new VersionedWaterfallDialog<MenuOptions>(MENU, 1, [
      this.menu.bind(this),
      this.route.bind(this),
      (step) => step.replaceDialog(MENU, { again: true } satisfies MenuOptions),
    ]));
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
    if (outerDc.activeDialog?.id === this.id) (outerDc.activeDialog.state as Record<string, unknown>)[DESIGN] = this.design;
    return result;
  }

  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    if (outerDc.activeDialog && (outerDc.activeDialog.state as Record<string, unknown>)[DESIGN] !== this.design) {
      const memory = await this.ports.memory.get(outerDc.context, {});
      const { hadDraft } = dropDraft(memory);
      await outerDc.context.sendActivity(`Sorry: this service has been updated since your last message, so I need to start again. Anything you have already sent to us is safe and hasn’t changed.${hadDraft ? ' The complaint you were writing hadn’t been sent, so I’m afraid you’ll need to give those answers again.' : ''}`);
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
      if (innerDc.activeDialog?.id === ANSWER_PROMPT && innerDc.stack.at(-2)?.id === MENU && recogniseMenuChoice(text) === null) {
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      }
    }
    switch (recogniseInterruption(text)) {
      case 'help': {
        await innerDc.context.sendActivity(this.helpFor(innerDc));
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      }
      case 'cancel': {
        const memory = await this.ports.memory.get(innerDc.context, {});
        // Only stopping the complaint being written forgets it: "cancel" while checking on
        // another complaint leaves an unsent draft (kept after a failed save) alone.
        const lodging = isLodging(innerDc);
        const { hadDraft, keptConcerns } = lodging ? dropDraft(memory) : { hadDraft: false, keptConcerns: false };
        delete memory.verifiedReference;
        await innerDc.context.sendActivity(!hadDraft ? 'OK, I’ve stopped.'
          : keptConcerns ? 'OK, I’ve stopped. Your complaint hasn’t been sent, and I haven’t kept your answers. What you told us about someone’s safety has still been passed on.'
            : 'OK, I’ve stopped. Nothing has been sent, and I haven’t kept your answers.');
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(MENU, { again: true } satisfies MenuOptions);
      }
      case 'person': {
        const desk = this.ports.service.serviceDesk;
        await innerDc.context.sendActivity(`You can speak to someone at the service desk: call ${desk.phone} (${desk.hours}) or email ${desk.email}. If you’d like to carry on here, just answer the question below.`);
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      }
      case null:
        return super.onContinueDialog(innerDc);
    }
  }

  /** The help text of the question now open, however deep it is. */
  private helpFor(innerDc: DialogContext): string {
    let leaf: DialogContext = innerDc;
    while (leaf.child) leaf = leaf.child;
    const state = leaf.activeDialog?.state as { options?: unknown } | undefined;
    return helpOf(state?.options) ?? `I can help you make a complaint, check on a complaint, or take a complaint further. Answer the question below, or type "cancel" to start again, or "talk to a person" for the service desk.`;
  }

  private async menu(step: WaterfallStepContext<MenuOptions>): Promise<DialogTurnResult> {
    const options = step.options;
    const first = !options.again && !options.misunderstood;
    if (first && !options.restarted) await step.context.sendActivity(this.welcome());
    // Someone who opens with what they want ("I want to complain") goes straight there.
    const said = messageText(step.context);
    const opening = first && !options.restarted && said !== null ? recogniseMenuChoice(said) : null;
    if (opening) return step.next(opening);
    return ask(step, {
      text: options.misunderstood
        ? 'Sorry, I didn’t catch that. Choose one of the buttons, or tell me in your own words what you’d like to do.'
        : options.again ? 'Is there anything else I can help you with?' : 'What would you like to do?',
      help: 'Choose "Make a complaint" to tell us about something new, "Check on my complaint" if you have a reference, or "Take my complaint further" if you’re not happy with the response you had.',
      buttons: Object.values(MENU_LABELS),
    });
  }

  private async route(step: WaterfallStepContext<MenuOptions>): Promise<DialogTurnResult> {
    const said = typeof step.result === 'string' ? step.result : '';
    // After a complaint is made or found here, what they write is most likely for its staff (an
    // answer to a staff question: "3", "an update on the visits"), so only a button press is a
    // menu choice; anything else goes to the team, and the reply says how to choose instead.
    const linked = (await this.ports.memory.get(step.context, {})).caseLink;
    const choice = linked ? recogniseMenuButton(said) : recogniseMenuChoice(said);
    if (!choice) {
      if (linked && hasVisibleText(said) && await passToStaff(this.ports, step.context, linked, cleanAnswer(said, 5000))) {
        await step.context.sendActivity(passedOn(linked));
        return step.replaceDialog(MENU, { again: true } satisfies MenuOptions);
      }
      return step.replaceDialog(MENU, { misunderstood: true } satisfies MenuOptions);
    }
    logOf(this.ports, step.context).info('menu.chosen', { choice });
    return step.beginDialog(CHILD_DIALOGS[choice]);
  }

  private welcome(): string {
    const numbers = this.ports.service.safeguarding;
    return [
      `Hello. I can help you **make a complaint** to ${this.ports.service.organisation}, **check on a complaint** you’ve already made, or **take a complaint further** if you’re not happy with the response.`,
      `I can’t help in an emergency or with urgent medical advice. If someone is in danger, call 999. For urgent medical help, call NHS 111 or go to 111.nhs.uk. If you’re worried a child is at risk, call ${numbers.children}.`,
    ].join('\n\n');
  }
}
