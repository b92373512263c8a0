import { strict as assert } from 'node:assert';
import type { StoredConversationReference } from '../../../src/cases/case.js';
import { messageFromComplainant } from '../../../src/cases/transitions/complainant-message.js';
import { keepMessage } from '../../../src/cases/transitions/keep-message.js';
import { keptMessagesShown } from '../../../src/cases/transitions/kept-messages-shown.js';
import { CONVERSATION_LINKED, linkConversation } from '../../../src/cases/transitions/link-conversation.js';
import { recordTeamsThread } from '../../../src/cases/transitions/record-teams-thread.js';
import { messageFromStaff } from '../../../src/cases/transitions/staff-message.js';
import { aCase, changed, JO, LATE, refused, SHOWN } from './fixtures.js';

const NOW = { now: LATE };
const SYSTEM = { kind: 'system', id: null, name: null };

/** A web chat conversation, by its id. */
function chat(id: string): StoredConversationReference {
  return { channelId: 'webchat', serviceUrl: 'https://bot.example.org/', conversation: { id }, bot: { id: 'bot' }, user: { id: `user-${id}` } };
}

const THREAD = {
  conversationId: '19:desk@thread.tacv2;messageid=1750000000000',
  rootActivityId: '1750000000000',
  serviceUrl: 'https://smba.trafficmanager.net/uk/',
  tenantId: '00000000-0000-4000-8000-0000000000aa',
  channelId: '19:desk@thread.tacv2',
};

describe('messages between the complainant and staff', () => {
  it('the complainant’s words are recorded and go to staff as written', () => {
    const result = messageFromComplainant(aCase(), { text: 'I have the letter now.' }, NOW);
    // When they last wrote is kept: a word after the response holds the case's closing by the calendar.
    assert.deepEqual(result.next, { ...aCase(), updatedAt: LATE.toISOString(), complainantLastWroteAt: LATE.toISOString() });
    assert.deepEqual(result.event, {
      type: 'message-relayed',
      at: LATE.toISOString(),
      actor: { kind: 'complainant', id: null, name: null },
      summary: 'Message from the complainant',
      details: { text: 'I have the letter now.' },
    });
    assert.deepEqual(result.events, [{ type: 'complainant-wrote', text: 'I have the letter now.' }]);
  });

  it('a staff message is recorded as theirs and told to the complainant with the case’s reference and a way to reply', () => {
    const result = messageFromStaff(aCase({ status: 'closed' }), { text: 'Could you send us the letter?' }, { now: LATE, staff: JO });
    assert.deepEqual(result.event, {
      type: 'message-relayed',
      at: LATE.toISOString(),
      actor: { kind: 'staff', id: JO.id, name: JO.name },
      summary: 'Message to the complainant',
      details: { text: 'Could you send us the letter?' },
    });
    assert.deepEqual(result.events, [
      {
        type: 'complainant-told',
        notice: 'message',
        text: `**A message from the complaints team about ${SHOWN}:**\n\nCould you send us the letter?\n\nYou can reply here.`,
      },
    ]);
  });

  it('a message that could not be delivered is kept once for the complainant’s next visit, the oldest giving way after fifty', () => {
    const kept = changed(keepMessage(aCase(), { id: 'activity-1:relay', text: 'Hello' }, NOW));
    assert.deepEqual(kept.next.undelivered, [{ id: 'activity-1:relay', at: LATE.toISOString(), text: 'Hello' }]);
    assert.deepEqual(kept.event, {
      type: 'message-relayed',
      at: LATE.toISOString(),
      actor: SYSTEM,
      summary: 'Could not reach the complainant’s chat: kept for their next visit',
    });
    assert.deepEqual(kept.events, []);
    assert.equal(refused(keepMessage(kept.next, { id: 'activity-1:relay', text: 'Hello' }, NOW)).refused, 'already-kept');

    const waiting = Array.from({ length: 50 }, (_, index) => ({ id: `m${String(index)}`, at: LATE.toISOString(), text: `message ${String(index)}` }));
    const full = changed(keepMessage(aCase({ undelivered: waiting }), { id: 'newest', text: 'Newest' }, NOW));
    assert.equal(full.next.undelivered.length, 50);
    assert.equal(full.next.undelivered[0]?.id, 'm1');
    assert.equal(full.next.undelivered.at(-1)?.id, 'newest');
  });

  it('kept messages shown to the complainant leave the case; others stay; none left to clear is refused', () => {
    const waiting = ['a', 'b', 'c'].map((id) => ({ id, at: LATE.toISOString(), text: `message ${id}` }));
    const result = changed(keptMessagesShown(aCase({ undelivered: waiting }), { ids: ['a', 'c'] }, NOW));
    assert.deepEqual(
      result.next.undelivered.map((message) => message.id),
      ['b'],
    );
    assert.deepEqual(result.event, { type: 'message-relayed', at: LATE.toISOString(), actor: SYSTEM, summary: 'Kept messages shown to the complainant (2)' });
    assert.deepEqual(result.events, []);
    assert.equal(refused(keptMessagesShown(result.next, { ids: ['a', 'c'] }, NOW)).refused, 'nothing-waiting');
  });
});

describe('where the case reaches people', () => {
  it('a new chat becomes the one staff messages go to, the same chat moving to the end rather than appearing twice', () => {
    const result = changed(linkConversation(aCase({ conversations: [chat('one'), chat('two')] }), { conversation: chat('one') }, NOW));
    assert.deepEqual(
      result.next.conversations.map((known) => known.conversation.id),
      ['two', 'one'],
    );
    assert.deepEqual(result.event, {
      type: 'updated',
      at: LATE.toISOString(),
      actor: { kind: 'complainant', id: null, name: null },
      summary: CONVERSATION_LINKED,
    });
    assert.deepEqual(result.events, []);
  });

  it('remembers only the latest ten chats, and refuses to link the chat already latest', () => {
    const ten = Array.from({ length: 10 }, (_, index) => chat(`c${String(index)}`));
    const result = changed(linkConversation(aCase({ conversations: ten }), { conversation: chat('new') }, NOW));
    assert.equal(result.next.conversations.length, 10);
    assert.equal(result.next.conversations[0]?.conversation.id, 'c1');
    assert.equal(result.next.conversations.at(-1)?.conversation.id, 'new');
    assert.equal(refused(linkConversation(result.next, { conversation: chat('new') }, NOW)).refused, 'already-linked');
  });

  it('the case’s Teams thread is recorded once, and the card is then brought up to date', () => {
    const result = changed(recordTeamsThread(aCase(), { thread: THREAD }, NOW));
    assert.deepEqual(result.next.teamsThread, THREAD);
    assert.deepEqual(result.event, { type: 'updated', at: LATE.toISOString(), actor: SYSTEM, summary: 'Case card posted in Teams' });
    assert.deepEqual(result.events, [{ type: 'card-changed' }]);
    assert.equal(refused(recordTeamsThread(result.next, { thread: { ...THREAD, rootActivityId: 'other' } }, NOW)).refused, 'thread-already-recorded');
  });
});
