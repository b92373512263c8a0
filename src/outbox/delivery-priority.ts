/**
 * A delivery instance gives way to the web instances on the same host: it lowers its own CPU
 * priority, so that when both want the processor, answering a person comes first and delivery
 * (durable, and retried) takes what is left. Measured by `npm run bench`: with the web and the
 * delivery instance on the same two cores, the web's turn rate is about a tenth higher this way.
 */
import { setPriority } from 'node:os';

/** Lowers this process's priority to `nice` (0 leaves it as it is); says why not if it could not. */
export function giveWayToTurns(nice: number): { readonly nice: number } | { readonly failed: string } {
  if (nice === 0) return { nice: 0 };
  try {
    setPriority(nice);
    return { nice };
  } catch (error) {
    // Some platforms and containers refuse; delivery still works, at the usual priority.
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}
