/**
 * Runs each turn so that no update to conversation state is lost, even when two turns of one
 * conversation arrive together on two bot instances, and so that a turn is processed once even
 * when the channel delivers its activity again.
 *
 * Within an instance, turns of a conversation run one at a time. Across instances, each turn
 * saves with compare-and-set; if another instance saved first, the turn is run again on the
 * fresh state. So that a discarded attempt says nothing to the person, its replies (and any
 * card it updates or deletes) are held back and sent only once its state is saved. Anything else
 * an attempt does must be safe to repeat: case changes carry idempotency keys made from the
 * activity id and a purpose ("<activity id>:escalate"). Held replies get placeholder ids; code
 * that needs a sent message's id must not rely on them.
 *
 * The ids of recent activities are kept in the conversation state and saved with it, in the
 * same compare-and-set, so a redelivered activity (channels retry after 15 seconds) is noticed
 * and not run again. Each is kept as a short digest: channel ids run to 36 characters or more,
 * and twenty of them were the largest single thing in a conversation's saved state.
 */
import { createHash } from 'node:crypto';
import { type Activity, type ConversationReference, type ResourceResponse, TurnContext } from 'botbuilder';
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

/** Where in the conversation state the ids of recently processed activities are kept. */
export const PROCESSED_ACTIVITIES = '$processedActivities';

/** How many recent activity ids are remembered per conversation. */
const REMEMBERED = 20;

/**
 * How an activity id is remembered: 66 bits of its SHA-256, 11 characters. Two of a
 * conversation's last twenty activities sharing one by chance is vanishingly unlikely (about
 * 1 in 10^18), and a channel that chose colliding ids could only silence its own conversation.
 * @example activityDigest('a6c2f1a0-3b1e-4c1e-9f0a-2d4f5e6a7b8c') // 11 base64url characters
 */
export function activityDigest(activityId: string): string {
  return createHash('sha256').update(activityId).digest('base64url').slice(0, 11);
}

/** What an attempt did that must wait until its state is saved. */
type HeldAction =
  | { readonly kind: 'send'; readonly activity: Partial<Activity> }
  | { readonly kind: 'update'; readonly activity: Partial<Activity> }
  | { readonly kind: 'delete'; readonly reference: Partial<ConversationReference> };

/** Runs turns with per-conversation ordering, compare-and-set retries and redelivery checks. */
export class TurnRunner {
  private readonly mutex: KeyedMutex;
  private readonly maxAttempts: number;

  constructor(
    private readonly state: ConversationStateStore,
    options: { readonly maxAttempts?: number; readonly maxQueued?: number; readonly holdMs?: number } = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.mutex = new KeyedMutex({ maxQueued: options.maxQueued ?? 50, holdMs: options.holdMs ?? 30_000 });
  }

  /** Runs `logic` for the turn in `context`. */
  run(context: TurnContext, logic: TurnLogic): Promise<void> {
    return this.mutex.run(this.state.storageKey(context), () => this.attempts(context, logic));
  }

  private async attempts(context: TurnContext, logic: TurnLogic): Promise<void> {
    // Invokes are answered in the HTTP response and made idempotent by their own keys.
    const activityId = context.activity.type === 'invoke' ? undefined : context.activity.id;
    const digest = activityId ? activityDigest(activityId) : undefined;
    for (let attempt = 1; ; attempt += 1) {
      const { turn, held } = this.attemptContext(context);
      const state = await this.state.load(turn, true);
      const kept = state[PROCESSED_ACTIVITIES];
      const processed = Array.isArray(kept) ? kept.filter((id: unknown): id is string => typeof id === 'string') : [];
      // State saved before digests were kept holds whole ids: a redelivery may match either.
      if (activityId && digest && (processed.includes(digest) || processed.includes(activityId))) return;
      await logic(turn);
      if (digest) state[PROCESSED_ACTIVITIES] = [...processed, digest].slice(-REMEMBERED);
      const outcome = await this.state.save(turn);
      if (outcome !== 'conflict') {
        await release(context, held);
        return;
      }
      if (attempt >= this.maxAttempts) throw new TurnConflict(attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** attempt)));
    }
  }

  /**
   * A fresh context for one attempt: the same activity and adapter services, its own
   * "responded" flag, and its sends, updates and deletes held back. They are released through
   * the original context, so the adapter sees them (and any invoke response) as if sent directly.
   */
  private attemptContext(context: TurnContext): { turn: TurnContext; held: HeldAction[] } {
    const turn = new TurnContext(context.adapter, context.activity);
    for (const [key, value] of context.turnState) turn.turnState.set(key, value);
    const held: HeldAction[] = [];
    turn.onSendActivities((attemptContext, activities): Promise<ResourceResponse[]> => {
      held.push(...activities.map((activity) => ({ kind: 'send' as const, activity })));
      if (activities.some((activity) => activity.type !== 'trace')) attemptContext.responded = true;
      return Promise.resolve(activities.map(() => ({ id: '' })));
    });
    turn.onUpdateActivity((_attemptContext, activity) => {
      held.push({ kind: 'update', activity });
      return Promise.resolve();
    });
    turn.onDeleteActivity((_attemptContext, reference) => {
      held.push({ kind: 'delete', reference });
      return Promise.resolve();
    });
    return { turn, held };
  }
}

/** Carries out held actions in order, sending runs of replies together. */
async function release(context: TurnContext, held: readonly HeldAction[]): Promise<void> {
  let replies: Partial<Activity>[] = [];
  for (const action of held) {
    if (action.kind === 'send') {
      replies.push(action.activity);
      continue;
    }
    if (replies.length > 0) await context.sendActivities(replies);
    replies = [];
    if (action.kind === 'update') await context.updateActivity(action.activity);
    else await context.deleteActivity(action.reference);
  }
  if (replies.length > 0) await context.sendActivities(replies);
}
