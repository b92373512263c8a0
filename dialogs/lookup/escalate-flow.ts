/**
 * Asking for a complaint to be taken further. The escalation policy says whether that is
 * possible now; if not, the person is told why and what they can do instead (at the final stage,
 * which ombudsman, how to reach them, and when their window closes). If it is, they say why the
 * response did not resolve it, what evidence they have and what they want now; the case moves
 * to the next stage with its new deadline, the history records it, and staff are told.
 *
 * When the time to ask has passed, the request is still taken (the procedures let the
 * organisation accept a late one): the person is asked why it is late as well, the case stays
 * where it is with the request flagged for a decision, and staff are told.
 *
 * When the stage's response is late, the person need not wait for it (SI 2006/1738, as the
 * rulebook reads it): the request is taken as after a response, but asked about as what they
 * want the next stage to look at, since there is no response to find wanting.
 */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { updateCase } from '../../src/cases/case-store.js';
import { type EscalationRequest, requestEscalation } from '../../src/cases/transitions/request-escalation.js';
import { isRefusal } from '../../src/cases/transitions/transition.js';
import { InvalidCaseData, StorageUnavailable } from '../../src/cases/errors.js';
import type { CaseReference } from '../../src/cases/reference.js';
import { cleanAnswer } from '../../src/text/clean-text.js';
import { type Deadline, type EscalationDecision, formatLongDate, type LocalDate, parseLocalDate, type StageSummary } from '../../src/policy/index.js';
import { ask, values, YES_NO_PROMPT } from '../prompts.js';
import { type ComplaintDialogPorts, logOf } from '../ports.js';
import { readYesNo, recogniseYesNo } from '../recognisers.js';
import { causedBy } from '../turn.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';
import { escalationDecision } from '../../src/cases/case-policy.js';
import { FIND_CASE_DIALOG, isFoundCase } from './find-case-flow.js';

export const ESCALATE_DIALOG = 'escalate';

/** What is being asked for, kept between the steps. */
interface Request {
  readonly reference: CaseReference;
  readonly from: StageSummary;
  readonly to: StageSummary;
  /** Set when the time to ask has passed: the request goes to staff to decide. */
  readonly late: { readonly windowClosedOn: LocalDate } | null;
  /** Asked for without waiting for the stage's response, which is late (absent in requests saved before this was known). */
  readonly responseOverdue?: boolean;
}

/**
 * What the steps keep between them (saved with the conversation: keep the keys). Each answer is
 * kept by the step after its question, before any step that reads it.
 */
interface EscalateValues {
  request: Request;
  /** Only for a late request; null for "skip". */
  whyLate?: string | null;
  reason: string;
  evidence: string | null;
  outcome: string;
}

function kept(step: WaterfallStepContext): EscalateValues {
  return values<EscalateValues>(step);
}

type Refusal = Extract<EscalationDecision, { allowed: false }>;

