/**
 * The Direct Line 3.0 API of the self-hosted channel, under /v3/directline, as Microsoft's
 * Direct Line client (and so Web Chat) calls it: refresh a token, start or rejoin a
 * conversation, read activities from a watermark, post an activity. Uploads are refused.
 */
import type { IncomingMessage } from 'node:http';
import type { Server } from 'restify';
import type { Logger } from '../ports/logger.js';
import { guarded } from '../http/guarded.js';
import { HttpRefusal, readJson, sendJson } from '../http/responses.js';
import type { SelfHostedDirectLine } from './self-hosted-directline.js';
import { bearerToken } from './tokens.js';

/** Settings the routes need. */
export interface DirectLineRouteOptions {
  readonly maxBodyBytes: number;
  /** The public base URL for a request ("https://bot.example.gov.uk"). */
  readonly publicBase: (request: IncomingMessage) => string;
  readonly logger: Logger;
  /** The client's address (behind a trusted proxy, the one it forwards), for the lookup limits per address. */
  readonly clientAddress?: (request: IncomingMessage) => string;
}

/** The stream URL for a conversation, with its token (as Direct Line gives it). */
function streamUrl(base: string, conversationId: string, token: string, watermark = ''): string {
  const ws = base.replace(/^http/, 'ws');
  const query = `watermark=${encodeURIComponent(watermark)}&t=${encodeURIComponent(token)}`;
  return `${ws}/v3/directline/conversations/${encodeURIComponent(conversationId)}/stream?${query}`;
}

/** Registers the Direct Line routes. */
export function registerDirectLineRoutes(server: Server, directLine: SelfHostedDirectLine, options: DirectLineRouteOptions): void {
  const { logger, maxBodyBytes } = options;
  const id = (request: { params?: Record<string, string> }): string => request.params?.['conversationId'] ?? '';

  server.post(
    '/v3/directline/tokens/refresh',
    guarded(logger, 'tokens/refresh', (request, response) => {
      const refreshed = directLine.refresh(bearerToken(request.headers.authorization));
      sendJson(response, 200, { conversationId: refreshed.conversationId, token: refreshed.token, expires_in: refreshed.expiresIn });
      return Promise.resolve();
    }),
  );

  server.post(
    '/v3/directline/conversations',
    guarded(logger, 'conversations/start', async (request, response) => {
      await readJson(request, maxBodyBytes); // the client may send a user id; the token's is used
      const token = bearerToken(request.headers.authorization) ?? '';
      const { conversationId, created, expiresIn } = await directLine.startConversation(token);
      sendJson(response, created ? 201 : 200, {
        conversationId,
        token,
        expires_in: expiresIn,
        streamUrl: streamUrl(options.publicBase(request), conversationId, token),
      });
    }),
  );

  server.get(
    '/v3/directline/conversations/:conversationId',
    guarded(logger, 'conversations/reconnect', async (request, response) => {
      const token = bearerToken(request.headers.authorization) ?? '';
      const { expiresIn } = await directLine.reconnect(token, id(request));
      const watermark = new URL(request.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? '';
      sendJson(response, 200, {
        conversationId: id(request),
        token,
        expires_in: expiresIn,
        streamUrl: streamUrl(options.publicBase(request), id(request), token, watermark),
      });
    }),
  );

  server.get(
    '/v3/directline/conversations/:conversationId/activities',
    guarded(logger, 'activities/get', async (request, response) => {
      const watermark = new URL(request.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? undefined;
      const page = await directLine.activities(bearerToken(request.headers.authorization), id(request), watermark);
      sendJson(response, 200, { activities: page.activities, watermark: String(page.watermark) });
    }),
  );

  server.post(
    '/v3/directline/conversations/:conversationId/activities',
    guarded(logger, 'activities/post', async (request, response) => {
      const body = await readJson(request, maxBodyBytes);
      const activityId = await directLine.post(bearerToken(request.headers.authorization), id(request), body, options.clientAddress?.(request));
      sendJson(response, 200, { id: activityId });
    }),
  );

  server.post(
    '/v3/directline/conversations/:conversationId/upload',
    guarded(logger, 'upload', () => Promise.reject(new HttpRefusal(415, 'BadArgument', 'Files cannot be sent in this chat'))),
  );
}
