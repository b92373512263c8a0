/**
 * Which procedure a complaint belongs to, from a few plain questions, and for an EHC plan which
 * NHS body it goes to. When it is none of ours, the person is told where to go instead: every
 * procedure here has a duty to redirect, not just to decline.
 */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { ask, values } from '../prompts.js';
import type { ComplaintDialogPorts } from '../ports.js';
import { normalise, recogniseProcedure } from '../recognisers.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';

export const PROCEDURE_DIALOG = 'procedure';

/** What this dialog ends with. */
export type ProcedureChoice = { readonly procedure: string; readonly route: string | null } | { readonly redirected: true };

const BUTTONS = ['The NHS website', "Children's social care", 'Health care in an EHC plan', 'Something else'];
const ROUTE_BUTTONS = ['The care that was given', "What's in the plan"];

/** Asks which service the complaint is about. */
export class ProcedureFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      new VersionedWaterfallDialog(PROCEDURE_DIALOG, 1, [
        this.askTopic.bind(this),
        this.checkTopic.bind(this),
        this.askRoute.bind(this),
        this.finish.bind(this),
      ]),
    ];
  }

  private askTopic(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const again = (step.options as { again?: boolean }).again === true;
    return ask(step, {
      text: again
        ? 'Sorry, I couldn’t tell which of these it is. Please choose one of the buttons, or describe the service in a few words.'
        : 'First, what is your complaint about?\n\n1. **The NHS website** (NHS Choices): something on its pages, or how the site works\n2. **Children’s social care** from the council: for example a social worker, foster care or family support\n3. **Health care in an EHC plan**: NHS services a child or young person gets as part of an Education, Health and Care plan\n4. **Something else**',
      help: 'I need to know which service your complaint is about, because each has its own complaints process and time limits. If it is about a GP, dentist, school, police or another council service, choose "Something else" and I’ll tell you who to contact.',
      buttons: BUTTONS,
    });
  }

  private async checkTopic(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = normalise(String(step.result));
    const byButton = BUTTONS.findIndex((label) => normalise(label) === said);
    const procedure = byButton >= 0 ? (['nhs-choices', 'la-childrens-services', 'nhs-health', 'other'] as const)[byButton] : recogniseProcedure(said);
    if (!procedure) return step.replaceDialog(PROCEDURE_DIALOG, { again: true });
    if (procedure === 'other') {
      const desk = this.ports.service.serviceDesk;
      await step.context.sendActivity([
        'I can only take complaints about the NHS website, children’s social care from the council, and NHS health care in an EHC plan, so I can’t take this one. You can still complain:',
        '- **Other NHS care** (a hospital, GP, dentist or pharmacy): complain to the place that gave the care, or to your local Integrated Care Board. NHS Complaints Advocacy can help, for free.',
        '- **Other council services** (housing, schools, bins, adult social care): use your council’s complaints page.',
        '- **A school**: follow the school’s own complaints procedure, then the local authority or the Department for Education.',
        `If you’re not sure who to contact, our service desk can point you the right way: ${desk.phone} (${desk.hours}) or ${desk.email}.`,
      ].join('\n\n'));
      return step.endDialog({ redirected: true } satisfies ProcedureChoice);
    }
    values(step)['procedure'] = procedure;
    return step.next();
  }

  private askRoute(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (values(step)['procedure'] !== 'nhs-health') return step.next();
    return ask(step, {
      text: 'Is your complaint about **the care that was given** (for example by a hospital or therapy service), or about **what’s in the plan**: whether the right health services are in the EHC plan and how they’re arranged?',
      help: 'Complaints about care go to the organisation that gave it (the "provider"). Complaints about which services are in the plan, or how they’re arranged, go to the Integrated Care Board that commissions them. If it’s both, choose the one that matters most; the two work together.',
      buttons: ROUTE_BUTTONS,
    });
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const procedure = String(values(step)['procedure']);
    if (procedure !== 'nhs-health') return step.endDialog({ procedure, route: null } satisfies ProcedureChoice);
    const said = normalise(String(step.result));
    const route = said === normalise(ROUTE_BUTTONS[1] ?? '') || /\b(plan|arranged|commission\w*|icb|which services|right services)\b/.test(said) ? 'commissioner' : 'provider';
    const body = route === 'commissioner' ? 'the Integrated Care Board that arranges the health services in the plan' : 'the organisation that gave the care';
    await step.context.sendActivity(`Thank you. Your complaint will go to ${body}.`);
    return step.endDialog({ procedure, route } satisfies ProcedureChoice);
  }
}
