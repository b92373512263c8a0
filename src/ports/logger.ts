/**
 * Structured logging, as a port: an event name and fields, never free text built from user
 * input. The JSON adapter (one line per event) comes with the server; tests use the silent one.
 *
 * A request or a turn logs through a child logger that carries its correlation id. The child is
 * passed along, not found through AsyncLocalStorage: on Node 20 that keeps promise hooks on for
 * every promise in the process, and a dialog turn makes hundreds of promises (it cost a tenth of
 * a turn's CPU). A turn's logger rides in its turn state, where dialogs and handlers find it.
 */
export interface Logger {
  info(event: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(event: string, fields?: Readonly<Record<string, unknown>>): void;
  error(event: string, fields?: Readonly<Record<string, unknown>>): void;
  /** The same logger, adding `fields` to every line (a request's or a turn's correlation id). */
  child(fields: Readonly<Record<string, unknown>>): Logger;
}

/** A logger that says nothing. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silentLogger };

/** Anything with Bot Framework's turn state (a TurnContext), without depending on botbuilder here. */
interface HasTurnState {
  readonly turnState: Map<unknown, unknown>;
}

/** Where a turn keeps its logger. */
const TURN_LOGGER = Symbol('turnLogger');

/** Gives a turn the logger its lines go through (the request's, with its correlation id). */
export function setTurnLogger(context: HasTurnState, logger: Logger): void {
  context.turnState.set(TURN_LOGGER, logger);
}

/** The turn's logger, or `fallback` for a turn that was given none (one begun outside a request). */
export function turnLogger(context: HasTurnState, fallback: Logger): Logger {
  const logger = context.turnState.get(TURN_LOGGER);
  return logger === undefined ? fallback : (logger as Logger);
}
