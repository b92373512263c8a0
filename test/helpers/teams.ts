/**
 * Teams for tests: a stand-in for the Bot Connector service Teams speaks through (it records
 * every post, reply and card update the bot makes, and can answer 429 to test throttling), and
 * activities shaped as Teams sends them (channel thread replies with and without an @mention,
 * `adaptiveCard/action` invokes, personal chat, `conversationUpdate`), recorded from Teams.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const OTHER_TENANT = '11111111-2222-3333-4444-555555555555';
export const CHANNEL = '19:complaints-desk@thread.tacv2';
export const OTHER_CHANNEL = '19:general-chatter@thread.tacv2';
export const BOT_ID = '28:bot-app-id';
export const STAFF = { aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001', id: '29:staff-one', name: 'Jo Bloggs' };
export const SECOND_STAFF = { aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000002', id: '29:staff-two', name: 'Ali Khan' };
export const NOT_STAFF = { aadObjectId: 'bbbbbbbb-0000-0000-0000-000000000009', id: '29:colleague', name: 'A Colleague' };

/** Something the bot sent to Teams. */
export interface TeamsCall {
  readonly method: 'POST' | 'PUT' | 'DELETE' | 'GET';
  /** 'create': a new channel post; 'personal': a one-to-one chat opened; 'reply': a message in a conversation; 'update': a card update. */
  readonly kind: 'create' | 'personal' | 'reply' | 'update' | 'delete' | 'members';
  readonly conversationId: string;
  readonly activityId: string | null;
  readonly body: { activity?: Record<string, unknown>; channelData?: unknown } & Record<string, unknown>;
}

export interface FakeTeams {
  readonly url: string;
  readonly calls: TeamsCall[];
  /** Answer the next `count` calls with 429 (Retry-After: 0). */
  throttle(count: number): void;
  /** How many of those 429s are still to be given. */
  throttlesLeft(): number;
  /**
   * Until `until` (ms since the epoch), answer every call with `status` as Teams does when it is
   * down (500) or throttling (429, with Retry-After in seconds); nothing is recorded.
   */
  outage(until: number, status: 500 | 502 | 429, retryAfterSeconds?: number): void;
  /** Hold the next new-post call unanswered (as if Teams never answered): resolves when it arrives. */
  holdNextPost(): Promise<void>;
  /** Sets a team's members, as its paged-members endpoint gives them (two to a page, to make the bot follow the pages). */
  setTeam(teamId: string, members: readonly TeamMemberShape[]): void;
  close(): Promise<void>;
}

/** A team member as Teams' API gives one. */
export interface TeamMemberShape {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly userRole?: 'user' | 'guest';
}

