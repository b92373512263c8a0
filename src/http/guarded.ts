/**
 * The request guard every route is wrapped in: a failure becomes a clean answer (a refusal's own
 * status and reason; storage not answering, a 503 that says so with Retry-After; otherwise an
 * empty 500), never a stack trace, and every log line about the request carries one correlation id.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { correlated } from '../logging/json-logger.js';
import type { Logger } from '../ports/logger.js';
import { StorageUnavailable } from '../cases/errors.js';
import { HttpRefusal, sendEmpty, sendRefusal } from './responses.js';

/** How long a client is asked to wait before trying again while storage does not answer. */
export const STORAGE_RETRY_SECONDS = 5;

/** The answer while storage does not answer: a 503 whose message a person can be shown as it is. */
export function storageDown(): HttpRefusal {
  return new HttpRefusal(
    503,
    'ServiceUnavailable',
    'We can’t send or save messages just now because of a problem on our side. Nothing you have already sent is lost. What you type stays in ' +
      'the box, and the chat carries on by itself when we’re back: there’s no need to reload the page.',
    STORAGE_RETRY_SECONDS,
  );
}

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
        sendRefusal(response, error, error.status === 429 || error.status === 503 ? { 'Retry-After': String(error.retryAfterSeconds ?? 5) } : {});
        return;
      }
      if (error instanceof StorageUnavailable) {
        // Said plainly, with when to try again: the widget shows it and keeps what was typed.
        log.warn('http.storage-unavailable', { route });
        if (!response.headersSent) sendRefusal(response, storageDown(), { 'Retry-After': String(STORAGE_RETRY_SECONDS) });
        return;
      }
      log.error('http.failed', { route, error: error instanceof Error ? error.name : 'unknown' });
      if (!response.headersSent) sendEmpty(response, 500);
    }
  };
}
