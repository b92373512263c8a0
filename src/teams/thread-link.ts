/** Teams' deep links to what the bot posted, for cards that point at a case's thread. */
import type { TeamsThread } from './teams-channel.js';

/** Teams' link to a post in a channel, opening its thread. */
export function threadLink(thread: TeamsThread): string {
  const message = encodeURIComponent(thread.rootActivityId);
  const query = new URLSearchParams({ tenantId: thread.tenantId, parentMessageId: thread.rootActivityId });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(thread.channelId)}/${message}?${query.toString()}`;
}
