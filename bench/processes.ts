/**
 * Processes the benchmark starts (redis-server, the bots) must not outlive it, even when it fails
 * or is interrupted: each registers a synchronous kill here, run when this process exits.
 */
const cleanups = new Set<() => void>();
const state = { listening: false };

function runAll(): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // Exiting anyway: try the rest.
    }
  }
  cleanups.clear();
}

/** Runs `cleanup` when this process exits; returns a function that cancels it. */
export function onExit(cleanup: () => void): () => void {
  if (!state.listening) {
    state.listening = true;
    process.on('exit', runAll);
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
