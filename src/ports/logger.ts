/**
 * Structured logging, as a port: an event name and fields, never free text built from user
 * input. The JSON adapter (one line per event) comes with the server; tests use the silent one.
 */
export interface Logger {
  info(event: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(event: string, fields?: Readonly<Record<string, unknown>>): void;
  error(event: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** A logger that says nothing. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
