/**
 * Structured logs: one JSON line per event, with the correlation id of the request or turn it
 * belongs to. Fields are named and chosen by the code, never built from what people type, so
 * names, contact details, complaint text and references stay out of logs. A field whose name
 * suggests personal data is dropped as a last line of defence.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../ports/logger.js';

/** Fields never written, whatever a caller passes. */
const PERSONAL = /^(name|email|phone|text|message|reference|secondFactor|address|token|authorization|whatHappened|outcomeWanted)$/i;

/** A logger for one request or turn: every line it writes carries a new correlation id. */
export function correlated(logger: Logger): Logger {
  return logger.child({ correlationId: randomUUID() });
}

function withoutPersonal(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!PERSONAL.test(key)) safe[key] = value;
  }
  return safe;
}

/** Writes log lines as JSON. */
export class JsonLogger implements Logger {
  constructor(
    private readonly write: (line: string) => void = (line) => {
      process.stdout.write(line);
    },
    private readonly now: () => Date = () => new Date(),
    /** Fields on every line (set by `child`), written after the level and event and before the line's own. */
    private readonly common: Readonly<Record<string, unknown>> = {},
  ) {}

  child(fields: Readonly<Record<string, unknown>>): Logger {
    return new JsonLogger(this.write, this.now, { ...this.common, ...withoutPersonal(fields) });
  }

  private line(level: 'info' | 'warn' | 'error', event: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.write(`${JSON.stringify({ time: this.now().toISOString(), level, event, ...this.common, ...withoutPersonal(fields) })}\n`);
  }

  info(event: string, fields?: Readonly<Record<string, unknown>>): void {
    this.line('info', event, fields);
  }

  warn(event: string, fields?: Readonly<Record<string, unknown>>): void {
    this.line('warn', event, fields);
  }

  error(event: string, fields?: Readonly<Record<string, unknown>>): void {
    this.line('error', event, fields);
  }
}
