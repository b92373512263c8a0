/**
 * The self-hosted Direct Line 3.0 service behind the widget: sessions, token refresh, starting
 * and reconnecting to conversations, reading activities by watermark, and posting. Every call
 * is checked against the token: its conversation, its user, its expiry and its rate. The user id
 * on every activity is the token's, whatever the client sends.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { correlated } from '../logging/json-logger.js';
import type { Logger } from '../ports/logger.js';
import { HttpRefusal } from '../http/responses.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { type ActivityPage, type ConversationLog, ConversationFull, type LoggedActivity } from './conversation-log.js';
import {
  activityId,
  BOT_ACCOUNT,
  SELF_HOSTED_CHANNEL_ID,
  SELF_HOSTED_SERVICE_URL,
  type SelfHostedDirectLineAdapter,
  type TurnOutcome,
} from './self-hosted-adapter.js';
import { type DirectLineTokens, type IssuedToken, InvalidToken, newId, type TokenClaims } from './tokens.js';

/** What the widget needs to start: a token bound to a new conversation, and who it is. */
export interface Session {
  readonly token: string;
  readonly expiresIn: number;
  readonly conversationId: string;
  readonly userId: string;
}

/** What a client may post. Anything else in the body is dropped. */
const postedActivitySchema = z.object({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().max(60_000).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(35).optional(),
  name: z.string().max(100).optional(),
  value: z.json().optional(),
  channelData: z
    .object({ clientActivityID: z.string().max(200).optional() })
    .loose()
    .optional(),
  attachments: z.array(z.unknown()).max(0, 'attachments are not accepted').optional(),
});

/** How long a post waits for the bot before answering with the activity id anyway. */
const REPLY_WAIT_MS = 20_000;

/** The self-hosted Direct Line. */
export class SelfHostedDirectLine {
  /** Turns running now, so a shutdown can let them finish. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: {
      readonly tokens: DirectLineTokens;
      readonly log: ConversationLog;
      readonly adapter: SelfHostedDirectLineAdapter;
      readonly bot: (context: TurnContext) => Promise<void>;
      readonly logger: Logger;
      readonly perToken: RateLimiter;
    },
  ) {}

  /** A new session: a conversation of its own and a user id chosen here, in a signed token. */
  async startSession(): Promise<Session> {
    const conversationId = newId('dlc-');
    const userId = newId('dl_');
    await this.deps.log.create(conversationId, userId);
    const issued = this.deps.tokens.issue(conversationId, userId);
    return { token: issued.token, expiresIn: issued.expiresIn, conversationId, userId };
  }