/** Starts the stand-in connector. */
export async function fakeTeams(): Promise<FakeTeams> {
  const calls: TeamsCall[] = [];
  const throttled = { remaining: 0 };
  const down = { until: 0, status: 500, retryAfter: null as number | null };
  const hold: { arrived: (() => void) | null } = { arrived: null };
  const teamsById = new Map<string, readonly TeamMemberShape[]>();
  let posts = 1_700_000_000_000;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        response.end(JSON.stringify(body));
      };
      if (Date.now() < down.until) {
        send(
          down.status,
          { error: { code: down.status === 429 ? 'Throttled' : 'ServiceError', message: 'Teams is unavailable' } },
          down.retryAfter === null ? {} : { 'Retry-After': String(down.retryAfter) },
        );
        return;
      }
      if (throttled.remaining > 0) {
        throttled.remaining -= 1;
        send(429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'Retry-After': '0' });
        return;
      }
      const body = (chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}) as TeamsCall['body'];
      const address = new URL(request.url ?? '/', 'http://localhost');
      const path = decodeURIComponent(address.pathname);
      const paged = /\/v3\/conversations\/([^/]+)\/pagedmembers$/.exec(path);
      if (request.method === 'GET' && paged?.[1]) {
        // As Teams pages a team's members: pageSize at most 500, a continuation token for the rest.
        const pageSize = Number(address.searchParams.get('pageSize') ?? '200');
        const members = teamsById.get(paged[1]);
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
          send(400, { error: { code: 'BadArgument', message: 'pageSize must be between 1 and 500' } });
          return;
        }
        if (!members) {
          send(404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
          return;
        }
        const start = Number(address.searchParams.get('continuationToken') ?? '0');
        const end = Math.min(members.length, start + Math.min(pageSize, 2));
        calls.push({ method: 'GET', kind: 'members', conversationId: paged[1], activityId: null, body: {} });
        // Teams gives every member a role: 'user' unless a guest.
        const page = members.slice(start, end).map((member) => ({ userRole: 'user', ...member }));
        send(200, { members: page, ...(end < members.length ? { continuationToken: String(end) } : {}) });
        return;
      }
      const method = request.method === 'PUT' ? 'PUT' : request.method === 'DELETE' ? 'DELETE' : 'POST';
      posts += 1;
      if (method === 'POST' && /\/v3\/conversations\/?$/.test(path) && hold.arrived) {
        // Never answered: the caller is left waiting, as when Teams or the network hangs.
        hold.arrived();
        hold.arrived = null;
        return;
      }
      if (method === 'POST' && /\/v3\/conversations\/?$/.test(path) && body['isGroup'] === false) {
        // A one-to-one chat, as Teams checks it: exactly one member (their Teams user id, or their
        // Entra object id, which Teams also takes in \`id\`), and the tenant they are in.
        const members = Array.isArray(body['members']) ? (body['members'] as { id?: unknown }[]) : [];
        const tenant = body['tenantId'] ?? (body.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
        const member = members[0]?.id;
        const userId = typeof member === 'string' && (member.startsWith('29:') || /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(member));
        if (members.length !== 1 || !userId || typeof tenant !== 'string') {
          send(400, { error: { code: 'BadArgument', message: 'A personal conversation needs one member (a 29: or Entra object id) and the tenant' } });
          return;
        }
        const id = `a:personal-${member.replace(/^29:/, '')}`;
        calls.push({ method, kind: 'personal', conversationId: id, activityId: null, body });
        send(201, { id });
        return;
      }
      if (method === 'POST' && /\/v3\/conversations\/?$/.test(path)) {
        const channel = (body.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ?? 'unknown';
        const id = `${channel};messageid=${String(posts)}`;
        calls.push({ method, kind: 'create', conversationId: id, activityId: String(posts), body });
        send(201, { id, activityId: String(posts) });
        return;
      }
      const match = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      if (!match?.[1]) {
        send(404, {});
        return;
      }
      if (method === 'DELETE') {
        // Teams deletes a message by its id in its conversation; a channel post is deleted in the channel's conversation.
        if (!match[2]) {
          send(400, { error: { code: 'BadArgument', message: 'Which activity?' } });
          return;
        }
        calls.push({ method, kind: 'delete', conversationId: match[1], activityId: match[2], body: {} });
        send(200, {});
        return;
      }
      calls.push({ method, kind: method === 'PUT' ? 'update' : 'reply', conversationId: match[1], activityId: match[2] ?? null, body: { activity: body } });
      send(200, { id: method === 'PUT' ? match[2] : String(posts) });
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`,
    calls,
    throttle: (count) => {
      throttled.remaining = count;
    },
    throttlesLeft: () => throttled.remaining,
    outage: (until, status, retryAfterSeconds) => {
      Object.assign(down, { until, status, retryAfter: retryAfterSeconds ?? null });
    },
    setTeam: (teamId, members) => {
      teamsById.set(teamId, members);
    },
    holdNextPost: () =>
      new Promise<void>((resolve) => {
        hold.arrived = resolve;
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

let sequence = 0;
function nextId(): string {
  sequence += 1;
  return `1700000${String(sequence).padStart(6, '0')}`;
}

interface From {
  readonly aadObjectId: string;
  readonly id: string;
  readonly name: string;
}

/** The fields every Teams channel activity carries. */
function channelActivity(serviceUrl: string, conversationId: string, from: From, overrides: { tenant?: string; channel?: string } = {}) {
  const tenant = overrides.tenant ?? TENANT;
  return {
    id: nextId(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: BOT_ID, name: 'Complaints' },
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId: tenant },
    channelData: {
      teamsChannelId: overrides.channel ?? CHANNEL,
      teamsTeamId: '19:team@thread.tacv2',
      channel: { id: overrides.channel ?? CHANNEL },
      team: { id: '19:team@thread.tacv2' },
      tenant: { id: tenant },
    },
    locale: 'en-GB',
  };
}

/** A reply in a channel thread, optionally @mentioning the bot (as Teams sends it: <at> in text plus an entity). */
export function threadReply(
  serviceUrl: string,
  threadConversationId: string,
  from: From,
  text: string,
  options: { mention?: boolean; tenant?: string; channel?: string } = {},
) {
  const base = channelActivity(serviceUrl, threadConversationId, from, options);
  const mentionText = '<at>Complaints</at>';
  return {
    ...base,
    type: 'message',
    textFormat: 'plain',
    text: options.mention ? `${mentionText} ${text}` : text,
    entities: options.mention ? [{ type: 'mention', text: mentionText, mentioned: { id: BOT_ID, name: 'Complaints' } }] : [],
    replyToId: threadConversationId.split('messageid=')[1],
  };
}

/**
 * A reply in a channel thread that @mentions a colleague (as Teams sends it: an <at> tag and a
 * mention entity for each), and the bot too when `bot` is set.
 */
export function threadReplyMentioning(
  serviceUrl: string,
  threadConversationId: string,
  from: From,
  colleague: From,
  text: string,
  options: { bot?: boolean } = {},
) {
  const base = channelActivity(serviceUrl, threadConversationId, from);
  const colleagueText = `<at>${colleague.name}</at>`;
  const botText = '<at>Complaints</at>';
  return {
    ...base,
    type: 'message',
    textFormat: 'plain',
    text: `${options.bot ? `${botText} ` : ''}${colleagueText} ${text}`,
    entities: [
      ...(options.bot ? [{ type: 'mention', text: botText, mentioned: { id: BOT_ID, name: 'Complaints' } }] : []),
      { type: 'mention', text: colleagueText, mentioned: { id: colleague.id, name: colleague.name } },
    ],
    replyToId: threadConversationId.split('messageid=')[1],
  };
}

/** Teams' notice that a message in a thread was edited: the message's own id, its new text (with the bot's mention when `mention`). */
export function threadEdit(serviceUrl: string, threadConversationId: string, from: From, messageId: string, text: string, options: { mention?: boolean } = {}) {
  const reply = threadReply(serviceUrl, threadConversationId, from, text, options);
  return { ...reply, id: messageId, type: 'messageUpdate', channelData: { ...reply.channelData, eventType: 'editMessage' } };
}

/** Teams' notice that a message in a thread was deleted. */
export function threadDelete(serviceUrl: string, threadConversationId: string, from: From, messageId: string) {
  const base = channelActivity(serviceUrl, threadConversationId, from);
  return { ...base, id: messageId, type: 'messageDelete', channelData: { ...base.channelData, eventType: 'softDeleteMessage' } };
}

/** An Action.Execute invoke from a card in a thread. */
export function cardAction(
  serviceUrl: string,
  threadConversationId: string,
  from: From,
  verb: string,
  data: Record<string, unknown>,
  options: { tenant?: string; channel?: string } = {},
) {
  return {
    ...channelActivity(serviceUrl, threadConversationId, from, options),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', id: `${verb}-action`, verb, data }, trigger: 'manual' },
    replyToId: threadConversationId.split('messageid=')[1],
  };
}

/** A personal (1:1) chat message with the bot. */
export function personalMessage(serviceUrl: string, from: From, text: string, tenant = TENANT) {
  return {
    id: nextId(),
    type: 'message',
    channelId: 'msteams',
    serviceUrl,
    text,
    textFormat: 'plain',
    locale: 'en-GB',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: BOT_ID, name: 'Complaints' },
    conversation: { id: `a:personal-${from.id}`, conversationType: 'personal', tenantId: tenant },
    channelData: { tenant: { id: tenant } },
  };
}

/** The bot being added to a team (Teams sends this to the team's General channel). */
export function botAdded(serviceUrl: string, channel: string) {
  return {
    id: nextId(),
    type: 'conversationUpdate',
    channelId: 'msteams',
    serviceUrl,
    from: { id: STAFF.id, aadObjectId: STAFF.aadObjectId },
    recipient: { id: BOT_ID, name: 'Complaints' },
    conversation: { id: channel, isGroup: true, conversationType: 'channel', tenantId: TENANT },
    membersAdded: [{ id: BOT_ID }],
    channelData: { team: { id: '19:team@thread.tacv2' }, channel: { id: channel }, tenant: { id: TENANT }, eventType: 'teamMemberAdded' },
  };
}

/** The card in a recorded call (a new post, a reply or an update). */
export function cardOf(call: TeamsCall): Record<string, unknown> | null {
  const activity = call.kind === 'create' ? call.body.activity : call.body.activity;
  const attachments = (activity?.['attachments'] ?? []) as { contentType?: string; content?: Record<string, unknown> }[];
  return attachments.find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')?.content ?? null;
}

/** Every string in a card, with the type of element it sits in. */
export function stringsOf(node: unknown, parentType = 'root'): { type: string; key: string; value: string }[] {
  if (Array.isArray(node)) return node.flatMap((item) => stringsOf(item, parentType));
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const type = typeof record['type'] === 'string' ? record['type'] : parentType;
  return Object.entries(record).flatMap(([key, value]) => (typeof value === 'string' ? [{ type, key, value }] : stringsOf(value, type)));
}
