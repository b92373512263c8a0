/**
 * POST /api/messages: activities from channels through Azure Bot Service. The body is read
 * within a size limit and checked; then the request is authenticated. A forged, expired, wrongly
 * signed or unsigned request gets 401 with an empty body and never reaches the bot.
 */
import type { Activity } from 'botbuilder';
import type { Server } from 'restify';
import { z } from 'zod';
import type { Logger } from '../ports/logger.js';
import type { ComplaintsCloudAdapter } from './bot-adapter.js';
import { guarded } from '../http/guarded.js';
import { HttpRefusal, readJson, sendEmpty, sendJson } from '../http/responses.js';

/** How /api/messages treats requests. */
export type ChannelAuthentication =
  /** Every request must carry a valid Bot Framework token. */
  | 'required'
  /** Local development only: no token needed (with a loud warning, on loopback). */
  | 'local-unauthenticated'
  /** No Bot Framework credentials and not local: the endpoint refuses everything. */
  | 'closed';

/** The least an activity must have to be one. */
const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    channelId: z.string().max(128).optional(),
    serviceUrl: z.string().max(2048).optional(),
    conversation: z
      .object({ id: z.string().max(1024) })
      .loose()
      .optional(),
  })
  .loose();

/** Registers /api/messages. */
export function registerBotRoute(
  server: Server,
  deps: {
    readonly adapter: ComplaintsCloudAdapter;
    readonly mode: ChannelAuthentication;
    readonly logic: (context: import('botbuilder').TurnContext) => Promise<void>;
    readonly maxBodyBytes: number;
    readonly logger: Logger;
  },
): void {
  server.post(
    '/api/messages',
    guarded(deps.logger, 'api/messages', async (request, response, log) => {
      const body = await readJson(request, deps.maxBodyBytes);
      const parsed = activitySchema.safeParse(body);
      if (!parsed.success) throw new HttpRefusal(400, 'BadArgument', 'The request is not an activity');
      if (deps.mode === 'closed') {
        log.warn('channel.refused', { reason: 'closed' });
        sendEmpty(response, 401);
        return;
      }
      const activity = parsed.data as unknown as Activity;
      let authentication;
      try {
        authentication = await deps.adapter.authentication.authenticateRequest(activity, request.headers.authorization ?? '');
      } catch (error) {
        log.warn('channel.refused', { reason: error instanceof Error ? error.name : 'unknown' });
        sendEmpty(response, 401);
        return;
      }
      const invoke = await deps.adapter.processAuthenticated(authentication, activity, deps.logic, log);
      if (invoke) sendJson(response, invoke.status, invoke.body ?? null);
      else sendEmpty(response, 200);
    }),
  );
}
