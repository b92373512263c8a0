/**
 * Sending outside a turn. An adapter runs the callback of `continueConversation` inside its
 * turn pipeline, where an error goes to the adapter's `onTurnError` (which logs and apologises)
 * instead of back to the caller: a failed proactive send would look like a success. This runs
 * the work so that its error reaches the caller, who can keep the message or try again.
 */
import type { TurnContext } from 'botbuilder';

/** Runs `work` inside `continueWith`'s turn and rethrows whatever it threw. */
export async function proactively(
  continueWith: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
  work: (context: TurnContext) => Promise<void>,
): Promise<void> {
  const outcome: { failed: boolean; error: unknown } = { failed: false, error: undefined };
  await continueWith(async (context) => {
    try {
      await work(context);
    } catch (error) {
      outcome.failed = true;
      outcome.error = error;
    }
  });
  if (outcome.failed) throw outcome.error;
}
