/**
 * Which procedure a complaint belongs to, from a few plain questions, and for an EHC plan which
 * NHS body it goes to. When it is none of ours, the person is told where to go instead: every
 * procedure here has a duty to redirect, not just to decline.
 *
 * For NHS care the complainant chooses whether to complain to the provider or to the
 * commissioner (SI 2009/309 regs 6 and 7): both routes are explained from the rulebook, and an
 * answer that names neither is asked again, never defaulted.
 */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { StageDefinition } from '../../src/policy/index.js';
import { ask, values } from '../prompts.js';
import type { ComplaintDialogPorts } from '../ports.js';
import { normalise, recogniseProcedure, TOPIC_ORDER } from '../recognisers.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';

export const PROCEDURE_DIALOG = 'procedure';
const ROUTE_DIALOG = 'procedure-route';

/** What this dialog ends with. */
export type ProcedureChoice = { readonly procedure: string; readonly route: string | null } | { readonly redirected: true };

/** Whether a step's result is this dialog's answer (undefined when the question was not asked). */
export function isProcedureChoice(result: unknown): result is ProcedureChoice {
  return typeof result === 'object' && result !== null && ('procedure' in result || 'redirected' in result);
}

const BUTTONS = ['The NHS website', "Children's social care", 'Health care in an EHC plan', 'Adult social care', 'Another council service', 'Something else'];

/** A route a complaint can take at a procedure's first stage, as the rulebook describes it. */
type Route = NonNullable<StageDefinition['handler']['routes']>[number];

/** Whether the question is asked again, its answer not understood. */
interface TopicOptions {
  readonly again?: boolean;
}

/** What the questions keep between steps (saved with the conversation: keep the key), once the service is known. */
interface TopicValues {
  procedure: string;
}

function kept(step: WaterfallStepContext<TopicOptions>): TopicValues {
  return values<TopicValues>(step);
}

/** Why the route question is being asked (again). */
interface RouteRound {
  readonly procedure: string;
  readonly again?: 'unmatched' | 'unsure';
}

/** Words that point to one route, by the route's id in the rulebook. */
const ROUTE_WORDS: Readonly<Record<string, RegExp>> = {
  provider:
    /\b(provider|hospital|trust|clinic|service that gave|therapy service|therapists?|gave (me |him |her |them )?the care|who gave|organisation that gave|the care providers?)\b/,
  commissioner: /\b(icb|integrated care board|care board|commission\w*|plans and pays|pays for|ccg)\b/,
};

/** "Not sure", "either", "which is better?" */
const UNSURE = /\b(not sure|unsure|don'?t know|do not know|no idea|idk|either|which (one|is best|is better|should i)|can'?t decide|you choose|you decide)\b/;

/** Which route an answer chooses: a route's id, 'unsure', or null when it names neither (or both). */
function routeFrom(text: string, routes: readonly Route[]): string | null {
  const said = normalise(text).replace(/[.!?]+$/, '');
  const byLabel = routes.find((route) => normalise(route.role) === said);
  if (byLabel) return byLabel.id;
  const byNumber = /^(\d)$/.exec(said)?.[1];
  if (byNumber) return routes[Number(byNumber) - 1]?.id ?? null;
  const named = routes.filter((route) => ROUTE_WORDS[route.id]?.test(said) === true);
  if (named.length === 1) return named[0]?.id ?? null;
  if (named.length === 0 && UNSURE.test(said)) return 'unsure';
  return null;
}

