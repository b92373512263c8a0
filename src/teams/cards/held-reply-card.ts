/**
 * The card in a case's thread for a reply to the complainant that is held before it goes: the
 * words as they will be sent, when, and "Undo" and "Send now". Once sent or undone it says so
 * and offers nothing. Its refresh clause brings it up to date when someone looks at it (the
 * timer sends the reply without touching this card). The staff member's words are shown in a
 * TextRun, literally, as the case card shows the public's.
 */
import type { Case } from '../../cases/case.js';
import { type AdaptiveCard, execute, literal, textBlock } from './adaptive-card.js';
import { MAX_REFRESH_USERS } from './case-summary-card.js';

type HeldReply = Case['heldReplies'][number];

const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** What the card says of the reply's state. */
function headline(reply: HeldReply): string {
  switch (reply.state) {
    case 'held':
      return `To the complainant at ${TIME.format(new Date(reply.until))}, unless you undo it`;
    case 'sent':
      return 'Sent to the complainant';
    case 'withdrawn':
      return 'Undone: not sent to the complainant';
  }
}

/**
 * The card for a held reply (`notice`: a line about what was just done or refused). Posted in
 * the thread (`posted`), it leaves the words out, for everyone in the channel sees it, and Teams
 * refreshes it for staff (by their Teams user ids) to the card with them; the bot's answers to
 * staff's own refreshes and buttons carry them.
 */
export function heldReplyCard(reference: string, reply: HeldReply, notice?: string, posted?: { readonly staffTeamsIds: readonly string[] }): AdaptiveCard {
  const data = { reference, replyId: reply.id };
  const refresh = execute('Refresh', 'held-reply', data);
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    refresh: posted ? { action: refresh, userIds: [...new Set(posted.staffTeamsIds)].slice(0, MAX_REFRESH_USERS) } : { action: refresh },
    body: [
      textBlock(headline(reply), { weight: 'Bolder', color: reply.state === 'withdrawn' ? 'Attention' : 'Default' }),
      textBlock(`From ${reply.by.name}:`, { isSubtle: true, size: 'Small' }),
      posted ? textBlock('(The words are for the complaints team: staff see them here.)', { isSubtle: true }) : literal(reply.text),
      ...(notice ? [textBlock(notice, { isSubtle: true })] : []),
      ...(reply.state === 'held' ? [textBlock('Editing your message changes what is sent; deleting it undoes it.', { isSubtle: true, size: 'Small' })] : []),
    ],
    actions: reply.state === 'held' ? [execute('Undo', 'undo-reply', data, 'destructive'), execute('Send now', 'send-reply-now', data)] : [],
  };
}
