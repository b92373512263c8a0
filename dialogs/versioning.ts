/**
 * Versions for the conversation's design. Each waterfall declares a version, bumped whenever
 * its steps change after it has shipped; the root dialog combines every version in the tree
 * into one design version and stamps it on each conversation, so a conversation saved under an
 * older design is restarted politely instead of resuming at a step that no longer means the
 * same thing.
 */
import { createHash } from 'node:crypto';
import { type Dialog, DialogContainer, type DialogTurnResult, WaterfallDialog, type WaterfallStep, type WaterfallStepContext } from 'botbuilder-dialogs';

/**
 * A waterfall whose version is declared, and also changes with its number of steps: adding or
 * removing a step can never slip through unbumped, while a change in what a step means (which
 * the count cannot see) is marked by bumping the declared number.
 */
export class VersionedWaterfallDialog<O extends object = object> extends WaterfallDialog<O> {
  private readonly stepCount: number;

  constructor(
    dialogId: string,
    private readonly version: number,
    steps: WaterfallStep<O>[],
  ) {
    super(dialogId, steps);
    this.stepCount = steps.length;
  }

  override getVersion(): string {
    return `${this.id}@${this.version}:${this.stepCount}`;
  }

  /**
   * Bot Framework stamps each run of a waterfall with a new UUID, kept in the conversation's
   * state only to label telemetry events, which this bot does not send: at three or four
   * waterfalls deep that was a fifth of a conversation's state. It is dropped before each step.
   */
  protected override onStep(step: WaterfallStepContext<O>): Promise<DialogTurnResult> {
    Reflect.deleteProperty(step.values, 'instanceId');
    return super.onStep(step);
  }
}

/** One version for a dialog and everything inside it. */
export function designVersion(dialog: Dialog): string {
  const parts: string[] = [];
  const visit = (current: Dialog): void => {
    parts.push(current.getVersion());
    if (current instanceof DialogContainer) {
      for (const child of current.dialogs.getDialogs().sort((a, b) => a.id.localeCompare(b.id))) visit(child);
    }
  };
  visit(dialog);
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 16);
}
