/**
 * The request guard every route is wrapped in: a failure becomes a clean answer (a refusal's own
 * status and reason, or an empty 500), never a stack trace, and every log line about the request
 * carries one correlation id.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { correlated } from '../logging/json-logger.js';
import type { Logger } from '../ports/logger.js';
import { HttpRefusal, sendEmpty, sendRefusal } from './responses.js';

/** A route's handler, given a logger that adds the request's correlation id. */
export type Handler = (request: IncomingMessage & { params?: Record<string, string> }, response: ServerResponse, log: Logger) => Promise<void>;

/**
 * Wraps a handler so every failure becomes a clean answer, never a stack trace, and every log
 * line about the request carries one correlation id: the handler is given a logger that adds it.
 * (An async function, as restify requires of two-argument handlers.)
 */
export function guarded(
  logger: Logger,
  route: string,
  handler: Handler,
): (request: IncomingMessage & { params?: Record<string, string> }, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const log = correlated(logger);
    try {
      await handler(request, response, log);
    } catch (error) {
      if (error instanceof HttpRefusal) {
        sendRefusal(response, error, error.status === 429 ? { 'Retry-After': String(error.retryAfterSeconds ?? 5) } : {});
        return;
      }
      log.error('http.failed', { route, error: error instanceof Error ? error.name : 'unknown' });
      if (!response.headersSent) sendEmpty(response, 500);
    }
  };
}
