/**
 * Structured logs: one JSON line per event, with the correlation id of the request or turn it
 * belongs to. Fields are named and chosen by the code, never built from what people type, so
 * names, contact details, complaint text and references stay out of logs. A field whose name
 * suggests personal data is dropped as a last line of defence.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../ports/logger.js';

const correlation = new AsyncLocalStorage<string>();

/** Fields never written, whatever a caller passes. */
const PERSONAL = /^(name|email|phone|text|message|reference|secondFactor|address|token|authorization|whatHappened|outcomeWanted)$/i;

/** Runs `work` with a correlation id that every log line inside it carries. */
export function withCorrelation<T>(work: () => T, id: string = randomUUID()): T {
  return correlation.run(id, work);
}

/** The correlation id of the current request or turn, if any. */
export function currentCorrelation(): string | undefined {
  return correlation.getStore();
}

/** Writes log lines as JSON. */
export class JsonLogger implements Logger {
  constructor(private readonly write: (line: string) => void = (line) => { process.stdout.write(line); }, private readonly now: () => Date = () => new Date()) {}

  private line(level: 'info' | 'warn' | 'error', event: string, fields: Readonly<Record<string, unknown>> = {}): void {
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (!PERSONAL.test(key)) safe[key] = value;
    }
    const id = correlation.getStore();
    this.write(`${JSON.stringify({ time: this.now().toISOString(), level, event, ...(id ? { correlationId: id } : {}), ...safe })}\n`);
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
