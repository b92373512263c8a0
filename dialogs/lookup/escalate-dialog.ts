/**
 * Asking for a complaint to be taken further. The escalation policy says whether that is
 * possible now; if not, the person is told why and what they can do instead (at the final stage,
 * which ombudsman, how to reach them, and when their window closes). If it is, they say why the
 * response did not resolve it, what evidence they have and what they want now; the case moves
 * to the next stage with its new deadline, the history records it, and staff are told.
 */
import { ComponentDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { type Case, deadlineRecord, type StoredCase } from '../../src/cases/case.js';
import { updateCase } from '../../src/cases/case-store.js';
import { StorageUnavailable } from '../../src/cases/errors.js';
import { type EscalationDecision, formatLongDate, parseLocalDate } from '../../src/policy/index.js';
import { answerPrompt, ask, values } from '../prompts.js';
import type { ComplaintDialogPorts } from '../ports.js';
import { normalise, recogniseYesNo } from '../recognisers.js';
import { VersionedWaterfallDialog } from '../versioning.js';
import { escalationDecision } from './case-status.js';
import { FIND_CASE_DIALOG, FindCaseDialog } from './find-case-dialog.js';

export const ESCALATE_DIALOG = 'escalate';
const STEPS = 'escalate-steps';

type Allowed = Extract<EscalationDecision, { allowed: true }>;

/** Takes a complaint to its next stage when the procedure allows. */
export class EscalateDialog extends ComponentDialog {
  constructor(private readonly ports: ComplaintDialogPorts) {
    super(ESCALATE_DIALOG);
    this.addDialog(answerPrompt());
    this.addDialog(new FindCaseDialog(ports));
    this.addDialog(new VersionedWaterfallDialog(STEPS, 1, [
      (step) => step.beginDialog(FIND_CASE_DIALOG),
      this.decide.bind(this),
      this.askEvidence.bind(this),
      this.askOutcome.bind(this),
      this.confirm.bind(this),
      this.escalate.bind(this),
    ]));
    this.initialDialogId = STEPS;
  }

  private async decide(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stored = step.result as StoredCase | null;
    if (!stored) return step.endDialog();
    const value = stored.case;
    values(step)['reference'] = value.reference;
    if (value.status === 'escalation-requested') {
      await step.context.sendActivity(`You’ve already asked for your complaint to go to ${this.ports.policy.stage(value.procedure, value.stage).name}. It’s waiting to be picked up; you don’t need to do anything else.`);
      return step.endDialog();
    }
    if (value.status === 'withdrawn' || value.status === 'redirected') {
      await step.context.sendActivity(`This complaint was ${value.status === 'withdrawn' ? 'withdrawn' : 'passed to another organisation'}, so it can’t be taken further here. The service desk can help: ${this.ports.service.serviceDesk.phone}.`);
      return step.endDialog();
    }
    const decision = escalationDecision(value, this.ports.policy, this.ports.clock.now());
    if (!decision.allowed) {
      await step.context.sendActivity(decision.explanation);
      this.ports.log.info('escalate.not-allowed', { procedure: value.procedure, reason: decision.reason });
      return step.endDialog();
    }
    values(step)['decision'] = decision;
    await step.context.sendActivity(decision.explanation);
    return ask(step, {
      text: 'Why hasn’t the response put things right for you?',
      help: 'Tell me what you think was wrong or missing in the response. The person looking at your complaint next will read this first.',
    });
  }

  private askEvidence(step: WaterfallStepContext): Promise<DialogTurnResult> {
    values(step)['reason'] = String(step.result).trim().slice(0, 10_000);
    return ask(step, {
      text: 'Do you have anything new that would help: documents, letters, messages or photos? Tell me what you have, or say "no".',
      help: 'Just describe what you have; the team will tell you how to send it. If you have nothing new, that’s fine.',
      buttons: ['No'],
    });
  }

  private askOutcome(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = String(step.result).trim();
    values(step)['evidence'] = recogniseYesNo(said) === false || /^(none|nothing|no\.?)$/i.test(said) ? null : said.slice(0, 5000);
    return ask(step, {
      text: 'What would you like to happen now?',
      help: 'Tell me what would put things right for you now. It can be the same as before, or something different.',
    });
  }

  private confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (typeof step.result === 'string') values(step)['outcome'] = step.result.trim().slice(0, 10_000);
    const decision = values(step)['decision'] as Allowed;
    return ask(step, {
      text: `I’ll ask for your complaint to go to **${decision.to.name}**: ${decision.to.description} Shall I go ahead?`,
      help: 'Say yes to take your complaint to the next stage now, or no to leave it as it is.',
      buttons: ['Yes, go ahead', 'No'],
    });
  }

  private async escalate(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = normalise(String(step.result));
    if (!(recogniseYesNo(said) === true || /^yes/.test(said))) {
      await step.context.sendActivity('OK, I haven’t changed anything. Your complaint stays where it is.');
      return step.endDialog();
    }
    const decision = values(step)['decision'] as Allowed;
    const reference = values(step)['reference'] as Case['reference'];
    const now = this.ports.clock.now();
    // The first thing due at the new stage (for a Review Panel, its meeting), with what follows.
    const deadline = this.ports.policy.deadline({ procedure: decision.to.procedure, stage: decision.to.id, received: now, ...(this.ports.service.cutOff ? { cutOff: this.ports.service.cutOff } : {}) });
    const details = { from: decision.from.id, to: decision.to.id, reason: values(step)['reason'] as string, evidence: values(step)['evidence'] as string | null, outcomeWanted: values(step)['outcome'] as string };
    let result;
    try {
      result = await updateCase(this.ports.cases, reference, `${step.context.activity.id ?? now.toISOString()}:escalate`, (current) => {
        if (current.case.stage !== decision.from.id) return null; // moved on since: nothing to do
        const next: Case = structuredClone(current.case);
        next.stage = decision.to.id;
        next.status = 'escalation-requested';
        next.handler = null;
        next.deadlines.push(deadlineRecord(deadline));
        next.updatedAt = now.toISOString();
        return { next, event: { type: 'escalation-requested', at: now.toISOString(), actor: { kind: 'complainant', id: null, name: null }, summary: `Asked for ${decision.to.name}`, details } };
      });
    } catch (error) {
      if (!(error instanceof StorageUnavailable)) throw error;
      await step.context.sendActivity('I’m sorry: I couldn’t make that change just now because of a problem on our side. Nothing has changed. Please try again in a few minutes.');
      return step.endDialog();
    }
    if (!result) {
      await step.context.sendActivity('Your complaint has moved on since you started, so I haven’t changed anything. Type "check on my complaint" to see where it is now.');
      return step.endDialog();
    }
    try {
      await this.ports.notifier.notify({ kind: 'escalation-requested', case: result.stored.case });
    } catch (error) {
      this.ports.log.error('notify.failed', { kind: 'escalation-requested', error: error instanceof Error ? error.name : 'unknown' });
    }
    const when = deadline.then.length > 0
      ? [`${capitalise(deadline.rule.description)} by ${deadline.dueText}`, ...deadline.then.map((event) => `${event.description} by ${event.dueText}`)].join(', then ').concat(' at the latest.')
      : `You should have a response by **${formatLongDate(parseLocalDate(deadline.due))}**.`;
    await step.context.sendActivity(`Done. Your complaint is now at **${decision.to.name}**, with the ${decision.to.handler.role}. ${when} I’ve let the team know.`);
    this.ports.log.info('escalate.requested', { procedure: decision.to.procedure, stage: decision.to.id, applied: result.applied });
    return step.endDialog();
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
