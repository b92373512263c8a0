/** Checking a complaint's status: find and verify the case, then say where it stands, in plain words. */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { type ComplaintDialogPorts, logOf } from '../ports.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';
import { statusMessage } from './case-status.js';
import { FIND_CASE_DIALOG, isFoundCase } from './find-case-flow.js';

export const CHECK_STATUS_DIALOG = 'check-status';

/** Tells a verified complainant where their complaint stands. */
export class CheckStatusFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [new VersionedWaterfallDialog(CHECK_STATUS_DIALOG, 1, [(step) => step.beginDialog(FIND_CASE_DIALOG), this.report.bind(this)])];
  }

  private async report(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stored = isFoundCase(step.result) ? step.result : null;
    if (stored) {
      await step.context.sendActivity(statusMessage(stored.case, this.ports.policy, this.ports.clock.now(), this.ports.service));
      logOf(this.ports, step.context).info('status.shown', { procedure: stored.case.procedure, status: stored.case.status });
    }
    return step.endDialog();
  }
}
