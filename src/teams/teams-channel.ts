/**
 * Posting into the service desk's Teams channel outside a turn: a new post for a case's card
 * (its thread then carries everything about the case), replies in the thread, and updates of
 * the card in place. The port lets the notifier be tested without Teams; the implementation
 * goes through Bot Framework's CloudAdapter and honours Teams' throttling (429, Retry-After).
 */
import {
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  CardFactory,
  type Activity,
  TeamsInfo,
  type TurnContext,
} from 'botbuilder';
import type { TeamMember } from './team-roster.js';
import type { Case } from '../cases/case.js';
import { proactively } from '../bot/proactive.js';
import type { AdaptiveCard } from './cards/case-card.js';
import { propertyOf } from '../values/property-of.js';
import { threadRootOf } from './thread-directory.js';

/** A case's thread in the channel, as recorded on the case. */
export type TeamsThread = NonNullable<Case['teamsThread']>;

/** Teams answered in a way the bot cannot use (for example, a new post without its id). */
class UnexpectedTeamsReply extends Error {
  override readonly name = 'UnexpectedTeamsReply';
  constructor(what: string) {
    super(`Teams replied with ${what}`);
  }
}

/** What goes into a thread: a card, or plain words of ours. */
export type ThreadMessage = { readonly card: AdaptiveCard } | { readonly text: string };

/** The service desk's channel. */
export interface TeamsChannel {
  /** Posts a card as a new post in the channel; its thread is returned. */
  postCard(card: AdaptiveCard): Promise<TeamsThread>;
  /** Replies in a thread; answers with the reply's activity id (null if Teams gave none). */
  reply(thread: TeamsThread, message: ThreadMessage): Promise<string | null>;
  /** Replaces a reply in a thread (a status line that changes as things happen). */
  updateReply(thread: TeamsThread, activityId: string, message: ThreadMessage): Promise<void>;
  /** Replaces the thread's root card, for everyone who sees it. */
  updateCard(thread: TeamsThread, card: AdaptiveCard): Promise<void>;
  /** Takes a channel post (and so its thread) down: a card posted twice for one case. */
  deletePost(thread: TeamsThread): Promise<void>;
  /** Sends a message to one member of staff in their personal chat with the bot (by their Teams user id). */
  messagePerson(userId: string, message: ThreadMessage): Promise<void>;
  /** A team's members, every page of them (the staff roster, when it is a team). */
  teamMembers(teamId: string): Promise<TeamMember[]>;
}

/** The activity for a thread message. */
export function threadActivity(message: ThreadMessage): Partial<Activity> {
  return 'card' in message
    ? { type: 'message', attachments: [CardFactory.adaptiveCard(message.card)] }
    : { type: 'message', text: message.text, textFormat: 'plain' };
}

/** How long Teams asked us to wait (Retry-After), if the error is throttling; otherwise null. */
export function throttledFor(error: unknown): number | null {
  if (propertyOf(error, 'statusCode') !== 429) return null;
  const headers = propertyOf(propertyOf(error, 'response'), 'headers');
  const get = propertyOf(headers, 'get');
  // Called on the headers it belongs to, as a method (a fetch Headers needs its own `this`).
  const retryAfter = Number(typeof get === 'function' ? Reflect.apply(get, headers, ['retry-after']) : undefined);
  return Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter, 60) * 1000 : 0;
}

/**
 * Runs `work`, waiting and trying again while Teams answers 429: for as long as it asks
 * (Retry-After), or with exponential backoff and jitter when it does not say. Anything else,
 * throttling past `attempts`, or a wait that would go past `budgetMs` in all, is thrown for the
 * caller, which keeps the message. The budget bounds how long a person's turn can wait on Teams.
 */
export async function withThrottling<T>(
  work: () => Promise<T>,
  options: { readonly attempts?: number; readonly budgetMs?: number; readonly sleep: (ms: number) => Promise<void> },
): Promise<T> {
  const attempts = options.attempts ?? 6;
  const budget = { left: options.budgetMs ?? 15_000 };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const asked = throttledFor(error);
      if (asked === null || attempt >= attempts) throw error;
      const wait = asked > 0 ? asked : Math.min(8000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      if (wait > budget.left) throw error;
      budget.left -= wait;
      await options.sleep(wait);
    }
  }
}

/** Members read a page at a time (Teams allows up to 500), and at most this many pages (a team has at most 25,000 members). */
const MEMBER_PAGE = 500;
const MAX_MEMBER_PAGES = 50;

/** The channel through CloudAdapter. */
export class CloudTeamsChannel implements TeamsChannel {
  constructor(
    private readonly deps: {
      readonly adapter: CloudAdapter;
      /** The bot's Microsoft app id ('' without credentials, in local development). */
      readonly appId: string;
      readonly serviceUrl: string;
      readonly channelId: string;
      readonly tenantId: string;
      readonly sleep: (ms: number) => Promise<void>;
    },
  ) {}

