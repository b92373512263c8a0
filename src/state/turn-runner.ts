/**
 * Runs each turn so that no update to conversation state is lost, even when two turns of one
 * conversation arrive together on two bot instances.
 *
 * Within an instance, turns of a conversation run one at a time. Across instances, each turn
 * saves with compare-and-set; if another instance saved first, the turn is run again on the
 * fresh state. So that a discarded attempt says nothing to the person, its replies are held
 * back and sent only once its state is saved. Anything else an attempt does must therefore be
 * safe to repeat (case changes carry the activity id as their idempotency key).
 */
import { type Activity, type ResourceResponse, TurnContext } from 'botbuilder';
import type { ConversationStateStore } from './conversation-state.js';
import { KeyedMutex } from './keyed-mutex.js';

/** The turn kept losing the race to save; the person should be asked to try again. */
export class TurnConflict extends Error {
  override readonly name = 'TurnConflict';
  constructor(readonly attempts: number) {
    super(`The turn could not save its conversation state after ${attempts} attempts, because other turns kept changing it`);
  }
}

/** What a turn does. */
export type TurnLogic = (context: TurnContext) => Promise<void>;

/** Runs turns with per-conversation ordering and compare-and-set retries. */
export class TurnRunner {
  private readonly mutex = new KeyedMutex();
  private readonly maxAttempts: number;

  constructor(private readonly state: ConversationStateStore, options: { readonly maxAttempts?: number } = {}) {
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** Runs `logic` for the turn in `context`. */
  run(context: TurnContext, logic: TurnLogic): Promise<void> {
    return this.mutex.run(this.state.storageKey(context), () => this.attempts(context, logic));
  }

  private async attempts(context: TurnContext, logic: TurnLogic): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const { turn, held } = this.attemptContext(context);
      await this.state.load(turn, true);
      await logic(turn);
      const outcome = await this.state.save(turn);
      if (outcome !== 'conflict') {
        if (held.length > 0) await context.sendActivities(held);
        return;
      }
      if (attempt >= this.maxAttempts) throw new TurnConflict(attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** attempt)));
    }
  }

  /**
   * A fresh context for one attempt: the same activity and adapter services, its own
   * "responded" flag, and sends held back. Held replies go out through the original context, so
   * the adapter sees them (and any invoke response) exactly as if sent directly.
   */
  private attemptContext(context: TurnContext): { turn: TurnContext; held: Partial<Activity>[] } {
    const turn = new TurnContext(context.adapter, context.activity);
    for (const [key, value] of context.turnState) turn.turnState.set(key, value);
    const held: Partial<Activity>[] = [];
    turn.onSendActivities((attemptContext, activities): Promise<ResourceResponse[]> => {
      held.push(...activities);
      if (activities.some((activity) => activity.type !== 'trace')) attemptContext.responded = true;
      return Promise.resolve(activities.map(() => ({ id: '' })));
    });
    return { turn, held };
  }
}