/** Takes a complaint to its next stage when the procedure allows, or to staff to decide when it is late. */
export class EscalateFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      new VersionedWaterfallDialog(ESCALATE_DIALOG, 2, [
        (step) => step.beginDialog(FIND_CASE_DIALOG),
        this.decide.bind(this),
        this.askWhyNotResolved.bind(this),
        this.askEvidence.bind(this),
        this.askOutcome.bind(this),
        this.confirm.bind(this),
        this.escalate.bind(this),
      ]),
    ];
  }

  private request(step: WaterfallStepContext): Request {
    return kept(step).request;
  }

  private async decide(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stored = isFoundCase(step.result) ? step.result : null;
    if (!stored) return step.endDialog();
    const value = stored.case;
    const stageName = this.ports.policy.stage(value.procedure, value.stage).name;
    if (value.status === 'escalation-requested') {
      await step.context.sendActivity(
        `You’ve already asked for your complaint to go to ${stageName}. It’s waiting to be picked up; you don’t need to do anything else.`,
      );
      return step.endDialog();
    }
    if (value.flags.lateEscalation?.decision === 'pending') {
      await step.context.sendActivity(
        `You’ve already asked for ${this.ports.policy.stage(value.procedure, value.flags.lateEscalation.to).name}. The team are deciding whether to ` +
          `accept your request, and will let you know; you don’t need to do anything else.`,
      );
      return step.endDialog();
    }
    if (value.status === 'withdrawn' || value.status === 'redirected') {
      await step.context.sendActivity(
        `This complaint was ${value.status === 'withdrawn' ? 'withdrawn' : 'passed to another organisation'}, so it can’t be taken further here. The ` +
          `service desk can help: ${this.ports.service.serviceDesk.phone}.`,
      );
      return step.endDialog();
    }
    const decision = escalationDecision(value, this.ports.policy, this.ports.clock.now());
    await step.context.sendActivity(decision.explanation);
    if (decision.allowed) {
      kept(step).request = {
        reference: value.reference,
        from: decision.from,
        to: decision.to,
        late: null,
        responseOverdue: decision.reason === 'response-overdue',
      } satisfies Request;
      return step.next();
    }
    if (!isLateButPossible(decision)) {
      logOf(this.ports, step.context).info('escalate.not-allowed', { procedure: value.procedure, reason: decision.reason });
      return step.endDialog();
    }
    kept(step).request = {
      reference: value.reference,
      from: decision.from,
      to: decision.to,
      late: { windowClosedOn: decision.windowClosedOn },
    } satisfies Request;
    return ask(step, {
      text: 'Why weren’t you able to ask sooner?',
      help:
        'The team use your reason to decide whether to accept a late request, for example if you were unwell, away, or waiting for something. There ' +
        'are no wrong answers. If you’d rather not say, type "skip".',
    });
  }

  private askWhyNotResolved(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.request(step).late && typeof step.result === 'string') {
      const reason = cleanAnswer(step.result, 2000);
      kept(step).whyLate = reason === '' || /^(skip|no|n\/a|none)$/i.test(reason) ? null : reason;
    }
    if (this.request(step).responseOverdue === true) {
      return ask(step, {
        text: `What would you like ${this.request(step).to.name} to look at? Tell me what is still wrong, and how the wait has affected you.`,
        help:
          'You don’t need a response to ask for this. Tell me in your own words what still needs putting right. The person looking at your ' +
          'complaint next will read this first.',
      });
    }
    return ask(step, {
      text: 'Why hasn’t the response put things right for you?',
      help: 'Tell me what you think was wrong or missing in the response. The person looking at your complaint next will read this first.',
    });
  }

  private askEvidence(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // Kept short enough that the history entry holding all three stays within its size limit.
    kept(step).reason = cleanAnswer(String(step.result), 8000) || '(no reason given)';
    return ask(step, {
      text: 'Do you have anything new that would help: documents, letters, messages or photos? Tell me what you have, or say "no".',
      help: 'Just describe what you have; the team will tell you how to send it. If you have nothing new, that’s fine.',
      buttons: ['No'],
    });
  }

  private askOutcome(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = cleanAnswer(String(step.result), 4000);
    const { answer, rest } = readYesNo(said);
    // A plain "no" means nothing new; "no, but I have letters" still says what they have.
    kept(step).evidence = (answer === false && rest === '') || /^(none|nothing)[.!]?$/i.test(said) || said === '' ? null : said;
    return ask(step, {
      text: 'What would you like to happen now?',
      help: 'Tell me what would put things right for you now. It can be the same as before, or something different.',
    });
  }

  private confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (typeof step.result === 'string') kept(step).outcome = cleanAnswer(step.result, 8000);
    const request = this.request(step);
    const question = request.late
      ? `I’ll send your request for **${request.to.name}** to the team, with your reasons, for them to decide whether to accept it. Shall I go ahead?`
      : request.responseOverdue === true
        ? `I’ll ask for your complaint to go to **${request.to.name}** now, without waiting for the late response: ${request.to.description} Shall I go ahead?`
        : `I’ll ask for your complaint to go to **${request.to.name}**: ${request.to.description} Shall I go ahead?`;
    return ask(
      step,
      {
        text: question,
        help: 'Say yes to send your request now, or no to leave your complaint as it is.',
        buttons: ['Yes, go ahead', 'No'],
        retry: 'Sorry, I need a yes or no to that. Shall I go ahead?',
      },
      YES_NO_PROMPT,
    );
  }

  private async escalate(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (recogniseYesNo(String(step.result)) !== true) {
      await step.context.sendActivity('OK, I haven’t changed anything. Your complaint stays where it is.');
      return step.endDialog();
    }
    const request = this.request(step);
    const now = this.ports.clock.now();
    const { reason, evidence, outcome, whyLate } = kept(step);
    const asked: EscalationRequest = {
      from: request.from.id,
      to: request.to.id,
      late: request.late ? { windowClosedOn: request.late.windowClosedOn, whyLate: whyLate ?? null } : null,
      responseOverdue: request.responseOverdue === true,
      reason,
      evidence,
      outcomeWanted: outcome,
    };
    const cutOff = this.ports.service.cutOff;
    // The dates at the new stage, to tell the person (the transition records the same ones).
    const deadline = this.ports.policy.deadline({ procedure: request.to.procedure, stage: request.to.id, received: now, ...(cutOff ? { cutOff } : {}) });
    // Set when the request is found already made: a turn retried after its change landed.
    const earlier = { made: false };
    let result;
    try {
      result = await updateCase(this.ports.cases, request.reference, causedBy(step.context, 'escalate', now.toISOString()), (current) => {
        const decided = requestEscalation(current.case, asked, { policy: this.ports.policy, now, cutOff });
        if (!isRefusal(decided)) return decided;
        // Moved on since, or another request already made: nothing to do.
        earlier.made = decided.refused === 'already-requested';
        return null;
      });
    } catch (error) {
      if (error instanceof InvalidCaseData) {
        logOf(this.ports, step.context).error('escalate.invalid', { problems: error.problems.length });
        await step.context.sendActivity(
          `I’m sorry: I couldn’t record that request because of a problem on our side. Nothing has changed. Please contact the service desk on ` +
            `${this.ports.service.serviceDesk.phone}, who can take it for you.`,
        );
        return step.endDialog();
      }
      if (!(error instanceof StorageUnavailable)) throw error;
      await step.context.sendActivity(
        'I’m sorry: I couldn’t make that change just now because of a problem on our side. Nothing has changed. Please try again in a few minutes.',
      );
      return step.endDialog();
    }
    const stored = result?.stored.case ?? (earlier.made ? (await this.ports.cases.get(request.reference))?.case : undefined);
    if (!stored) {
      await step.context.sendActivity(
        'Your complaint has moved on since you started, so I haven’t changed anything. Type "check on my complaint" to see where it is now.',
      );
      return step.endDialog();
    }
    // Staff are told by the outbox: the request's events were saved with it.
    if (request.late) {
      await step.context.sendActivity(
        `Thank you. I’ve sent your request for **${request.to.name}** to the team. Because it’s after the time to ask, they will decide whether to ` +
          `accept it, and let you know. Until then your complaint stays where it is.`,
      );
    } else {
      await step.context.sendActivity(
        `Done. Your complaint is now at **${request.to.name}**, with the ${request.to.handler.role}. ${datesAhead(deadline)} I’ve let the team know.`,
      );
    }
    logOf(this.ports, step.context).info('escalate.requested', {
      procedure: request.to.procedure,
      stage: request.to.id,
      late: request.late !== null,
      applied: result?.applied ?? false,
    });
    return step.endDialog();
  }
}

function isLateButPossible(decision: Refusal): decision is Extract<Refusal, { reason: 'window-passed' }> {
  return decision.reason === 'window-passed';
}

/**
 * The dates at the new stage: its response, or each step in turn (a Review Panel meets, reports,
 * then the council responds). Where the regulation lets a step come "as soon as is reasonably
 * practicable" after its date (SI 2006/1738 reg 20), that is said, not "at the latest".
 */
function datesAhead(deadline: Deadline): string {
  if (deadline.then.length === 0) return `You should have a response by **${formatLongDate(parseLocalDate(deadline.due))}**.`;
  const steps = [
    { description: capitalise(deadline.rule.description), dueText: deadline.dueText, orAsSoonAsPracticable: deadline.rule.orAsSoonAsPracticable },
    ...deadline.then,
  ];
  const anyLater = steps.some((next) => next.orAsSoonAsPracticable);
  const dates = steps
    .map((next) => `${next.description} by ${next.dueText}${next.orAsSoonAsPracticable ? ' (or as soon as is reasonably practicable after that)' : ''}`)
    .join(', then ');
  return anyLater ? `${dates}.` : `${dates} at the latest.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
