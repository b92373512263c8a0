/**
 * Two pieces of work botbuilder-dialogs does on every turn that this bot has no use for, skipped
 * by giving each turn what the library would otherwise make afresh (together about a seventh of
 * the CPU of a dialog turn, measured with bench/profile.ts):
 * - the dialogs' memory scopes: built anew for each turn unless the turn already has them under
 *   "DialogStateManagerConfiguration". They hold nothing of any turn (each scope reads the turn it
 *   is given), so one set serves every turn.
 * - the "activityReceived" event: sent to the innermost open dialog before each message is
 *   handled, making a dialog context for every level on the way down, and then bubbled up through
 *   every level again, for dialogs that intercept messages with onPreBubbleEvent. None here does
 *   (interruptions are handled in MainDialog's onContinueDialog, and text prompts ignore the
 *   event), so it always travelled the whole way for nothing. The library marks a turn that has
 *   had it with a symbol of its own.
 * Both are learned from the first turn that makes them, from the turn's state, so a later
 * botbuilder-dialogs that changes either costs only the time saved (a test says so).
 */
import type { TurnContext } from 'botbuilder';

/** The turn-state key under which DialogStateManager keeps and looks for the memory scopes. */
const MEMORY_SCOPES = 'DialogStateManagerConfiguration';

/** The description of the symbol that marks a turn as having had the "activityReceived" event. */
const ACTIVITY_EVENT_SENT = 'ActivityReceivedEmitted';

/** What earlier turns made that later ones can reuse. */
export class DialogShortcuts {
  private memoryScopes: unknown;
  private activityEventSent: symbol | undefined;

  /** Gives a turn what earlier turns learned, before its dialog context is made. */
  prepare(context: TurnContext): void {
    if (this.memoryScopes !== undefined) context.turnState.set(MEMORY_SCOPES, this.memoryScopes);
    if (this.activityEventSent !== undefined) context.turnState.set(this.activityEventSent, true);
  }

  /** Learns from a turn whose dialogs have run. */
  learn(context: TurnContext): void {
    this.memoryScopes ??= context.turnState.get<unknown>(MEMORY_SCOPES);
    this.activityEventSent ??= [...context.turnState.keys()].find((key): key is symbol => typeof key === 'symbol' && key.description === ACTIVITY_EVENT_SENT);
  }

  /** Whether both have been learned (for the test that notices a botbuilder-dialogs change). */
  get learned(): boolean {
    return this.memoryScopes !== undefined && this.activityEventSent !== undefined;
  }
}