/** Asks which service the complaint is about. */
export class ProcedureFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      new VersionedWaterfallDialog<TopicOptions>(PROCEDURE_DIALOG, 2, [
        this.askTopic.bind(this),
        this.checkTopic.bind(this),
        this.chooseRoute.bind(this),
        this.finish.bind(this),
      ]),
      new VersionedWaterfallDialog<RouteRound>(ROUTE_DIALOG, 1, [this.askRoute.bind(this), this.checkRoute.bind(this)]),
    ];
  }

  private askTopic(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const again = step.options.again === true;
    return ask(step, {
      text: again
        ? 'Sorry, I couldn’t tell which of these it is. Please choose one of the buttons, or describe the service in a few words.'
        : 'First, what is your complaint about? You can choose below, or tell me in a few words (for example "my bins weren’t collected").\n\n' +
          '1. **The NHS website** (NHS Choices): something on its pages, or how the site works\n2. **Children’s social care** from the council: for ' +
          'example a social worker, foster care or family support\n3. **Health care in an EHC plan**: NHS services a child or young person gets as ' +
          'part of an Education, Health and Care plan\n4. **Adult social care** from the council: for example a care assessment, home care, a care ' +
          'home or direct payments\n5. **Another council service**: for example bins and recycling, council tax, benefits, planning, parking, roads ' +
          'or libraries\n6. **Something else**',
      help:
        'I need to know which service your complaint is about, because each has its own complaints process and time limits. If it is about a GP, ' +
        'dentist, school, the police or a council home’s repairs, choose "Something else" and I’ll tell you who to contact.',
      buttons: BUTTONS,
    });
  }

  private async checkTopic(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const said = normalise(String(step.result));
    const byButton = BUTTONS.findIndex((label) => normalise(label) === said);
    const procedure = byButton >= 0 ? TOPIC_ORDER[byButton] : recogniseProcedure(said);
    if (!procedure) return step.replaceDialog(PROCEDURE_DIALOG, { again: true } satisfies TopicOptions);
    if (procedure === 'other') {
      const desk = this.ports.service.serviceDesk;
      await step.context.sendActivity(
        [
          'I can only take complaints about the NHS website, the council’s services (children’s and adult social care among them), and NHS health ' +
            'care in an EHC plan, so I can’t take this one. You can still complain:',
          '- **Other NHS care** (a hospital, GP, dentist or pharmacy): complain to the place that gave the care, or to your local Integrated Care ' +
            'Board. NHS Complaints Advocacy can help, for free.',
          '- **Repairs or your tenancy in a council home**: the council’s housing complaints procedure as your landlord, then the Housing Ombudsman.',
          '- **A school**: follow the school’s own complaints procedure, then the local authority or the Department for Education.',
          `If you’re not sure who to contact, our service desk can point you the right way: ${desk.phone} (${desk.hours}) or ${desk.email}.`,
        ].join('\n\n'),
      );
      return step.endDialog({ redirected: true } satisfies ProcedureChoice);
    }
    kept(step).procedure = procedure;
    return step.next();
  }

  /** The routes a complaint can take at the procedure's first stage (none: it goes to one place). */
  private routes(procedure: string): readonly Route[] {
    return this.ports.policy.stages(procedure)[0]?.handler.routes ?? [];
  }

  private chooseRoute(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const procedure = kept(step).procedure;
    return this.routes(procedure).length > 0 ? step.beginDialog(ROUTE_DIALOG, { procedure } satisfies RouteRound) : step.next(null);
  }

  private finish(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const procedure = kept(step).procedure;
    const route = typeof step.result === 'string' ? step.result : null;
    return step.endDialog({ procedure, route } satisfies ProcedureChoice);
  }

  private askRoute(step: WaterfallStepContext<RouteRound>): Promise<DialogTurnResult> {
    const { procedure, again } = step.options;
    const routes = this.routes(procedure);
    const choices = routes.map((route) => `- **${route.role}**: ${route.description}. Choose this if ${route.for}.`).join('\n');
    const lead =
      again === 'unmatched'
        ? 'Sorry, I couldn’t tell which you’d like. You can send your complaint to either of these:'
        : again === 'unsure'
          ? 'You can send your complaint to either of these:'
          : 'You can choose who looks into your complaint. Either of these can:';
    return ask(step, {
      text: `${lead}\n\n${choices}\n\nWhich would you like to complain to?`,
      help: this.bothFine(routes),
      buttons: routes.map((route) => route.role),
    });
  }

  private async checkRoute(step: WaterfallStepContext<RouteRound>): Promise<DialogTurnResult> {
    const { procedure } = step.options;
    const routes = this.routes(procedure);
    const chosen = routeFrom(String(step.result), routes);
    if (chosen === 'unsure') {
      await step.context.sendActivity(this.bothFine(routes));
      return step.replaceDialog(ROUTE_DIALOG, { procedure, again: 'unsure' } satisfies RouteRound);
    }
    const route = routes.find((candidate) => candidate.id === chosen);
    if (!route) return step.replaceDialog(ROUTE_DIALOG, { procedure, again: 'unmatched' } satisfies RouteRound);
    await step.context.sendActivity(`Thank you. Your complaint will go to the ${route.role}: ${route.description}.`);
    return step.endDialog(route.id);
  }

  /** Why either route is a good choice, for someone who is not sure. */
  private bothFine(routes: readonly Route[]): string {
    const provider = routes.find((route) => route.id === 'provider');
    const commissioner = routes.find((route) => route.id === 'commissioner');
    const parts = ['Either is fine: it’s your choice, and either can look into your complaint.'];
    if (provider) parts.push(`The ${provider.role} usually knows the care best, so many people start there.`);
    if (commissioner) parts.push(`If you’d rather not complain to the provider directly, you can go to the ${commissioner.role} instead.`);
    return parts.join(' ');
  }
}