  /** Checks a token (and, if given, that it is for this conversation) and its rate. */
  authorise(token: string | undefined, conversationId?: string): TokenClaims {
    let claims: TokenClaims;
    try {
      claims = this.deps.tokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidToken) {
        throw error.reason === 'expired'
          ? new HttpRefusal(403, 'TokenExpired', 'The token has expired')
          : new HttpRefusal(401, 'BadArgument', 'A valid token is required');
      }
      throw error;
    }
    if (conversationId !== undefined && claims.conversationId !== conversationId) {
      throw new HttpRefusal(403, 'BadArgument', 'The token is not valid for this conversation');
    }
    const rate = this.deps.perToken.take(claims.tokenId);
    if (!rate.allowed)
      throw new HttpRefusal(429, 'TooManyRequests', `Too many requests; try again in ${rate.retryAfterSeconds} seconds`, rate.retryAfterSeconds);
    return claims;
  }

  /** A fresh token for the same conversation and user. */
  refresh(token: string | undefined): IssuedToken & { conversationId: string } {
    const claims = this.authorise(token);
    return { ...this.deps.tokens.refresh(claims), conversationId: claims.conversationId };
  }

  /** Starts (or, if already started, returns) the token's conversation; the bot greets a new one. */
  async startConversation(token: string | undefined): Promise<{ conversationId: string; created: boolean; expiresIn: number }> {
    const claims = this.authorise(token);
    const owner = await this.deps.log.owner(claims.conversationId);
    if (owner !== null && owner !== claims.userId) throw new HttpRefusal(403, 'BadArgument', 'The token is not valid for this conversation');
    const created = owner === null ? await this.deps.log.create(claims.conversationId, claims.userId) : false;
    await this.greetIfNew(claims);
    return { conversationId: claims.conversationId, created, expiresIn: secondsLeft(claims) };
  }

  /**
   * The bot greets a conversation nobody has spoken in yet. The greeting has a fixed id, so
   * starting and rejoining at once (two tabs, a quick refresh) greets once: the turn runner
   * skips an activity id it has already run.
   */
  private async greetIfNew(claims: TokenClaims): Promise<void> {
    if ((await this.deps.log.read(claims.conversationId, 0, 1)).activities.length > 0) return;
    await this.run({
      type: 'conversationUpdate',
      id: `${claims.conversationId}|greeting`,
      membersAdded: [{ id: claims.userId, name: '' }],
      ...this.addressing(claims),
    });
  }

  /** Rejoins the token's conversation (after a page refresh, say). */
  async reconnect(token: string | undefined, conversationId: string): Promise<{ expiresIn: number }> {
    const claims = this.authorise(token, conversationId);
    if ((await this.deps.log.owner(conversationId)) !== claims.userId) throw new HttpRefusal(404, 'NotFound', 'No such conversation');
    // A page closed before the conversation began has not been greeted yet.
    await this.greetIfNew(claims);
    return { expiresIn: secondsLeft(claims) };
  }

  /** The conversation's activities after a watermark. */
  async activities(token: string | undefined, conversationId: string, watermark: string | undefined): Promise<ActivityPage> {
    this.authorise(token, conversationId);
    return this.deps.log.read(conversationId, parseWatermark(watermark));
  }

  /**
   * Posts an activity from the person; answers with its id once the bot has handled it (or after
   * a while). The client's address, where given, reaches the turn as an opaque digest
   * (`channelData.requester`) for the lookup limits, and is never kept in the transcript.
   */
  async post(token: string | undefined, conversationId: string, body: unknown, clientAddress?: string): Promise<string> {
    const claims = this.authorise(token, conversationId);
    const parsed = postedActivitySchema.safeParse(body);
    if (!parsed.success) throw new HttpRefusal(400, 'BadArgument', 'That is not an activity this service accepts');
    const posted = parsed.data;
    const activity: Partial<Activity> & { id: string } = {
      type: posted.type,
      id: activityId(conversationId),
      ...(posted.text !== undefined ? { text: posted.text } : {}),
      ...(posted.textFormat ? { textFormat: posted.textFormat } : {}),
      ...(posted.name ? { name: posted.name } : {}),
      ...(posted.value !== undefined ? { value: posted.value } : {}),
      locale: posted.locale ?? 'en-GB',
      ...(posted.channelData?.clientActivityID ? { channelData: { clientActivityID: posted.channelData.clientActivityID } } : {}),
      ...this.addressing(claims),
    };
    if (activity.type === 'typing') return activity.id;
    let appended;
    try {
      appended = await this.deps.log.append(conversationId, activity, { clientActivityId: posted.channelData?.clientActivityID, awaitsTurn: true });
    } catch (error) {
      if (error instanceof ConversationFull) throw new HttpRefusal(403, 'BadArgument', 'This conversation is full; please start a new one');
      throw error;
    }
    // A client retrying a post gets its turn run now if the first try's never finished (storage
    // failed under it, or its instance died); a post whose turn was done is answered as before.
    const toRun = appended.fresh ? activity : appended.unhandled;
    if (!toRun) return appended.id;
    const handled = this.runToEnd(conversationId, clientAddress === undefined ? toRun : withRequester(toRun, this.deps.tokens.requesterOf(clientAddress)));
    const timer = new Promise<'waiting'>((resolve) => {
      setTimeout(() => {
        resolve('waiting');
      }, REPLY_WAIT_MS).unref();
    });
    await Promise.race([handled, timer]);
    return appended.id;
  }

  /**
   * Runs the turns no instance finished: those whose instance died, or whose storage failed,
   * once their claim has lapsed (`TURN_LEASE_MS`). Each conversation's run in the order they
   * were posted. Returns how many were run.
   */
  async resumeUnhandled(conversations = 20): Promise<number> {
    const claimed = await this.deps.log.claimUnhandled(conversations);
    const byConversation = new Map<string, LoggedActivity[]>();
    for (const { conversationId, activity } of claimed) byConversation.set(conversationId, [...(byConversation.get(conversationId) ?? []), activity]);
    await Promise.all(
      [...byConversation].map(async ([conversationId, activities]) => {
        for (const activity of activities) await this.runToEnd(conversationId, activity);
      }),
    );
    if (claimed.length > 0) this.deps.logger.info('directline.turns-resumed', { turns: claimed.length });
    return claimed.length;
  }

  /** Runs a person's turn and, unless it should be run again, takes it off the log's unhandled list. */
  private async runToEnd(conversationId: string, activity: LoggedActivity): Promise<void> {
    if ((await this.run(activity)) === 'again') return;
    try {
      await this.deps.log.turnDone(conversationId, activity.id);
    } catch (error) {
      // Left on the list, it is run again later and skipped there: the turn runner knows it ran.
      this.deps.logger.warn('directline.turn-done-unrecorded', { error: error instanceof Error ? error.name : 'unknown' });
    }
  }

  /** Who an activity is from and to, from the token (never from the client). */
  private addressing(claims: TokenClaims): Pick<Activity, 'from' | 'recipient' | 'conversation' | 'channelId' | 'serviceUrl'> & { timestamp: Date } {
    return {
      from: { id: claims.userId, name: '', role: 'user' },
      recipient: { ...BOT_ACCOUNT, role: 'bot' },
      conversation: { id: claims.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      channelId: SELF_HOSTED_CHANNEL_ID,
      serviceUrl: SELF_HOSTED_SERVICE_URL,
      timestamp: new Date(),
    };
  }

  /** Waits for the turns running now to finish (at shutdown). */
  async drain(): Promise<void> {
    await Promise.all(this.running);
  }

  /** Runs the bot for an activity; failures are reported to the person by the adapter's error handler and logged. */
  private run(activity: Partial<Activity>): Promise<TurnOutcome> {
    const log = correlated(this.deps.logger);
    const turn = (async (): Promise<TurnOutcome> => {
      try {
        return await this.deps.adapter.process(activity, this.deps.bot, log);
      } catch (error) {
        log.error('directline.turn-failed', { error: error instanceof Error ? error.name : 'unknown' });
        return error instanceof Error && error.name === 'StorageUnavailable' ? 'again' : 'done';
      }
    })();
    this.running.add(turn);
    void turn.finally(() => this.running.delete(turn));
    return turn;
  }
}

/** The activity with the client address's digest added for its turn (never kept in the log). */
function withRequester(activity: LoggedActivity, requester: string): LoggedActivity {
  const clientActivityID: unknown = (activity.channelData as { clientActivityID?: unknown } | undefined)?.clientActivityID;
  return { ...activity, channelData: { ...(typeof clientActivityID === 'string' ? { clientActivityID } : {}), requester } };
}

function secondsLeft(claims: TokenClaims): number {
  return Math.max(0, Math.floor((claims.expiresAt - Date.now()) / 1000));
}

/** A watermark as a number of activities already seen (0 when absent or not a number). */
export function parseWatermark(watermark: string | undefined): number {
  const value = Number(watermark);
  return Number.isInteger(value) && value > 0 ? value : 0;
}
