import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { mergeReplies } from '../../src/bot/merge-replies.js';

const address = {
  channelId: 'webchat',
  serviceUrl: 'https://example.test/',
  replyToId: 'a1',
  conversation: { id: 'c1' } as Activity['conversation'],
  from: { id: 'bot', name: 'Bot' },
  recipient: { id: 'user', name: 'User' },
};
const text = (words: string, extra: Partial<Activity> = {}): Partial<Activity> => ({ type: 'message', text: words, ...address, ...extra });
const buttons: Activity['suggestedActions'] = {
  to: [],
  actions: [
    { type: 'imBack', title: 'Yes', value: 'Yes' },
    { type: 'imBack', title: 'No', value: 'No' },
  ],
};

describe('merging a turn’s replies', () => {
  it('sends a statement and the question after it as one message, with the question’s buttons', () => {
    const merged = mergeReplies([text('Thank you.'), text('Is that right?', { suggestedActions: buttons, inputHint: 'expectingInput' })]);
    const [only, ...rest] = merged;
    assert.ok(only);
    assert.equal(rest.length, 0);
    assert.equal(only.text, 'Thank you.\n\nIs that right?');
    assert.deepEqual(only.suggestedActions, buttons);
    assert.equal(only.inputHint, 'expectingInput');
    assert.equal(only.replyToId, 'a1');
  });

  it('folds a run of plain messages into one, in order', () => {
    assert.deepEqual(
      mergeReplies([text('One.'), text('Two.'), text('Three.')]).map((activity) => activity.text),
      ['One.\n\nTwo.\n\nThree.'],
    );
  });

  it('never folds a message with buttons into the next, so its buttons are not lost', () => {
    const merged = mergeReplies([text('Choose one', { suggestedActions: buttons }), text('Or type your own.')]);
    assert.equal(merged.length, 2);
    assert.deepEqual(merged[0]?.suggestedActions, buttons);
  });

  it('keeps cards, attachments, channel data, speech and other activity types as they were, in their place', () => {
    const card = text('Your complaint', { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: {} }] });
    const typing: Partial<Activity> = { type: 'typing', ...address };
    const spoken = text('Hello', { speak: 'Hello there' });
    const withData = text('Hi', { channelData: { notify: true } });
    const replies = [text('Here it is.'), card, text('Next.'), typing, spoken, withData, text('Last.')];
    const merged = mergeReplies(replies);
    assert.deepEqual(
      merged.map((activity) => (activity.type === 'message' ? activity.text : activity.type)),
      ['Here it is.', 'Your complaint', 'Next.', 'typing', 'Hello', 'Hi', 'Last.'],
    );
    assert.equal(merged[1], card);
  });

  it('does not join messages in different formats, languages or conversations, or blank ones', () => {
    assert.equal(mergeReplies([text('a', { textFormat: 'plain' }), text('b', { textFormat: 'markdown' })]).length, 2);
    assert.equal(mergeReplies([text('a', { locale: 'cy-GB' }), text('b', { locale: 'en-GB' })]).length, 2);
    assert.equal(mergeReplies([text('a'), text('b', { conversation: { ...address.conversation, id: 'c2' } })]).length, 2);
    assert.equal(mergeReplies([text('  '), text('b')]).length, 2);
    assert.equal(mergeReplies([text('a'), text('')]).length, 2);
  });

  it('leaves a single reply, or none, alone', () => {
    const one = text('Only this.');
    assert.deepEqual(mergeReplies([one]), [one]);
    assert.deepEqual(mergeReplies([]), []);
  });
});