  async postCard(card: AdaptiveCard): Promise<TeamsThread> {
    const created = { conversationId: '' };
    await withThrottling(
      () =>
        this.createConversation(
          {
            isGroup: true,
            bot: { id: this.deps.appId, name: '' },
            tenantId: this.deps.tenantId,
            channelData: { channel: { id: this.deps.channelId }, tenant: { id: this.deps.tenantId } },
            activity: threadActivity({ card }) as Activity,
            members: [],
          },
          (context) => {
            created.conversationId = context.activity.conversation.id;
            return Promise.resolve();
          },
        ),
      { sleep: this.deps.sleep },
    );
    const root = threadRootOf(created.conversationId);
    if (!root) throw new UnexpectedTeamsReply('a new post without its message id');
    return {
      conversationId: created.conversationId,
      rootActivityId: root,
      serviceUrl: this.deps.serviceUrl,
      tenantId: this.deps.tenantId,
      channelId: this.deps.channelId,
    };
  }

  async reply(thread: TeamsThread, message: ThreadMessage): Promise<string | null> {
    const sent: { id: string | null } = { id: null };
    await withThrottling(
      () =>
        proactively(
          (logic) => this.deps.adapter.continueConversationAsync(this.deps.appId, this.reference(thread), logic),
          async (context) => {
            sent.id = (await context.sendActivity(threadActivity(message)))?.id ?? null;
          },
        ),
      { sleep: this.deps.sleep },
    );
    return sent.id;
  }

  async updateReply(thread: TeamsThread, activityId: string, message: ThreadMessage): Promise<void> {
    await withThrottling(
      () =>
        proactively(
          (logic) => this.deps.adapter.continueConversationAsync(this.deps.appId, this.reference(thread), logic),
          async (context) => {
            await context.updateActivity({ ...threadActivity(message), id: activityId });
          },
        ),
      { sleep: this.deps.sleep },
    );
  }

  async updateCard(thread: TeamsThread, card: AdaptiveCard): Promise<void> {
    await withThrottling(
      () =>
        proactively(
          (logic) => this.deps.adapter.continueConversationAsync(this.deps.appId, this.reference(thread), logic),
          async (context) => {
            await context.updateActivity({ ...threadActivity({ card }), id: thread.rootActivityId });
          },
        ),
      { sleep: this.deps.sleep },
    );
  }

  async deletePost(thread: TeamsThread): Promise<void> {
    await withThrottling(
      () =>
        proactively(
          (logic) => this.deps.adapter.continueConversationAsync(this.deps.appId, this.reference(thread), logic),
          async (context) => {
            await context.deleteActivity(thread.rootActivityId);
          },
        ),
      { sleep: this.deps.sleep },
    );
  }

  async messagePerson(userId: string, message: ThreadMessage): Promise<void> {
    // Teams opens (or finds) the one-to-one chat with the bot; the message goes into it.
    await withThrottling(
      () =>
        this.createConversation(
          {
            isGroup: false,
            bot: { id: this.deps.appId, name: '' },
            members: [{ id: userId, name: '' }],
            tenantId: this.deps.tenantId,
            channelData: { tenant: { id: this.deps.tenantId } },
          },
          async (context) => {
            await context.sendActivity(threadActivity(message));
          },
        ),
      { sleep: this.deps.sleep },
    );
  }

  async teamMembers(teamId: string): Promise<TeamMember[]> {
    const members: TeamMember[] = [];
    const reference = { ...this.reference({ conversationId: teamId, serviceUrl: this.deps.serviceUrl, tenantId: this.deps.tenantId }) };
    await proactively(
      (logic) => this.deps.adapter.continueConversationAsync(this.deps.appId, reference, logic),
      async (context) => {
        let token: string | undefined;
        // A page at a time, as Teams gives them; a page's token names the next.
        for (let page = 0; page < MAX_MEMBER_PAGES; page += 1) {
          const result = await withThrottling(() => TeamsInfo.getPagedTeamMembers(context, teamId, MEMBER_PAGE, token), { sleep: this.deps.sleep });
          for (const member of result.members) {
            members.push({ teamsUserId: member.id, aadObjectId: member.aadObjectId ?? null, name: member.name || null, role: member.userRole ?? null });
          }
          token = result.continuationToken || undefined;
          if (!token) return;
        }
      },
    );
    return members;
  }

  /** Opens a conversation through the Bot Connector (a channel post, or a one-to-one chat), then runs `logic` in it. */
  private createConversation(parameters: ConversationParameters, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.deps.adapter.createConversationAsync(this.deps.appId, 'msteams', this.deps.serviceUrl, 'https://api.botframework.com', parameters, logic);
  }

  private reference(thread: Pick<TeamsThread, 'conversationId' | 'serviceUrl' | 'tenantId'>): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl: thread.serviceUrl,
      conversation: { id: thread.conversationId, isGroup: true, conversationType: 'channel', tenantId: thread.tenantId, name: '' },
      bot: { id: this.deps.appId, name: '' },
    };
  }
}
