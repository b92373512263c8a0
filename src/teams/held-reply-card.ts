/**
 * The card in a case's thread for a reply to the complainant that is held before it goes: the
 * words as they will be sent, when, and "Undo" and "Send now". Once sent or undone it says so
 * and offers nothing. Its refresh clause brings it up to date when someone looks at it (the
 * timer sends the reply without touching this card). The staff member's words are shown in a
 * TextRun, literally, as the case card shows the public's.
 */
import type { Case } from '../cases/case.js';
import type { AdaptiveCard } from './case-card.js';

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

/** The card for a held reply (`notice`: a line about what was just done or refused). */
export function heldReplyCard(reference: string, reply: HeldReply, notice?: string): AdaptiveCard {
  const data = { reference, replyId: reply.id };
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: 'held-reply', data } },
    body: [
      { type: 'TextBlock', text: headline(reply), wrap: true, weight: 'Bolder', color: reply.state === 'withdrawn' ? 'Attention' : 'Default' },
      { type: 'TextBlock', text: `From ${reply.by.name}:`, wrap: true, isSubtle: true, size: 'Small' },
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: reply.text }] },
      ...(notice ? [{ type: 'TextBlock', text: notice, wrap: true, isSubtle: true }] : []),
      ...(reply.state === 'held'
        ? [{ type: 'TextBlock', text: 'Editing your message changes what is sent; deleting it undoes it.', wrap: true, isSubtle: true, size: 'Small' }]
        : []),
    ],
    actions:
      reply.state === 'held'
        ? [
            { type: 'Action.Execute', title: 'Undo', verb: 'undo-reply', data, style: 'destructive' },
            { type: 'Action.Execute', title: 'Send now', verb: 'send-reply-now', data },
          ]
        : [],
  };
}
