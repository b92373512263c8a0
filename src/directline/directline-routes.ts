/**
 * The Direct Line 3.0 API of the self-hosted channel, under /v3/directline, as Microsoft's
 * Direct Line client (and so Web Chat) calls it: refresh a token, start or rejoin a
 * conversation, read activities from a watermark, post an activity. Uploads are refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'restify';
import { correlated } from '../logging/json-logger.js';
import type { Logger } from '../ports/logger.js';
import { HttpRefusal, readJson, sendEmpty, sendJson, sendRefusal } from '../server/http.js';
import type { SelfHostedDirectLine } from './self-hosted-directline.js';
import { bearerToken } from './tokens.js';

/** Settings the routes need. */
export interface DirectLineRouteOptions {
  readonly maxBodyBytes: number;
  /** The public base URL for a request ("https://bot.example.gov.uk"). */
  readonly publicBase: (request: IncomingMessage) => string;
  readonly logger: Logger;
}

type Handler = (request: IncomingMessage & { params?: Record<string, string> }, response: ServerResponse, log: Logger) => Promise<void>;

/**
 * Wraps a handler so every failure becomes a clean answer, never a stack trace, and every log
 * line about the request carries one correlation id: the handler is given a logger that adds it.
 * (An async function, as restify requires of two-argument handlers.)
 */
export function guarded(logger: Logger, route: string, handler: Handler): (request: IncomingMessage & { params?: Record<string, string> }, response: ServerResponse) => Promise<void> {
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

/** The stream URL for a conversation, with its token (as Direct Line gives it). */
export function streamUrl(base: string, conversationId: string, token: string, watermark = ''): string {
  const ws = base.replace(/^http/, 'ws');
  return `${ws}/v3/directline/conversations/${encodeURIComponent(conversationId)}/stream?watermark=${encodeURIComponent(watermark)}&t=${encodeURIComponent(token)}`;
}

/** Registers the Direct Line routes. */
export function registerDirectLineRoutes(server: Server, directLine: SelfHostedDirectLine, options: DirectLineRouteOptions): void {
  const { logger, maxBodyBytes } = options;
  const id = (request: { params?: Record<string, string> }): string => request.params?.['conversationId'] ?? '';

  server.post('/v3/directline/tokens/refresh', guarded(logger, 'tokens/refresh', (request, response) => {
    const refreshed = directLine.refresh(bearerToken(request.headers.authorization));
    sendJson(response, 200, { conversationId: refreshed.conversationId, token: refreshed.token, expires_in: refreshed.expiresIn });
    return Promise.resolve();
  }));

  server.post('/v3/directline/conversations', guarded(logger, 'conversations/start', async (request, response) => {
    await readJson(request, maxBodyBytes); // the client may send a user id; the token's is used
    const token = bearerToken(request.headers.authorization) ?? '';
    const { conversationId, created, expiresIn } = await directLine.startConversation(token);
    sendJson(response, created ? 201 : 200, { conversationId, token, expires_in: expiresIn, streamUrl: streamUrl(options.publicBase(request), conversationId, token) });
  }));

  server.get('/v3/directline/conversations/:conversationId', guarded(logger, 'conversations/reconnect', async (request, response) => {
    const token = bearerToken(request.headers.authorization) ?? '';
    const { expiresIn } = await directLine.reconnect(token, id(request));
    const watermark = new URL(request.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? '';
    sendJson(response, 200, { conversationId: id(request), token, expires_in: expiresIn, streamUrl: streamUrl(options.publicBase(request), id(request), token, watermark) });
  }));

  server.get('/v3/directline/conversations/:conversationId/activities', guarded(logger, 'activities/get', async (request, response) => {
    const watermark = new URL(request.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? undefined;
    const page = await directLine.activities(bearerToken(request.headers.authorization), id(request), watermark);
    sendJson(response, 200, { activities: page.activities, watermark: String(page.watermark) });
  }));

  server.post('/v3/directline/conversations/:conversationId/activities', guarded(logger, 'activities/post', async (request, response) => {
    const body = await readJson(request, maxBodyBytes);
    const activityId = await directLine.post(bearerToken(request.headers.authorization), id(request), body);
    sendJson(response, 200, { id: activityId });
  }));

  server.post('/v3/directline/conversations/:conversationId/upload', guarded(logger, 'upload', () => Promise.reject(new HttpRefusal(415, 'BadArgument', 'Files cannot be sent in this chat'))));
}
